"""Command line: the only place that prints problems and chooses an exit code."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from .. import cache
from ..check import review_report
from ..i18n import PACKAGE_LOCALE, language_name
from ..load.schema import suggest
from ..load.settings import base_url_problem, normalise_base_url
from ..pipeline import BuildOptions, BuildResult, build_site
from ..problems import display_path, severity_counts
from ..render.rendering import PageReading
from . import github, newpage
from .cli_help import HelpfulParser, unknown_arguments

COMMANDS = ("build", "check", "serve", "new", "review", "review-packet", "translations", "translated")
# Words an editor may try for a command. Spelled alike, 'preview' would otherwise be taken for 'review'.
SYNONYMS = {"preview": "serve", "watch": "serve", "server": "serve", "start": "serve", "test": "check", "packet": "review-packet"}
FORMATS = ("plain", "github")
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # argparse names it so; it has no public name


def make_parser(project_root: Path) -> argparse.ArgumentParser:
    common, reporting = common_options(project_root), reporting_options()
    parser = HelpfulParser(
        prog="build.py",
        usage="%(prog)s [COMMAND] [OPTIONS]",
        description="Build the patient-education site from Markdown in content/ into plain HTML in site/. "
        "Without a command, build.py builds. Write options after the command: build.py check --strict.",
        epilog=(
            "Every problem is printed as 'path:line: message'. All problems are reported at once, and the exit "
            "status is 1 if any error (or, with --strict, any warning) was found. A failed build never changes site/."
        ),
    )
    commands: Subcommands = parser.add_subparsers(  # type: ignore[assignment]  # else typeshed wants HelpfulParser parents
        dest="command", metavar="COMMAND", title="commands"
    )
    add_build_commands(commands, common, reporting)
    add_serve_command(commands, common)
    add_review_commands(commands, common, project_root)
    add_translation_commands(commands, common)
    add_new_command(commands, project_root)
    return parser


def common_options(project_root: Path) -> argparse.ArgumentParser:
    """The options of every command that builds the site (build, check, serve, review, review-packet, translations)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--strict", action="store_true", help="treat warnings as errors (CI builds the real content this way)")
    common.add_argument("--content", type=Path, default=project_root / "content", help="folder of Markdown pages (default: content/)")
    common.add_argument(
        "--templates",
        type=Path,
        default=project_root / "templates",
        help="folder of Jinja templates and static/ files (default: templates/)",
    )
    common.add_argument(
        "--base-url",
        help="the address the site is published at, such as https://owner.github.io/repo/; "
        "used for canonical links, sitemap.xml, robots.txt and 404.html (default: base_url in content/_site.yml)",
    )
    common.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="check review dates as of this day instead of today (for reproducible builds and tests)",
    )
    common.add_argument("--site", type=Path, default=project_root / "site", help="output folder (default: site/)")
    common.add_argument(
        "--jobs",
        type=job_count,
        default=0,
        metavar="N",
        help="worker processes for rendering pages (default: one per core; larger sites only)",
    )
    common.add_argument(
        "--no-cache",
        action="store_true",
        help="render every page again instead of reusing unchanged pages from the build cache, and keep no cache on disk "
        "(even with --cache-dir); CI builds this way",
    )
    common.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the build cache in DIR, a folder of your own outside the project (default: a folder for this project "
        "in your user cache folder, such as ~/.cache/sitegen/)",
    )
    common.add_argument(
        "--repository-url",
        help="the address of the site's source repository, such as https://github.com/owner/repo; "
        "used for the 'Report a problem' link (default: repository_url in content/_site.yml)",
    )
    return common


def reporting_options() -> argparse.ArgumentParser:
    reporting = argparse.ArgumentParser(add_help=False)
    reporting.add_argument(
        "--format",
        choices=FORMATS,
        default="plain",
        help="how problems are printed: 'plain' (path:line: message, the default) or 'github' (GitHub Actions annotations "
        "on the changed lines, and a job summary when $GITHUB_STEP_SUMMARY is set)",
    )
    return reporting


def add_build_commands(commands: Subcommands, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "build",
        parents=[common, reporting],
        help="build content/ into site/ (the default)",
        description="Build content/ into site/. site/ is replaced only when the whole build succeeds.",
    )
    check = commands.add_parser(
        "check",
        parents=[common, reporting],
        help="build into a temporary folder, report every problem, and leave site/ alone",
        description="Build into a temporary folder and report every problem. site/ is not touched.",
    )
    check.add_argument(
        "--review-report",
        action="store_true",
        help=f"also list the pages whose next review is within {review_report.DUE_SOON_DAYS} days or has passed",
    )
    check.add_argument(
        "--review-report-file",
        type=Path,
        metavar="FILE",
        help="write that list as Markdown to FILE (an empty file when no page is due), for the weekly review issue",
    )


def add_serve_command(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="preview while you edit: build, serve, rebuild on save and reload the browser",
        description=(
            "Build the site, drafts included, into a temporary folder and serve it; rebuild on every save in content/ and "
            "templates/, and reload the open page. A failed build shows its problems on the page. site/ is not touched."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--port", type=port_number, default=8000, help="port to serve on; 0 picks a free one (default: 8000)")


def add_new_command(commands: Subcommands, project_root: Path) -> None:
    new = commands.add_parser(
        "new",
        help='start a new page: build.py new "Page title" writes content/page-title.md with every required field',
        description="Write content/<name>.md with every required field filled in and a short guide to writing the page. "
        "An existing file is never changed.",
    )
    newpage.add_arguments(new, project_root)


def add_review_commands(commands: Subcommands, common: argparse.ArgumentParser, project_root: Path) -> None:
    review = commands.add_parser(
        "review",
        parents=[common],
        help="record a clinical review of a page: who, when, what was checked, and a fingerprint of what they checked",
        description=(
            "Add a review record to the page's reviewed_by, with the day's date (--as-of sets another), the page's fingerprint "
            "and its git commit; set last_reviewed to that day and next_review by max_review_interval_months. The front matter "
            "is edited in place; its comments and layout are kept. Refused without the page's review code from the packet, "
            "when the page has changed since the packet, and while the page has build errors."
        ),
    )
    review.add_argument("page", type=Path, help="the page's Markdown file, such as content/efficacy.md")
    review.add_argument("--name", required=True, help="the reviewer's name, as they want it shown")
    review.add_argument("--credentials", required=True, help="the reviewer's credentials, such as their profession and qualifications")
    review.add_argument("--scope", required=True, help="what was checked, such as 'medical accuracy' or 'plain language'")
    review.add_argument(
        "--code",
        "--fingerprint",
        dest="code",
        metavar="CODE",
        help="the page's review code, printed in the review packet the reviewer signed off (three groups of four letters and digits); "
        "required: the review is refused if the page has changed since the packet, and the changed words are shown",
    )
    packet = commands.add_parser(
        "review-packet",
        parents=[common],
        help="write a printable review packet for a clinical reviewer (never into site/)",
        description=(
            "Write one printable HTML file for a clinical reviewer: each page's text once, with every sentence that cites a "
            "source highlighted and keyed to its source; each source once, with the figures the pages take from it to tick; "
            "and only the open questions a reviewer can act on. A page with a clinical review shows only what changed since "
            "(and is left out when nothing did). Its first page says how many pages it prints on."
        ),
    )
    packet.add_argument("pages", type=Path, nargs="*", metavar="PAGE", help="the pages to put in the packet (default: every page)")
    packet.add_argument("--out", type=Path, default=project_root / "review-packet", help="the packet's folder (default: review-packet/)")
    packet.add_argument(
        "--whole",
        action="store_true",
        help="put every page in whole, even one whose clinical review covers it or that changed since one (for a yearly review)",
    )


def add_translation_commands(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    catalogues = commands.add_parser(
        "translations",
        parents=[common],
        help="update the message catalogues (.po) of the site's languages from the templates and the generator",
        description=(
            "With --update: extract every message the templates use into templates/locale/messages.pot, and the generator's "
            "own into sitegen/locale/sitegen.pot, then update each language's .po file: new messages get an empty msgstr to "
            "write, translations are kept, and a changed message is kept as a fuzzy guess to check "
            "(see docs/translations.md, 'Adding a language')."
        ),
    )
    catalogues.add_argument("--update", action="store_true", help="extract the messages and update every language's .po file")
    translated = commands.add_parser(
        "translated",
        parents=[common],
        help="record that a translation is up to date with its original page (and, with --reviewer, its translation review)",
        description=(
            "Write content/LANG/_translations/PAGE.json: the fingerprint and the text of the page the translation translates, "
            "as it is now. Run it after bringing a translation up to date; commit the record with the translation. With "
            "--translator, --reviewer and --credentials, record a review of the translation too."
        ),
    )
    translated.add_argument("page", type=Path, help="the translation's Markdown file, such as content/es/eficacia.md")
    translated.add_argument("--translator", help="who translated the page (with --reviewer: record a translation review)")
    translated.add_argument("--reviewer", help="who reviewed the translation against the original")
    translated.add_argument("--credentials", help="the reviewer's credentials, such as 'certified medical translator (ATA)'")


def job_count(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= jobs <= 256:
        raise argparse.ArgumentTypeError(f"{jobs} is not a number of worker processes (0 to 256; 0 means one per core)")
    return jobs


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535)")
    return port


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    """Parse the command line, run the command, and give the exit status."""
    root = project_root or Path.cwd()
    parser = make_parser(root)
    args = parse(parser, list(sys.argv[1:] if argv is None else argv))
    if args.command == "new":
        return make_new_page(args)
    options = build_options(args, parser, project_root)
    return RUNNERS[args.command](args, options, parser)


def parse(parser: argparse.ArgumentParser, words: list[str]) -> argparse.Namespace:
    """The arguments, with 'build' when no command is given; an unknown command or option stops with a hint."""
    if words and not words[0].startswith("-") and words[0] not in COMMANDS:
        word = words[0]
        hint = f" (did you mean {SYNONYMS[word.lower()]!r}?)" if word.lower() in SYNONYMS else suggest(word, COMMANDS)
        parser.error(f"unknown command {word!r}{hint}; the commands are {', '.join(COMMANDS)}")
    if not words or (words[0] not in COMMANDS and words[0] not in ("-h", "--help")):
        words.insert(0, "build")
    args, unknown = parser.parse_known_args(words)
    if unknown:
        parser.error(unknown_arguments(parser, args.command, unknown))
    return args


def build_options(args: argparse.Namespace, parser: argparse.ArgumentParser, project_root: Path | None) -> BuildOptions:
    for option, value in (("--base-url", args.base_url), ("--repository-url", args.repository_url)):
        if value and (reason := base_url_problem(value)):
            parser.error(f"{option}: {reason}")
    return BuildOptions(
        content_dir=args.content,
        templates_dir=args.templates,
        site_dir=args.site,
        project_root=project_root,
        strict=args.strict,
        check_only=args.command == "check",
        base_url=normalise_base_url(args.base_url) if args.base_url else None,
        repository_url=args.repository_url.rstrip("/") if args.repository_url else None,
        jobs=args.jobs,
        cache_dir=cache_folder(args, project_root),
        **({"today": args.as_of} if args.as_of else {}),
    )


def run_build(args: argparse.Namespace, options: BuildOptions, parser: argparse.ArgumentParser) -> int:
    """build and check: build the site (or only check it), print every problem, and the review report if asked."""
    try:
        result = build_site(options)
    except KeyboardInterrupt:
        what = "check" if options.check_only else "build"
        print(f"Stopped (Ctrl-C) before the {what} finished; {display_path(options.site_dir)}/ was not changed.", file=sys.stderr)
        return 130
    report(result, options, args.format)
    if args.format == "github" and (reason := github.append_summary(github.job_summary(result, options.strict, options.today), os.environ)):
        print(reason, file=sys.stderr)
    if args.command == "check" and (args.review_report or args.review_report_file):
        if not report_reviews(result, options, args.review_report_file, args.format):
            return 1
    return 1 if result.failed(options.strict) else 0


def run_serve(args: argparse.Namespace, options: BuildOptions, parser: argparse.ArgumentParser) -> int:
    from ..preview import serve  # the server's libraries are needed only here

    return serve(options, args.host, args.port, show=show_preview_message)


def cache_folder(args: argparse.Namespace, project_root: Path | None) -> Path | None:
    """The build cache's folder once it has passed cache.open_folder's checks; None for no cache on disk, with a note
    on stderr when the folder was refused."""
    if project_root is not None and (project_root / cache.OLD_FOLDER).exists():
        print(f"Note: {cache.OLD_FOLDER}/ in the project is an old build cache, which is never read now; delete it.", file=sys.stderr)
    if args.no_cache:
        return None
    path: Path
    top: Path | None
    opened: cache.CacheFolder | str
    try:
        if args.cache_dir is not None:
            path, top = args.cache_dir, None
        elif project_root is not None:
            path, top = cache.default_folder(project_root), cache.user_cache_base()
        else:
            return None
    except RuntimeError as exc:  # Path.home() with no home folder
        opened = f"the user cache folder is not known ({exc})"
    else:
        project = [p for p in (project_root, args.content, args.templates) if p is not None]
        opened = cache.open_folder(path, project, top)
    if isinstance(opened, cache.CacheFolder):
        return opened.path
    print(f"Note: the build cache is kept in memory only, because {opened}; use --cache-dir to choose another folder.", file=sys.stderr)
    return None


def show_preview_message(message: object) -> None:
    """One line (or a traceback) from the preview: problems and failures to stderr, the rest to stdout."""
    print(message, file=sys.stderr if getattr(message, "to_stderr", True) else sys.stdout, flush=True)


def run_review(args: argparse.Namespace, options: BuildOptions, parser: argparse.ArgumentParser) -> int:
    from ..review.record import ReviewRequest, record_review

    request = ReviewRequest(args.page, args.name, args.credentials, args.scope, args.code)
    recorded, problems = record_review(options, request)
    for problem in problems:
        print(problem, file=sys.stderr)
    if recorded is None:
        return 1
    record = recorded.record
    commit = f"commit {record['commit'][:12]}" if record.get("commit") else "no commit"
    print(
        f"Recorded the review by {record['name']} ({record['scope']}) on {record['date']} in {recorded.shown}: "
        f"{record['fingerprint']}, {commit}. last_reviewed is now {recorded.last_reviewed}, next_review {recorded.next_review}."
    )
    return 0


def run_translations(args: argparse.Namespace, options: BuildOptions, parser: argparse.ArgumentParser) -> int:
    from .translations import ReviewOfTranslation, record_translation, update_catalogues

    if args.command == "translations":
        if not args.update:
            parser.error("translations: add --update to extract the messages and update the catalogues")
        # the generator's own catalogue is the generator's: updated only from its own project, never from a site's
        own = options.project_root is not None and PACKAGE_LOCALE.is_relative_to(options.project_root.resolve())
        written, problems = update_catalogues(options.content_dir, options.templates_dir, generator=own)
        for problem in problems:
            print(problem, file=sys.stderr)
        for path in written:
            print(f"Updated {path}")
        return 1 if problems else 0
    given = [args.translator, args.reviewer, args.credentials]
    if any(given) and not all(given):
        parser.error("translated: a translation review needs --translator, --reviewer and --credentials, all three")
    review = ReviewOfTranslation(args.translator, args.reviewer, args.credentials) if all(given) else None
    message, problems = record_translation(options, args.page, review)
    for problem in problems:
        print(problem, file=sys.stderr)
    if message is None:
        return 1
    print(message)
    return 0


def run_review_packet(args: argparse.Namespace, options: BuildOptions, parser: argparse.ArgumentParser) -> int:
    from ..review.packet.command import make_review_packet

    result, problems = make_review_packet(options, list(args.pages), args.out, args.whole)
    for problem in problems:
        print(problem, file=sys.stderr)
    if result is None:
        return 1
    if not result.pages:
        print(
            "Nothing to review: a clinical review covers each page as it is, so no packet was written. For a full review "
            "again (such as a yearly one, or by a reviewer of another scope), add --whole."
        )
        return 0
    boxes = f"{result.ticks} box{'' if result.ticks == 1 else 'es'}"
    print(
        f"Wrote the review packet for {_pages(len(result.pages))} into {display_path(result.out)}/: open "
        f"{display_path(result.out / 'index.html')}. It prints on {_printed(result.length)} and has {boxes} to tick."
    )
    return 0


def _printed(count: int) -> str:
    return f"{count} A4 page{'' if count == 1 else 's'}"


def make_new_page(args: argparse.Namespace) -> int:
    today = args.as_of or datetime.date.today()
    page, problems = newpage.new_page(args.title, args.content, today, args.slug)
    if page is not None:
        problems = newpage.write_new_page(page)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems or page is None:
        return 1
    print(
        f"Wrote {display_path(page.path)}, a draft: write your own text in place of each 'REPLACE:' placeholder, and delete the "
        "line 'draft: true' when the page is ready. Until then it is not published, nor in the navigation; the preview "
        f"(python3 build.py serve) shows it at /{page.path.stem}.html."
    )
    return 0


def report_reviews(result: BuildResult, options: BuildOptions, file: Path | None, output_format: str) -> bool:
    """Print the pages due for review; write them as Markdown to file and, with --format github, to the job summary."""
    if result.reviews is None:
        print("The review report could not be made: the site settings have errors (see above).", file=sys.stderr)
        return False
    for line in review_report.plain_report(result.reviews, options.today):
        print(line)
    markdown = review_report.markdown_report(result.reviews, options.today, options.repository_url)
    reason = review_report.write_report(file, markdown) if file is not None else None
    if output_format == "github":
        reason = reason or github.append_summary(review_report.summary_section(markdown), os.environ)
    if reason:
        print(reason, file=sys.stderr)
    return reason is None


def report(result: BuildResult, options: BuildOptions, output_format: str = "plain") -> None:
    for problem in result.problems:
        if output_format == "github":
            print(github.annotation(problem, options.strict))
        else:
            print(problem, file=sys.stderr)
    counts = severity_counts(result.problems)
    tally = _tally(counts)
    site = display_path(options.site_dir)
    if result.failed(options.strict):
        why = " (--strict treats warnings as errors)" if options.strict and not counts["error"] else ""
        print(f"Build failed: {tally}{why}. {site}/ was not changed.", file=sys.stderr)
    elif options.check_only:
        print(f"Checked {_pages(result.page_count)} in {result.seconds:.2f} s: {tally}. {site}/ was not changed.")
    else:
        print(
            f"Built {_pages(result.page_count)} in {result.seconds:.2f} s into {site}/" + (f" ({tally})" if result.problems else "") + "."
        )
    if result.rendered_pages < result.page_count:
        print(f"Rendered {_pages(result.rendered_pages)}; the others were unchanged and came from the build cache.")
    if result.reading:
        spanish = "; INFLESZ in Spanish, target 55 or above" if any(r.level.spanish for r in result.reading) else ""
        print(f"Reading grade (Flesch-Kincaid/SMOG, target 8 or below{spanish}): {_reading_summary(result.reading)}.")
    if not result.failed(options.strict) and not result.base_url:
        print("Note: no base URL is set, so sitemap.xml and canonical links were left out (use --base-url or base_url in _site.yml).")


READING_LISTED = 12


def _reading_summary(reading: Sequence[PageReading]) -> str:
    """Every page's grades on a small site; on a larger one, the median and the hardest pages to read."""

    def grades(r: PageReading) -> str:
        return r.level.summary

    if len(reading) <= READING_LISTED:
        return ", ".join(f"{_short(r.shown)} {grades(r)}" for r in reading)
    ranked = sorted(reading, key=lambda r: (-r.level.strain, r.shown))  # nearest its language's limit first
    languages = sorted({r.level.language for r in reading})
    medians = []
    for language in languages:  # grades on different scales have no common median
        own = [r for r in ranked if r.level.language == language]
        middle = grades(own[len(own) // 2])
        medians.append(f"{middle} ({language_name(language, 'en')}, {len(own)})" if len(languages) > 1 else middle)
    return f"{len(reading)} pages, median {', '.join(medians)}; hardest: " + ", ".join(f"{r.shown} {grades(r)}" for r in ranked[:3])


def _short(shown: str) -> str:
    """A page's file name; with its language's folder for a translation (content/es/index.md: es/index.md)."""
    parts = shown.split("/")
    return "/".join(parts[-2:]) if len(parts) > 2 and len(parts[-2]) in (2, 3) else parts[-1]


def _pages(count: int) -> str:
    return f"{count} page" + ("" if count == 1 else "s")


def _tally(counts: dict[str, int]) -> str:
    parts = [f"{n} {kind}" + ("" if n == 1 else "s") for kind, n in counts.items() if n]
    return ", ".join(parts) if parts else "no problems"


Runner = Callable[[argparse.Namespace, BuildOptions, argparse.ArgumentParser], int]
RUNNERS: dict[str, Runner] = {
    "build": run_build,
    "check": run_build,
    "serve": run_serve,
    "review": run_review,
    "review-packet": run_review_packet,
    "translations": run_translations,
    "translated": run_translations,
}

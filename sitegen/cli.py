"""Command line: the only place that prints problems and chooses an exit code."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

from .pipeline import BuildOptions, BuildResult, build_site
from .problems import display_path
from .settings import base_url_problem, normalise_base_url

COMMANDS = ("build", "check", "serve")


def make_parser(project_root: Path) -> argparse.ArgumentParser:
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
        "--repository-url",
        help="the address of the site's source repository, such as https://github.com/owner/repo; "
        "used for the 'Report a problem' link (default: repository_url in content/_site.yml)",
    )

    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the patient-education site from Markdown in content/ into plain HTML in site/.",
        epilog=(
            "Every problem is printed as 'path:line: message'. All problems are reported at once, and the exit "
            "status is 1 if any error (or, with --strict, any warning) was found. A failed build never changes site/."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "build",
        parents=[common],
        help="build content/ into site/ (the default)",
        description="Build content/ into site/. site/ is replaced only when the whole build succeeds.",
    )
    commands.add_parser(
        "check",
        parents=[common],
        help="build into a temporary folder, report every problem, and leave site/ alone",
        description="Build into a temporary folder and report every problem. site/ is not touched.",
    )
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
    return parser


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535)")
    return port


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    root = project_root or Path.cwd()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "build")
    parser = make_parser(root)
    args = parser.parse_args(args_list)
    for option, value in (("--base-url", args.base_url), ("--repository-url", args.repository_url)):
        if value and (reason := base_url_problem(value)):
            parser.error(f"{option}: {reason}")
    options = BuildOptions(
        content_dir=args.content,
        templates_dir=args.templates,
        site_dir=args.site,
        project_root=project_root,
        strict=args.strict,
        check_only=args.command == "check",
        base_url=normalise_base_url(args.base_url) if args.base_url else None,
        repository_url=args.repository_url.rstrip("/") if args.repository_url else None,
        **({"today": args.as_of} if args.as_of else {}),
    )
    if args.command == "serve":
        from .preview import serve  # the server's libraries are needed only here

        return serve(options, args.host, args.port, show=show_preview_message)
    result = build_site(options)
    report(result, options)
    return 1 if result.failed(options.strict) else 0


def show_preview_message(message: object) -> None:
    """One line (or a traceback) from the preview: problems and failures to stderr, the rest to stdout."""
    print(message, file=sys.stderr if getattr(message, "to_stderr", True) else sys.stdout, flush=True)


def report(result: BuildResult, options: BuildOptions) -> None:
    for problem in result.problems:
        print(problem, file=sys.stderr)
    counts = {kind: sum(p.severity == kind for p in result.problems) for kind in ("error", "warning", "notice")}
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
    if result.reading:
        grades = ", ".join(f"{r.shown.rsplit('/', 1)[-1]} {r.level.flesch_kincaid:g}/{r.level.smog:g}" for r in result.reading)
        print(f"Reading grade (Flesch-Kincaid/SMOG, target 8 or below): {grades}.")
    if not result.failed(options.strict) and not result.base_url:
        print("Note: no base URL is set, so sitemap.xml and canonical links were left out (use --base-url or base_url in _site.yml).")


def _pages(count: int) -> str:
    return f"{count} page" + ("" if count == 1 else "s")


def _tally(counts: dict[str, int]) -> str:
    parts = [f"{n} {kind}" + ("" if n == 1 else "s") for kind, n in counts.items() if n]
    return ", ".join(parts) if parts else "no problems"

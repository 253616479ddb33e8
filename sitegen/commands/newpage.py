"""`build.py new "Page title"`: start a draft page with every required field filled in, and placeholders that say how to write it.

The page is a draft (`draft: true`): it is not published, and not in the navigation, until the editor deletes
that line. Its description and body are placeholders that start with 'REPLACE:'; the build reports each one left
at its line (a warning, so --strict fails; a notice while the page is a draft).

The dates are written once, here, from today's date (or --as-of): published and last_reviewed are today, and
next_review is NEW_PAGE_REVIEW_MONTHS later, or sooner when the site's max_review_interval_months is shorter.
A new page has not had a clinical review, so its first review comes no later than the current pages' reviews.
nav_order puts the page after the last page of the navigation. An existing file is never overwritten; a title
that another page has, a name the site keeps for itself, and a name that another page is written to are refused.
"""

from __future__ import annotations

import argparse
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..load.files import find_content, name_problem, read_text
from ..load.frontmatter import split_front_matter
from ..load.pages import SLUG, output_path_for
from ..load.review_dates import add_months
from ..load.settings import load_settings
from ..markup.extensions.placeholders import MARKER
from ..problems import Problem, display_path, error

NEW_PAGE_REVIEW_MONTHS = 6
EXISTS = "this file already exists and was not changed; choose another title, or a file name with --slug"
# Names the site keeps for itself (the home page, the files the build writes), and names Windows cannot give a file.
RESERVED = {
    "index": "the home page's name",
    "404": "the page-not-found page's name",
    "sitemap": "the sitemap's name",
    "robots": "the name of robots.txt",
}
WINDOWS_NAMES = {"con", "prn", "aux", "nul", *(f"{kind}{n}" for kind in ("com", "lpt") for n in range(1, 10))}

DESCRIPTION = f"{MARKER} one or two sentences that say what this page is about, for search results and link previews."
BODY = f"""\
## Key points

- {MARKER} Start with the main points here, in 2 to 4 short bullets. Readers see them first, under the title.
- {MARKER} Say what the page says, and nothing more. Cite a source for each fact, as below.

## {MARKER} A first section

{MARKER} Use short sentences and plain words. Explain a hard word the first time you use it.

{MARKER} Put a source straight after each fact{{example}}. The part after the @ is the id of a source in
content/sources.md: add a new source there first. Every number needs a source in the same paragraph.
"""
EXAMPLE = ", like this: [@{key}]"
NO_EXAMPLE = ": its id from content/sources.md, after an @, in square brackets"


@dataclass
class Existing:
    """What new_page must not repeat: the titles of the pages (with their file and line), and where pages are written."""

    titles: dict[str, tuple[str, int]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # output path -> the page file written there
    top_nav_orders: list[int] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NewPage:
    path: Path
    text: str


def add_arguments(parser: argparse.ArgumentParser, project_root: Path) -> None:
    parser.add_argument("title", help="the page's title, in quotes")
    parser.add_argument("--slug", help="the file name without .md (default: made from the title)")
    parser.add_argument("--content", type=Path, default=project_root / "content", help="folder of Markdown pages (default: content/)")
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="write the dates as if today were this day (for tests)",
    )


def slugify(title: str) -> str:
    """'Side effects: what to expect' -> 'side-effects-what-to-expect'; accents dropped, at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-")


def quoted(text: str) -> str:
    """text as a YAML double-quoted value: safe whatever it holds (a colon, a ' #', a quote)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def same_title(title: str) -> str:
    return " ".join(title.casefold().split())


def existing_pages(content_dir: Path) -> Existing:
    """The titles, addresses and navigation order of the pages in content_dir (pages that cannot be read are skipped)."""
    found = Existing()
    content, _ = find_content(content_dir, (content_dir,))
    for file in content.pages:
        text, _ = read_text(file.path, file.shown)
        parsed = split_front_matter(text, file.shown)[0] if text else None
        data = parsed.data if parsed else {}
        slug = data.get("slug") if isinstance(data.get("slug"), str) else None
        found.outputs[output_path_for(file.relative, slug)] = file.shown
        if parsed is None:
            continue
        if isinstance(data.get("title"), str):
            found.titles.setdefault(same_title(data["title"]), (file.shown, parsed.lines.line_of("title")))
        order = data.get("nav_order")
        if len(file.relative.parts) == 1 and isinstance(order, int) and not isinstance(order, bool):
            found.top_nav_orders.append(order)
        sources = data.get("sources")
        if isinstance(sources, list):
            found.source_ids.extend(s["id"] for s in sources if isinstance(s, dict) and isinstance(s.get("id"), str))
    return found


def name_problems(title: str, name: str, slug: str | None, shown_dir: str) -> list[Problem]:
    """Why the title or the file name cannot be used: a path, a name the site keeps, a name the build refuses."""
    for what, text in (("the title", title), ("--slug", slug or "")):
        separator = next((c for c in ("/", "\\") if c in text), None)
        if separator:
            return [
                error(
                    shown_dir,
                    1,
                    f"{what} {text!r} holds '{separator}', which would make it a path to a folder: write it without "
                    "'/' or '\\'. The page is always made in the content folder",
                )
            ]
    if not SLUG.match(name):
        reason = "the title has no letters or digits to make a file name from" if slug is None else f"{name!r} cannot be a file name"
        return [error(shown_dir, 1, f"{reason}; choose one with --slug, using lowercase letters, digits and '-'")]
    if name in RESERVED:
        return [error(shown_dir, 1, f"'{name}' is {RESERVED[name]}, which the site keeps; choose another file name with --slug")]
    if name in WINDOWS_NAMES:
        return [error(shown_dir, 1, f"'{name}' is a name that Windows cannot give a file; choose another file name with --slug")]
    problem = name_problem(f"{name}.md")
    return [error(shown_dir, 1, problem)] if problem else []


def new_page(title: str, content_dir: Path, today: datetime.date, slug: str | None = None) -> tuple[NewPage | None, list[Problem]]:
    """The new page's file and text, or the problem that stops it being written."""
    shown_dir = display_path(content_dir)
    title = " ".join(title.split())
    if not title:
        return None, [error(shown_dir, 1, 'give the page a title, for example: python3 build.py new "Side effects"')]
    name = slug if slug is not None else slugify(title)
    problems = name_problems(title, name, slug, shown_dir)
    if problems:
        return None, problems
    path = content_dir / f"{name}.md"
    if path.exists():
        return None, [error(display_path(path), 1, EXISTS)]
    if not content_dir.is_dir():
        return None, [error(shown_dir, 1, "the content folder does not exist")]
    existing = existing_pages(content_dir)
    if same_title(title) in existing.titles:
        other, line = existing.titles[same_title(title)]
        return None, [error(other, line, f"this page already has the title {title!r}; give the new page a title of its own")]
    output = output_path_for(path.relative_to(content_dir))
    if output in existing.outputs:
        other = existing.outputs[output]
        return None, [error(other, 1, f"this page is written to {output}, the new page's address; choose another file name with --slug")]
    settings, _ = load_settings(content_dir)
    months = min(NEW_PAGE_REVIEW_MONTHS, settings.max_review_interval_months if settings else NEW_PAGE_REVIEW_MONTHS)
    front = [
        f"title: {quoted(title)}",
        f"description: {quoted(DESCRIPTION)}",
        f"nav_title: {quoted(title)}",
        f"nav_order: {max([0, *existing.top_nav_orders]) + 1}",
        f"published: {today.isoformat()}",
        f"last_reviewed: {today.isoformat()}",
        f"next_review: {add_months(today, months).isoformat()}",
        "reviewed_by: []",
        "draft: true  # a draft is not published: delete this line when the page is ready",
    ]
    example = EXAMPLE.format(key=existing.source_ids[0]) if existing.source_ids else NO_EXAMPLE
    return NewPage(path, "---\n" + "\n".join(front) + "\n---\n\n" + BODY.format(example=example)), []


def write_new_page(page: NewPage) -> list[Problem]:
    """Write the file; never over an existing one (even one made since new_page() looked)."""
    try:
        with page.path.open("x", encoding="utf-8") as handle:
            handle.write(page.text)
    except FileExistsError:
        return [error(display_path(page.path), 1, EXISTS)]
    except OSError as exc:
        return [error(display_path(page.path), 1, f"cannot write the file: {(exc.strerror or str(exc)).lower()}")]
    return []

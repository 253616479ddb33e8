"""`build.py new "Page title"`: start a page with every required field filled in, and a body that says how to write it.

The dates are written once, here, from today's date (or --as-of): published and last_reviewed are today, and
next_review is NEW_PAGE_REVIEW_MONTHS later, or sooner when the site's max_review_interval_months is shorter.
A new page has not had a clinical review, so its first review comes no later than the current pages' reviews.
nav_order puts the page after the last page of the navigation. An existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .files import read_text
from .frontmatter import split_front_matter
from .pages import SLUG
from .problems import Problem, display_path, error
from .review import add_months
from .settings import load_settings

NEW_PAGE_REVIEW_MONTHS = 6
EXISTS = "this file already exists and was not changed; choose another title, or a file name with --slug"

BODY = """\
## Key points

- Start with the main points here, in 2 to 4 short bullets. Readers see them first, under the title.
- Say what the page says, and nothing more. Cite a source for each fact, as below.

## A first section

Use short sentences and plain words. Explain a hard word the first time you use it.

Put a source straight after each fact, like this: `[@gauthier2021]`. The part after the `@` is the `id` of a
source in `content/sources.md`. Add a new source there first.

Every number needs a source in the same paragraph. Write a number like this: `about 39 out of 100 people (39%)`.
"""


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


def next_nav_order(content_dir: Path) -> int:
    """One more than the largest nav_order of the pages at the top of content/ (pages that cannot be read are skipped)."""
    orders = [0]
    for path in sorted(content_dir.glob("*.md")):
        text, _ = read_text(path, display_path(path))
        parsed = split_front_matter(text, display_path(path))[0] if text else None
        order = parsed.data.get("nav_order") if parsed else None
        if isinstance(order, int) and not isinstance(order, bool):
            orders.append(order)
    return max(orders) + 1


def new_page(title: str, content_dir: Path, today: datetime.date, slug: str | None = None) -> tuple[NewPage | None, list[Problem]]:
    """The new page's file and text, or the problem that stops it being written."""
    shown_dir = display_path(content_dir)
    title = " ".join(title.split())
    if not title:
        return None, [error(shown_dir, 1, 'give the page a title, for example: python3 build.py new "Side effects"')]
    name = slug if slug is not None else slugify(title)
    if not SLUG.match(name):
        reason = "the title has no letters or digits to make a file name from" if slug is None else f"{name!r} cannot be a file name"
        return None, [error(shown_dir, 1, f"{reason}; choose one with --slug, using lowercase letters, digits and '-'")]
    path = content_dir / f"{name}.md"
    if path.exists():
        return None, [error(display_path(path), 1, EXISTS)]
    if not content_dir.is_dir():
        return None, [error(shown_dir, 1, "the content folder does not exist")]
    settings, _ = load_settings(content_dir)
    months = min(NEW_PAGE_REVIEW_MONTHS, settings.max_review_interval_months if settings else NEW_PAGE_REVIEW_MONTHS)
    front = [
        f"title: {quoted(title)}",
        f"description: {quoted('One or two sentences that say what this page is about, for search results and link previews.')}",
        f"nav_title: {quoted(title)}",
        f"nav_order: {next_nav_order(content_dir)}",
        f"published: {today.isoformat()}",
        f"last_reviewed: {today.isoformat()}",
        f"next_review: {add_months(today, months).isoformat()}",
        "reviewed_by: []",
    ]
    return NewPage(path, "---\n" + "\n".join(front) + "\n---\n\n" + BODY), []


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

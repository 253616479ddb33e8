"""Translations: which language each page is in, which page each translation translates, and what it was made from.

The site's first language is its default; its pages are content/*.md. The pages in each other language live in a
parallel tree, content/LANG/ (content/es/eficacia.md), and each names the page it translates in its front matter
(`translation_of: efficacy.md`, a path from content/). The file name is the translated address (es/eficacia.html),
and folders are that language's sections.

A translation is bound to the text it was made from, as a clinical review is bound to what was reviewed: `build.py
translated PAGE` writes a record, content/LANG/_translations/PAGE.json, which holds the fingerprint of the original
page and that page's text at the time (so that the build can show what changed since, even in a CI that checks out one
commit). A translation review (translator, reviewer, credentials, date) is recorded there too, bound to both texts.
The record is plain JSON, read as data and checked field by field; it is never code.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..problems import Problem, display_path, error
from .files import read_bytes
from .pages import Page
from .schema import suggest

RECORDS_FOLDER = "_translations"
RECORD_FORMAT = 1
MAX_RECORD_BYTES = 512 * 1024
FINGERPRINT = re.compile(r"^sha256:[0-9a-f]{64}$")
TEXT_FIELDS = ("title", "description", "nav_title", "body")


def language_of(relative: PurePosixPath, languages: tuple[str, ...]) -> str:
    """The language of a page from its path: a first folder named after a language other than the default."""
    first = relative.parts[0] if len(relative.parts) > 1 else ""
    return first if first in languages[1:] else languages[0]


def with_languages(pages: list[Page], languages: tuple[str, ...]) -> list[Page]:
    """Each page with its language set (pages in the default language keep '')."""
    if len(languages) < 2:
        return pages
    found = []
    for page in pages:
        language = language_of(page.relative, languages)
        found.append(dataclasses.replace(page, language=language) if language != languages[0] else page)
    return found


def original_text(page: Page) -> dict[str, Any]:
    """The part of the original page a translation translates: what readers see of it."""
    terms = [{"term": t.term, "abbreviation": t.abbreviation, "definition": t.definition} for t in page.terms]
    return {
        "title": page.title,
        "description": page.description,
        "nav_title": page.nav_title,
        "terms": terms,
        "body": page.body.replace("\r\n", "\n").replace("\r", "\n"),
    }


def text_fingerprint(text: dict[str, Any]) -> str:
    data = json.dumps(text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def translation_fingerprint(translation: Page, original_fingerprint: str) -> str:
    """What a translation review covers: the translation's own text and the original text it was checked against."""
    return text_fingerprint({"translation": original_text(translation), "original": original_fingerprint})


# --- the record of what a translation was made from -----------------------------------------------------------------


@dataclass(frozen=True)
class TranslationReview:
    translator: str
    reviewer: str
    credentials: str
    date: datetime.date
    fingerprint: str  # translation_fingerprint() of the translation and the original at the review


@dataclass(frozen=True)
class TranslationRecord:
    """content/LANG/_translations/PAGE.json: the original as it was when the translation was last brought up to date."""

    translation_of: str
    fingerprint: str  # text_fingerprint(original) at that time
    recorded: datetime.date
    original: dict[str, Any]  # original_text() at that time
    reviews: tuple[TranslationReview, ...] = ()


def record_path(content_dir: Path, translation: Page) -> Path:
    """content/es/eficacia.md -> content/es/_translations/eficacia.json (sub-folders kept)."""
    language_folder, *rest = translation.relative.parts
    return content_dir / language_folder / RECORDS_FOLDER / PurePosixPath(*rest).with_suffix(".json")


def read_record(path: Path) -> tuple[TranslationRecord | None, str | None]:
    """The record, or None and why it cannot be used (None and None when there is none)."""
    if not path.exists():
        return None, None
    data, problems = read_bytes(path, display_path(path), MAX_RECORD_BYTES)
    if data is None:
        return None, problems[0].message if problems else "it cannot be read"
    try:
        raw = json.loads(data.decode("utf-8"))
        return _record_of(raw), None
    except (ValueError, TypeError, KeyError) as exc:
        return None, f"it is not a record that `build.py translated` writes ({exc})"


def _record_of(raw: Any) -> TranslationRecord:
    if not isinstance(raw, dict) or raw.get("format") != RECORD_FORMAT:
        raise ValueError("unknown format")
    original = raw["original"]
    if not isinstance(original, dict) or not all(isinstance(original.get(k), str) for k in TEXT_FIELDS):
        raise ValueError("'original' must hold the original's text")
    if not isinstance(original.get("terms"), list):
        raise ValueError("'original' must hold its terms")
    fingerprint = raw["fingerprint"]
    if not isinstance(fingerprint, str) or not FINGERPRINT.match(fingerprint) or text_fingerprint(original) != fingerprint:
        raise ValueError("its fingerprint is not that of the text it holds")
    if not isinstance(raw["translation_of"], str):
        raise ValueError("'translation_of' must be text")
    reviews = []
    for item in raw.get("reviews", []):
        fields = {k: item[k] for k in ("translator", "reviewer", "credentials", "fingerprint")}
        if not all(isinstance(v, str) and v.strip() for v in fields.values()) or not FINGERPRINT.match(fields["fingerprint"]):
            raise ValueError("a review must have a translator, a reviewer, credentials and a fingerprint")
        reviews.append(TranslationReview(**fields, date=datetime.date.fromisoformat(item["date"])))
    return TranslationRecord(raw["translation_of"], fingerprint, datetime.date.fromisoformat(raw["recorded"]), original, tuple(reviews))


def record_data(record: TranslationRecord) -> bytes:
    data = {
        "format": RECORD_FORMAT,
        "translation_of": record.translation_of,
        "fingerprint": record.fingerprint,
        "recorded": record.recorded.isoformat(),
        "reviews": [dataclasses.asdict(r) | {"date": r.date.isoformat()} for r in record.reviews],
        "original": record.original,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


# --- the translations of the site --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Translation:
    """A page in another language, the page it translates, and the record of what it was made from."""

    page: Page
    original: Page
    record: TranslationRecord | None
    record_shown: str
    record_problem: str | None = None

    @property
    def fingerprint_now(self) -> str:
        return text_fingerprint(original_text(self.original))

    @property
    def up_to_date(self) -> bool:
        return self.record is not None and self.record.fingerprint == self.fingerprint_now

    @property
    def stale(self) -> bool:
        """The original has changed since the translation was last brought up to date with it (by its record)."""
        return self.record is not None and not self.up_to_date

    @property
    def current_review(self) -> TranslationReview | None:
        """The latest translation review that covers the translation and its original as they are now."""
        if self.record is None or not self.up_to_date:
            return None
        now = translation_fingerprint(self.page, self.record.fingerprint)
        return max((r for r in self.record.reviews if r.fingerprint == now), key=lambda r: r.date, default=None)


@dataclass(frozen=True)
class Translations:
    """Every translation of the site: by the translation's output path, and each original's versions by language."""

    by_translation: dict[str, Translation] = dataclasses.field(default_factory=dict)  # translation's output path -> it
    versions: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # any page's output path -> language -> path

    def alternates(self, output_path: str) -> dict[str, str]:
        """The page's versions by language (itself included), or {} for a page in one language only."""
        return self.versions.get(output_path, {})


def find_translations(pages: list[Page], languages: tuple[str, ...], content_dir: Path) -> tuple[Translations, list[Problem]]:
    """Each translation bound to its original; every problem with 'translation_of' at its line."""
    if len(languages) < 2:
        return Translations(), []
    default = languages[0]
    originals = {p.relative.as_posix(): p for p in pages if not p.language}
    problems: list[Problem] = []
    by_translation: dict[str, Translation] = {}
    taken: dict[tuple[str, str], Page] = {}  # (original, language) -> its first translation
    for page in pages:
        line = page.lines.line_of("translation_of") if page.translation_of else 1
        if not page.language:
            if page.translation_of:
                problems.append(
                    error(
                        page.shown,
                        line,
                        f"'translation_of' is for pages in another language (in content/{languages[1]}/ and the like); "
                        f"this page is in the site's first language, '{default}': delete the line",
                    )
                )
            continue
        if not page.translation_of:
            problems.append(
                error(
                    page.shown,
                    1,
                    f"this page is in content/{page.language}/, so it translates a page of the site: name that page with "
                    f"'translation_of', such as 'translation_of: {page.relative.relative_to(page.language).as_posix()}' "
                    "(its file in content/). The build keeps a translation in step with its original",
                )
            )
            continue
        named = page.translation_of.removeprefix("./")
        original = originals.get(named)
        if original is None:
            other = named.split("/", 1)[0] in languages[1:]
            why = "a translation, not a page in the first language" if other else f"not a page of the site{suggest(named, list(originals))}"
            problems.append(error(page.shown, line, f"'translation_of' names '{page.translation_of}', which is {why}"))
            continue
        first = taken.setdefault((named, page.language), page)
        if first is not page:
            problems.append(
                error(
                    page.shown,
                    line,
                    f"{first.shown} translates {named} already: a page has one translation in each language; "
                    "delete one of them, or correct its 'translation_of'",
                )
            )
            continue
        path = record_path(content_dir, page)
        record, record_problem = read_record(path)
        by_translation[page.output_path] = Translation(page, original, record, display_path(path), record_problem)
    versions: dict[str, dict[str, str]] = {}
    for translation in by_translation.values():
        group = versions.setdefault(translation.original.output_path, {default: translation.original.output_path})
        group[translation.page.language] = translation.page.output_path
    for group in list(versions.values()):
        for output in group.values():
            versions[output] = group
    return Translations(by_translation, versions), problems

"""Translations that cannot go stale: each translation against the record of the original it was made from.

- No record: a warning at the translation's 'translation_of' line, with the command that writes one.
- A record that cannot be used (edited by hand, cut short, for another page): an error at the record.
- The original has changed since the record: a warning at the translation's 'translation_of' line, then what changed
  as notices at the same line, a paragraph each, with '[removed: ...]' and '[added: ...]' (the record holds the
  original's text, so this works in a CI that checks out one commit). The translated page shows a notice too.

Warnings fail a build under --strict, so a stale translation is never published by CI.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..i18n import long_date
from ..load.translations import Translation, Translations, original_text
from ..problems import Problem, error, notice, warning

PARAGRAPHS = re.compile(r"\n[ \t]*\n+")


def translation_problems(translations: Translations) -> list[Problem]:
    problems: list[Problem] = []
    for translation in translations.by_translation.values():
        page, original = translation.page, translation.original
        line = page.lines.line_of("translation_of")
        command = f"`python3 build.py translated {page.shown}`"
        if translation.record_problem is not None:
            problems.append(
                error(
                    translation.record_shown,
                    1,
                    f"the record of the translation {page.shown} cannot be used: {translation.record_problem}. Records are written "
                    f"by {command}, never by hand: check that the translation is up to date with {original.shown}, then run it",
                )
            )
            continue
        record = translation.record
        if record is None:
            problems.append(
                warning(
                    page.shown,
                    line,
                    f"there is no record of the text of {original.shown} that this translation was made from, so the build cannot "
                    f"tell when {original.shown} changes: once the translation is up to date with it, run {command}",
                )
            )
            continue
        if record.translation_of != original.relative.as_posix():
            problems.append(
                warning(
                    page.shown,
                    line,
                    f"the record {translation.record_shown} is of a translation of {record.translation_of}, not of "
                    f"{original.relative.as_posix()}: once the translation is up to date with {original.shown}, run {command}",
                )
            )
            continue
        if translation.up_to_date:
            continue
        problems.append(
            warning(
                page.shown,
                line,
                f"{original.shown} has changed since this translation was brought up to date with it on {long_date(record.recorded)}: "
                f"translate the changes (each listed as a notice at this line), then run {command}. Until then the page tells readers "
                "that the original has changed",
            )
        )
        problems += [notice(page.shown, line, f"changed in {original.shown}: {change}") for change in changes(translation)]
    return problems


def changes(translation: Translation) -> list[str]:
    """What changed in the original since the record, a paragraph a line, as a diff of words."""
    from ..word_diff import shown, words

    record = translation.record
    assert record is not None
    before, after = paragraphs(record.original), paragraphs(original_text(translation.original))
    found: list[str] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = before[a0:a1], after[b0:b1]
        for index in range(max(len(olds), len(news))):
            found.append(shown(words(olds[index] if index < len(olds) else "", news[index] if index < len(news) else "")))
    return found


def paragraphs(text: dict[str, Any]) -> list[str]:
    """The original's text as readers meet it: its title, description and navigation title, each paragraph of its
    body, and each glossary term with its definition."""
    terms = [f"{t['term']}{' (' + t['abbreviation'] + ')' if t.get('abbreviation') else ''}: {t['definition']}" for t in text["terms"]]
    body = [p.strip() for p in PARAGRAPHS.split(text["body"].strip()) if p.strip()]
    return [f"title: {text['title']}", f"description: {text['description']}", f"nav_title: {text['nav_title']}", *body, *terms]

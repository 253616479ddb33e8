"""build.py translations --update, and build.py translated PAGE: the tools of a site in several languages.

`translations --update` extracts every message the templates use (Babel's Jinja extractor) into
templates/locale/messages.pot, and every message the generator marks N_("...") into sitegen/locale/sitegen.pot; then
it updates each language's .po from them, as `pybabel update` does: a new message gets an empty msgstr (which the
build reports until it is written), a translation is kept, and a changed message is kept as a fuzzy guess.

`translated PAGE` records that a translation is up to date with its original: the original's fingerprint and text, in
content/LANG/_translations/PAGE.json. With --translator, --reviewer and --credentials it records a translation
review as well, bound to the translation and its original as they are.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ..i18n import (
    DOMAIN,
    GENERATOR_DOMAIN,
    PACKAGE_LOCALE,
    catalogue_path,
    extract_generator_messages,
    extract_template_messages,
    update_catalogue,
    write_template,
)
from ..load.settings import load_settings
from ..load.translations import (
    TranslationRecord,
    TranslationReview,
    original_text,
    record_data,
    record_path,
    text_fingerprint,
    translation_fingerprint,
)
from ..pipeline import BuildOptions, analyse_for_review, not_a_page
from ..problems import Problem, display_path, error
from ..write.files import replace_file


def update_catalogues(content_dir: Path, templates_dir: Path, generator: bool = True) -> tuple[list[str], list[Problem]]:
    """Extract the messages and update every language's catalogues; the files written, or the problems."""
    settings, problems = load_settings(content_dir)
    if settings is None:
        return [], problems
    written: list[str] = []
    targets = [(extract_template_messages(templates_dir), templates_dir / "locale", DOMAIN)]
    if generator and os.access(PACKAGE_LOCALE, os.W_OK):
        targets.append((extract_generator_messages(), PACKAGE_LOCALE, GENERATOR_DOMAIN))
    for template, folder, domain in targets:
        pot = folder / f"{domain}.pot"
        write_template(template, pot)
        written.append(display_path(pot))
        for language in settings.all_languages[1:]:
            path = catalogue_path(folder, language, domain)
            update_catalogue(template, path, language)
            written.append(display_path(path))
    return written, []


@dataclasses.dataclass(frozen=True)
class ReviewOfTranslation:
    translator: str
    reviewer: str
    credentials: str


def record_translation(options: BuildOptions, path: Path, review: ReviewOfTranslation | None = None) -> tuple[str | None, list[Problem]]:
    """Write the translation's record; the message to show, or the problems that stopped it (the page is unchanged)."""
    analysis = analyse_for_review(options)
    wanted = path.resolve()
    translation = next((t for t in analysis.loaded.translations.by_translation.values() if t.page.path.resolve() == wanted), None)
    if translation is None:
        page = analysis.find(path)
        if page is None:
            return None, analysis.errors_in(path) or [not_a_page(path, options.content_dir)]
        return None, [
            error(page.page.shown, 1, "this page is not a translation: only a page in content/LANG/ with 'translation_of' has a record")
        ]
    blocking = [p for p in analysis.problems if p.path in (translation.page.shown, translation.original.shown) and p.is_error]
    if blocking:
        return None, [
            *blocking,
            error(translation.page.shown, 1, "the translation was not recorded, because of the problems reported with it"),
        ]
    text = original_text(translation.original)
    fingerprint = text_fingerprint(text)
    reviews = translation.record.reviews if translation.record is not None else ()
    today = options.today
    if review is not None:
        covered = translation_fingerprint(translation.page, fingerprint)
        reviews = (*reviews, TranslationReview(review.translator, review.reviewer, review.credentials, today, covered))
    record = TranslationRecord(translation.original.relative.as_posix(), fingerprint, today, text, reviews)
    replace_file(record_path(options.content_dir, translation.page), record_data(record))
    what = f" and the review by {review.reviewer}" if review else ""
    return (
        f"Recorded {translation.page.shown} as a translation of {translation.original.shown} as it is now{what}, in "
        f"{translation.record_shown} ({fingerprint[:19]}…). Commit it with the translation.",
        [],
    )

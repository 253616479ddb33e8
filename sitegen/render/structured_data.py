"""schema.org MedicalWebPage JSON-LD, made from the same front matter as the visible page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ..load.pages import Page, Reviewer, Source
from ..load.settings import SiteSettings


def citation_entry(source: Source) -> dict[str, Any]:
    entry: dict[str, Any] = {"@type": "ScholarlyArticle" if source.doi or source.pmid else "CreativeWork", "name": source.title}
    if source.authors:
        entry["author"] = source.authors
    if source.container:
        entry["isPartOf"] = source.container
    if source.year:
        entry["datePublished"] = str(source.year)
    if source.doi:
        entry["sameAs"] = f"https://doi.org/{source.doi}"
    elif source.url:
        entry["url"] = source.url
    return entry


def medical_web_page(
    page: Page, settings: SiteSettings, cited: list[Source], url: str | None, current_reviews: Sequence[Reviewer] = ()
) -> dict[str, Any]:
    """The page's data. reviewedBy and lastReviewed come only from clinical reviews that cover the page as it is now: the
    editor's own check ('last_reviewed') is shown on the page, but is not a clinical review, so it is not claimed here."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "description": page.description,
        "inLanguage": settings.language,
        "datePublished": page.published.isoformat(),
        "audience": {"@type": "Patient"},
        "about": {"@type": "MedicalTherapy", "name": "CAR T-cell therapy"},
        "publisher": publisher(settings),
    }
    if url:
        data["url"] = url
    if current_reviews:
        data["lastReviewed"] = max(r.date for r in current_reviews).isoformat()
        data["reviewedBy"] = [{"@type": "Person", "name": r.name, "jobTitle": r.credentials} for r in current_reviews]
    if cited:
        data["citation"] = [citation_entry(s) for s in cited]
    return data


def publisher(settings: SiteSettings) -> dict[str, Any]:
    """The publisher as the site settings give it: name, and where readers reach it."""
    data: dict[str, Any] = {"@type": "Organization", "name": settings.publisher}
    if settings.contact_url:
        kind = "email" if settings.contact_url.startswith("mailto:") else "url"
        value = settings.contact_url.removeprefix("mailto:")
        data["contactPoint"] = {"@type": "ContactPoint", "contactType": "feedback", kind: value}
    return data


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<' is escaped so the text can never close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))

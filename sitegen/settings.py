"""Site-wide settings, read from content/_site.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .frontmatter import parse_yaml, read_text
from .problems import Problem, display_path, error
from .schema import TEXT, WHOLE_NUMBER, Field, check_fields

SETTINGS_FILE = "_site.yml"

SETTINGS_FIELDS = {
    "title": Field(TEXT, required=True),
    "tagline": Field(TEXT),
    "language": Field(TEXT, required=True),
    "publisher": Field(TEXT, required=True),
    "caveat": Field(TEXT, required=True),
    "base_url": Field(TEXT),
    "review_grace_days": Field(WHOLE_NUMBER),
    "max_review_interval_months": Field(WHOLE_NUMBER),
}

LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


@dataclass(frozen=True)
class SiteSettings:
    title: str
    language: str
    publisher: str
    caveat: str
    tagline: str = ""
    base_url: str | None = None
    review_grace_days: int = 30
    max_review_interval_months: int = 12


def load_settings(content_dir: Path) -> tuple[SiteSettings | None, list[Problem]]:
    """Read and validate the settings file."""
    path = content_dir / SETTINGS_FILE
    shown = display_path(path)
    if not path.is_file():
        return None, [error(shown, 1, "site settings file is missing")]
    text, problems = read_text(path)
    if text is None:
        return None, problems
    data, lines, problems = parse_yaml(text, shown, first_line=1)
    if problems and data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, [error(shown, 1, "site settings must be a mapping of 'key: value' lines")]
    problems += check_fields(data, SETTINGS_FIELDS, shown, lines)
    language = data.get("language")
    if isinstance(language, str) and not LANGUAGE_TAG.match(language):
        problems.append(error(shown, lines.line_of("language"), f"'language' must be a language tag such as 'en', not {language!r}"))
    base_url = data.get("base_url")
    if isinstance(base_url, str) and (reason := base_url_problem(base_url)):
        problems.append(error(shown, lines.line_of("base_url"), reason))
    if problems:
        return None, problems
    if isinstance(base_url, str):
        data["base_url"] = normalise_base_url(base_url)
    return SiteSettings(**{k: " ".join(v.split()) if k == "caveat" else v for k, v in data.items()}), []


def base_url_problem(url: str) -> str | None:
    """Why url cannot be the site's base URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"base URL must start with https:// (or http://) and name a host, not {url!r}"
    if parts.query or parts.fragment:
        return f"base URL must not have a query or fragment: {url!r}"
    return None


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"

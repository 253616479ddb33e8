"""Site-wide settings, read from content/_site.yml: the site's name, its publisher, the caveat, the urgent-help box and
the emergency number it gives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..languages import LANGUAGES, number_words
from ..problems import Problem, display_path, error
from ..urls import split_url
from .files import read_text
from .frontmatter import LineMap, parse_yaml
from .schema import LIST, MAPPING, TEXT, TRUE_OR_FALSE, WHOLE_NUMBER, Field, check_fields

SETTINGS_FILE = "_site.yml"

SETTINGS_FIELDS = {
    "title": Field(TEXT, required=True),
    "tagline": Field(TEXT),
    "language": Field(TEXT),
    "languages": Field(LIST),
    "publisher": Field(TEXT, required=True),
    "contact": Field(TEXT),
    "repository_url": Field(TEXT),
    "funding": Field(TEXT, required=True),
    "conflicts_of_interest": Field(TEXT, required=True),
    "caveat": Field(TEXT, required=True),
    "urgent_help": Field(MAPPING, required=True),
    "emergency_number": Field(TEXT, required=True),
    "base_url": Field(TEXT),
    "review_grace_days": Field(WHOLE_NUMBER),
    "max_review_interval_months": Field(WHOLE_NUMBER),
    "require_current_review": Field(TRUE_OR_FALSE),
}
# The texts of content/LANG/_site.yml, for each language after the first (see LanguageSettings).
LANGUAGE_FIELDS = {
    "title": Field(TEXT, required=True),
    "tagline": Field(TEXT),
    "publisher": Field(TEXT),
    "funding": Field(TEXT, required=True),
    "conflicts_of_interest": Field(TEXT, required=True),
    "caveat": Field(TEXT, required=True),
    "urgent_help": Field(MAPPING, required=True),
}
LANGUAGE_URGENT_HELP_FIELDS = {
    "heading": Field(TEXT, required=True),
    "action": Field(TEXT, required=True),
    "signs": Field(LIST, required=True),
    "emergency": Field(TEXT, required=True),
    "tell_others": Field(TEXT),
    "compact_action": Field(TEXT),
    "shown_on_pages_that_mention": Field(LIST),
}
URGENT_HELP_FIELDS = {
    "heading": Field(TEXT, required=True),
    "action": Field(TEXT, required=True),
    "signs": Field(LIST, required=True),
    "emergency": Field(TEXT, required=True),
    "tell_others": Field(TEXT),
    "compact_action": Field(TEXT),
    "full_box_page": Field(TEXT),
    "sources": Field(LIST, required=True),
    "shown_on_pages_that_mention": Field(LIST, required=True),
}
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$")
LIMITS = {"review_grace_days": (0, 365), "max_review_interval_months": (1, 60)}
MAX_URGENT_HELP_ITEMS = 50  # each page's text is searched for every trigger
NUMBER_PLACE = "{emergency_number}"  # where the 'emergency' text of the box says the number
EMERGENCY_NUMBER = re.compile(r"^\+?[0-9](?:[0-9 -]{0,13}[0-9])?$")


@dataclass(frozen=True)
class UrgentHelp:
    """The "Get help straight away" box: set once here, shown on every page that names a side effect.

    Two tiers: the action and the signs (call the care team), then what to do when the team cannot be reached
    (get emergency help), with the emergency number, which is a setting of its own. With a full_box_page, that
    page shows the whole box and every other page a compact form: its own short action, the second tier, and a
    link to the whole box.
    """

    heading: str
    action: str
    signs: tuple[str, ...]
    sources: tuple[str, ...]
    triggers: tuple[str, ...]
    line: int = 1
    emergency: str = NUMBER_PLACE  # the second tier, with NUMBER_PLACE where the number goes
    emergency_number: str = ""
    tell_others: str = ""
    compact_action: str = ""
    full_box_page: str = ""  # the content file (such as side-effects.md) that shows the whole box
    full_box_path: str | None = None  # that page's output path, once the pages are loaded

    def applies_to(self, text: str) -> bool:
        """Whether a page's text names a side effect (any trigger word, in any letter case)."""
        lowered = text.lower()
        return any(re.search(rf"(?<![\w-]){re.escape(t.lower())}(?![\w-])", lowered) for t in self.triggers)

    def form_on(self, output_path: str) -> str:
        """'full' on the page that shows the whole box (every page, when none is named), else 'compact'."""
        return "full" if self.full_box_path is None or self.full_box_path == output_path else "compact"

    @property
    def emergency_parts(self) -> tuple[str, str]:
        """The 'emergency' text before and after the number, for the template to link the number."""
        before, _, after = self.emergency.partition(NUMBER_PLACE)
        return before, after

    @property
    def emergency_text(self) -> str:
        return self.emergency.replace(NUMBER_PLACE, self.emergency_number)

    @property
    def dial(self) -> str:
        """The number as a tel: link dials it: no spaces or hyphens."""
        return re.sub(r"[ -]", "", self.emergency_number)

    def written(self, form: str) -> dict[str, object]:
        """The settings a page with this form of the box shows, as _site.yml holds them (to compare with an earlier version)."""
        full = ("heading", "action", "signs", "emergency", "tell_others")
        keys = ("heading", "compact_action", "emergency") if form == "compact" else full
        values: dict[str, object] = {key: list(self.signs) if key == "signs" else getattr(self, key) for key in keys}
        return values | {"emergency_number": self.emergency_number}

    def shown_text(self, form: str) -> list[object]:
        """What a page with this form of the box shows readers: what a clinical review of the page covers."""
        if form == "compact":
            return [self.heading, self.compact_action, self.emergency_text]
        return [self.heading, self.action, list(self.signs), self.emergency_text, self.tell_others]


@dataclass(frozen=True)
class SiteSettings:
    """The site's settings, in one language: the first of 'languages' from content/_site.yml, any other with the texts
    of content/LANG/_site.yml (for_language)."""

    title: str
    language: str
    publisher: str
    funding: str
    conflicts_of_interest: str
    caveat: str
    urgent_help: UrgentHelp
    tagline: str = ""
    contact: str | None = None
    repository_url: str | None = None
    base_url: str | None = None
    review_grace_days: int = 30
    max_review_interval_months: int = 12
    require_current_review: bool = False
    shown: str = "content/_site.yml"
    lines: LineMap = field(default_factory=LineMap)
    languages: tuple[str, ...] = ()  # every language of the site, the default first; () for a site in one language

    @property
    def all_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @property
    def default_language(self) -> str:
        return self.all_languages[0]

    @property
    def is_default_language(self) -> bool:
        return self.language == self.default_language

    @property
    def contact_url(self) -> str | None:
        """The contact address as a link (mailto: for an email), for readers without a GitHub account."""
        if self.contact:
            return f"mailto:{self.contact}" if EMAIL.match(self.contact) else self.contact
        return None


def load_settings(content_dir: Path) -> tuple[SiteSettings | None, list[Problem]]:
    """Read and validate the settings file; every problem is reported at its line."""
    path = content_dir / SETTINGS_FILE
    shown = display_path(path)
    if not content_dir.is_dir():
        return None, []  # files.find_content reports the missing folder
    if not path.is_file():
        return None, [error(shown, 1, "the site settings file is missing: create it with title, language, publisher and caveat")]
    data, lines, problems = _read_mapping(path, shown)
    if data is None:
        return None, problems
    problems += check_fields(data, SETTINGS_FIELDS, shown, lines)
    problems += _check_values(data, shown, lines)
    urgent, found = _urgent_help(data.get("urgent_help"), data.get("emergency_number"), shown, lines)
    problems += found
    if any(p.is_error for p in problems) or urgent is None:
        return None, problems
    values: dict[str, Any] = {k: v for k, v in data.items() if k not in ("urgent_help", "emergency_number", "languages")}
    languages = tuple(data.get("languages") or ())
    values["language"] = languages[0] if languages else data["language"]
    values["languages"] = languages if len(languages) > 1 else ()
    values["caveat"] = " ".join(values["caveat"].split())
    for key in ("base_url", "repository_url"):
        if isinstance(values.get(key), str):
            values[key] = normalise_base_url(values[key]) if key == "base_url" else values[key].rstrip("/")
    return SiteSettings(**values, urgent_help=urgent, shown=shown, lines=lines), problems


def _check_values(data: dict[str, Any], shown: str, lines: LineMap) -> list[Problem]:
    problems = _language_problems(data, shown, lines)
    for key in ("base_url", "repository_url"):
        value = data.get(key)
        if isinstance(value, str) and (reason := base_url_problem(value)):
            problems.append(error(shown, lines.line_of(key), f"'{key}': {reason}"))
    contact = data.get("contact")
    if isinstance(contact, str) and not (EMAIL.match(contact) or base_url_problem(contact) is None):
        problems.append(
            error(
                shown,
                lines.line_of("contact"),
                f"'contact' must be an email address or a web address starting with https://, not {contact!r}",
            )
        )
    for key, (low, high) in LIMITS.items():
        value = data.get(key)
        # a number beyond a whole number's limits is reported by check_fields
        if isinstance(value, int) and WHOLE_NUMBER.accepts(value) and not low <= value <= high:
            problems.append(error(shown, lines.line_of(key), f"'{key}' must be between {low} and {high}, not {value}"))
    return problems


def _unreadable_numbers(language: str) -> str:
    return (
        f"the number check cannot read {language!r} yet: it knows the words for numbers of {', '.join(LANGUAGES)}; "
        "add the language's words to sitegen/languages.py"
    )


def _language_problems(data: dict[str, Any], shown: str, lines: LineMap) -> list[Problem]:
    """'language' (one) or 'languages' (a list, the default first): tags Babel knows, each once."""
    from ..i18n import is_known_language

    problems = []
    language, languages = data.get("language"), data.get("languages")
    if language is None and languages is None:
        return [error(shown, 1, "missing required field 'languages' (such as 'languages: [en]'), the site's languages, the default first")]
    if isinstance(language, str) and not (LANGUAGE_TAG.match(language) and is_known_language(language)):
        problems.append(error(shown, lines.line_of("language"), f"'language' must be a language tag such as 'en', not {language!r}"))
    elif isinstance(language, str) and number_words(language) is None:
        problems.append(error(shown, lines.line_of("language"), _unreadable_numbers(language)))
    if isinstance(languages, list):
        seen: set[str] = set()
        for index, tag in enumerate(languages):
            line = lines.line_of("languages", index)
            if not isinstance(tag, str) or not LANGUAGE_TAG.match(tag) or not is_known_language(tag):
                problems.append(
                    error(shown, line, f"item {index + 1} of 'languages' must be a language tag such as 'en' or 'es', not {tag!r}")
                )
            elif tag in seen:
                problems.append(error(shown, line, f"'languages' lists '{tag}' twice"))
            elif number_words(tag) is None:
                problems.append(error(shown, line, _unreadable_numbers(tag)))
            if isinstance(tag, str):
                seen.add(tag)
        if not languages:
            problems.append(error(shown, lines.line_of("languages"), "'languages' must list at least one language, the default first"))
        elif isinstance(language, str) and languages[0] != language:
            problems.append(
                error(
                    shown,
                    lines.line_of("language"),
                    f"'language' is '{language}', but 'languages' starts with {languages[0]!r}: the first of 'languages' is the "
                    "default language; delete 'language'",
                )
            )
    return problems


def _read_mapping(path: Path, shown: str) -> tuple[dict[str, Any] | None, LineMap, list[Problem]]:
    """A settings file's 'key: value' mapping with its lines; None, with the problems, when it is not one."""
    text, problems = read_text(path, shown)
    if text is None:
        return None, LineMap(), problems
    data, lines, problems = parse_yaml(text, shown, first_line=1, where="the site settings")
    if data is None and problems:
        return None, lines, problems
    if not isinstance(data, dict):
        return None, lines, [*problems, error(shown, 1, "the site settings must be a mapping of 'key: value' lines")]
    return data, lines, problems


def _urgent_help(value: Any, number: Any, shown: str, lines: LineMap) -> tuple[UrgentHelp | None, list[Problem]]:
    if not isinstance(value, dict):
        return None, []
    problems = check_fields(value, URGENT_HELP_FIELDS, shown, lines, prefix=("urgent_help",))
    for key in ("signs", "sources", "shown_on_pages_that_mention"):
        items = value.get(key)
        if isinstance(items, list) and (not items or not all(isinstance(i, str) and i.strip() for i in items)):
            problems.append(
                error(shown, lines.line_of("urgent_help", key), f"'{key}' in 'urgent_help' must list at least one piece of text")
            )
        elif isinstance(items, list) and len(items) > MAX_URGENT_HELP_ITEMS:
            problems.append(
                error(
                    shown,
                    lines.line_of("urgent_help", key),
                    f"'{key}' in 'urgent_help' lists {len(items)} entries; it may list at most {MAX_URGENT_HELP_ITEMS}",
                )
            )
    problems += _emergency_problems(value, number, shown, lines)
    if isinstance(value.get("full_box_page"), str) and not isinstance(value.get("compact_action"), str):
        problems.append(
            error(
                shown,
                lines.line_of("urgent_help", "full_box_page"),
                "with 'full_box_page', the other pages show a short form of the box: set its sentence as 'compact_action' in 'urgent_help'",
            )
        )
    if problems or not isinstance(number, str):
        return None, problems
    return (
        UrgentHelp(
            value["heading"],
            value["action"],
            tuple(value["signs"]),
            tuple(value["sources"]),
            tuple(value["shown_on_pages_that_mention"]),
            lines.line_of("urgent_help"),
            " ".join(value["emergency"].split()),
            number.strip(),
            value.get("tell_others", ""),
            value.get("compact_action", ""),
            value.get("full_box_page", "").strip(),
        ),
        [],
    )


def _emergency_problems(value: dict[str, Any], number: Any, shown: str, lines: LineMap) -> list[Problem]:
    """The emergency number is set once, as 'emergency_number'; the box's 'emergency' text says where it goes."""
    problems = []
    if isinstance(number, str) and not EMERGENCY_NUMBER.match(number.strip()):
        problems.append(
            error(
                shown,
                lines.line_of("emergency_number"),
                f'\'emergency_number\' must be the number to call, in digits, such as "911" or "112", not {number!r}',
            )
        )
    emergency = value.get("emergency")
    if isinstance(emergency, str) and emergency.count(NUMBER_PLACE) != 1:
        problems.append(
            error(
                shown,
                lines.line_of("urgent_help", "emergency"),
                f"'emergency' in 'urgent_help' must say where the emergency number goes: write {NUMBER_PLACE} once "
                f"(the number itself is set as 'emergency_number'), for example \"If you cannot reach your care team "
                f'straight away, get emergency help: call {NUMBER_PLACE}."',
            )
        )
    if isinstance(number, str) and number.strip():
        written = re.compile(rf"(?<![\w+]){re.escape(number.strip())}(?!\w)")
        for key in ("heading", "action", "emergency", "tell_others", "compact_action", "signs"):
            texts = value.get(key)
            if not isinstance(texts, list):
                texts = [texts]
            if any(isinstance(text, str) and written.search(text.replace(NUMBER_PLACE, "")) for text in texts):
                problems.append(
                    error(
                        shown,
                        lines.line_of("urgent_help", key),
                        f"'{key}' in 'urgent_help' writes the emergency number {number.strip()}: write {NUMBER_PLACE} "
                        "in 'emergency' instead, so that the number is set in one place ('emergency_number')",
                    )
                )
    return problems


def load_language_settings(content_dir: Path, settings: SiteSettings, language: str) -> tuple[SiteSettings | None, list[Problem]]:
    """The site's settings in another of its languages: the texts of content/LANG/_site.yml over content/_site.yml.

    What differs by language is set there: the site's title and tagline, the statements on the About page, the
    caveat, and the words of the urgent-help box (with the words that show it). What differs by country or not at
    all stays in content/_site.yml: the emergency number, the sources of the box, its whole-box page, the addresses.
    """
    from ..i18n import language_name

    path = content_dir / language / SETTINGS_FILE
    shown = display_path(path)
    name = language_name(language, "en")
    if not path.is_file():
        return None, [
            error(
                shown,
                1,
                f"the site's texts in {name} are missing: create this file with the title, funding, conflicts_of_interest, "
                f"caveat and urgent_help of content/{SETTINGS_FILE}, written in {name} (see docs/translations.md, 'Adding a language')",
            )
        ]
    data, lines, problems = _read_mapping(path, shown)
    if data is None:
        return None, problems
    problems += check_fields(data, LANGUAGE_FIELDS, shown, lines)
    urgent_data = data.get("urgent_help")
    urgent: UrgentHelp | None = None
    if isinstance(urgent_data, dict):
        problems += check_fields(urgent_data, LANGUAGE_URGENT_HELP_FIELDS, shown, lines, prefix=("urgent_help",))
        for key in ("signs", "shown_on_pages_that_mention"):
            items = urgent_data.get(key)
            if isinstance(items, list) and (not all(isinstance(i, str) and i.strip() for i in items) or len(items) > MAX_URGENT_HELP_ITEMS):
                problems.append(
                    error(
                        shown,
                        lines.line_of("urgent_help", key),
                        f"'{key}' in 'urgent_help' must list pieces of text, at most {MAX_URGENT_HELP_ITEMS}",
                    )
                )
        number = settings.urgent_help.emergency_number
        problems += _emergency_problems(urgent_data, number, shown, lines)
        if settings.urgent_help.full_box_page and not isinstance(urgent_data.get("compact_action"), str):
            problems.append(
                error(
                    shown,
                    lines.line_of("urgent_help"),
                    f"content/{SETTINGS_FILE} names a 'full_box_page', so the other pages show a short form of the box: "
                    f"set its sentence in {name} as 'compact_action' in 'urgent_help'",
                )
            )
        if not any(p.is_error for p in problems):
            urgent = replace(
                settings.urgent_help,
                heading=urgent_data["heading"],
                action=urgent_data["action"],
                signs=tuple(urgent_data["signs"]),
                triggers=tuple(urgent_data.get("shown_on_pages_that_mention") or ()),
                line=lines.line_of("urgent_help"),
                emergency=" ".join(urgent_data["emergency"].split()),
                tell_others=urgent_data.get("tell_others", ""),
                compact_action=urgent_data.get("compact_action", ""),
                full_box_path=None,
            )
    if any(p.is_error for p in problems) or urgent is None:
        return None, problems
    texts = {k: v for k, v in data.items() if k != "urgent_help"}
    texts["caveat"] = " ".join(texts["caveat"].split())
    return replace(settings, **texts, language=language, urgent_help=urgent, shown=shown, lines=lines), problems


def base_url_problem(url: str) -> str | None:
    """Why url cannot be a site's address, or None."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return f"the address must start with https:// (or http://) and name a host, not {url!r}"
    if parts.query or parts.fragment:
        return f"the address must not have a query or fragment: {url!r}"
    return None


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"

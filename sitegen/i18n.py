"""The site's languages and their message catalogues: gettext .po files, read with Babel's parser at build time.

Two catalogues per language, each a .po file that editors and translators edit (never a compiled .mo):
- the templates' words, beside the templates: templates/locale/LANG/LC_MESSAGES/messages.po;
- the generator's own words (risk pictures, generated pages, the report link), beside the package:
  sitegen/locale/LANG/LC_MESSAGES/sitegen.po. Python code marks them with N_("...") and looks them up with Words.

The first language of the site is its default; its words are the msgids themselves, so it needs no catalogue. Any
other language must translate every msgid the templates and the generator use: a missing, empty or fuzzy msgstr
is a problem at the line that uses it, or at the catalogue's line, and the build stops. A page is never shown
with English words in a Spanish page's place.
"""

from __future__ import annotations

import datetime
import functools
import gettext as gettext_module
import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import PoFileError, read_po, write_po

from .problems import Problem, display_path, error

DOMAIN = "messages"  # the templates' catalogue
GENERATOR_DOMAIN = "sitegen"  # the generator's own words
PACKAGE_LOCALE = Path(__file__).resolve().parent / "locale"
UPDATE_COMMAND = "python3 build.py translations --update"
JINJA_EXTRACTOR = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"trimmed": "true", "extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def N_(message: str) -> str:  # noqa: N802 (the gettext convention, which Babel's extractor looks for)
    """Marks a message of the generator's own for the catalogue; Words looks it up in the page's language."""
    return message


class MissingMessageError(LookupError):
    """A message that the language's catalogue lacks, met while rendering (the build checks the known ones first)."""


def locale_of(code: str) -> Locale:
    """Babel's locale for a language tag as HTML writes it ('en', 'en-GB', 'es')."""
    return Locale.parse(code, sep="-")


def language_name(code: str, in_language: str | None = None, capital: bool = True) -> str:
    """The language's name in that language (or in in_language): 'English', 'Español'; 'inglés' within Spanish text."""
    try:
        name = locale_of(code).get_display_name(locale_of(in_language or code)) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if capital else name


def is_known_language(code: str) -> bool:
    try:
        locale_of(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def long_date(value: datetime.date, language: str = "en") -> str:
    """'26 November 2026' in English (unambiguous everywhere); CLDR's long date in any other language, such as
    '30 de noviembre de 2026'."""
    english = language == "en" or language.startswith("en-")
    return format_date(value, "d MMMM y" if english else "long", locale=locale_of("en" if english else language))


def collation_key(text: str, language: str) -> tuple[str, str]:
    """A sort key by the language's alphabet: accents are ignored at first (á is a), but in Spanish ñ is a letter of its
    own, after n; then the text itself breaks ties."""
    folded = text.casefold()
    if language == "es":
        folded = folded.replace("ñ", "n\U0010ffff")
    letters = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return letters, text


# --- catalogues ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    string: str | tuple[str, ...]
    line: int
    fuzzy: bool


@dataclass(frozen=True)
class Catalogue:
    """One .po file as data: msgid -> its translation, with the line of its msgid."""

    language: str
    shown: str
    entries: dict[str | tuple[str, ...], Entry] = field(default_factory=dict)
    plural_expr: str = "(n != 1)"
    exists: bool = True

    def translated(self, msgid: str | tuple[str, ...]) -> str | tuple[str, ...] | None:
        entry = self.entries.get(msgid)
        if entry is None or entry.fuzzy or not _filled(entry.string):
            return None
        return entry.string


def _filled(string: str | tuple[str, ...]) -> bool:
    return all(s.strip() for s in string) if isinstance(string, tuple) else bool(string.strip())


def _as_read(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """A message's id or translation as Babel gives it: a plural one's forms as a tuple (Babel's types allow a list)."""
    return value if isinstance(value, str) else tuple(value)


def catalogue_path(folder: Path, language: str, domain: str) -> Path:
    return folder / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(path: Path, language: str) -> tuple[Catalogue, list[Problem]]:
    """A .po file, read with Babel's parser; one that is missing or cannot be read is an empty catalogue and a problem."""
    shown = display_path(path)
    if not path.is_file():
        return Catalogue(language, shown, exists=False), []
    try:
        data = path.read_bytes()
        catalog = read_po(io.BytesIO(data), locale=language, abort_invalid=True)
    except (OSError, PoFileError, ValueError, UnknownLocaleError) as exc:
        line = getattr(exc, "lineno", 1) or 1
        return Catalogue(language, shown, exists=False), [error(shown, line, f"the catalogue cannot be read: {exc}")]
    entries = {
        _as_read(message.id): Entry(_as_read(message.string), message.lineno or 1, message.fuzzy)
        for message in catalog
        if message.id and not isinstance(message.string, type(None))
    }
    return Catalogue(language, shown, entries, catalog.plural_expr or "(n != 1)"), []


@functools.lru_cache(maxsize=16)
def _read_cached(path: str, language: str, stamp: tuple[int, int]) -> tuple[Catalogue, tuple[Problem, ...]]:
    catalogue, problems = read_catalogue(Path(path), language)
    return catalogue, tuple(problems)


def load_catalogue(folder: Path, language: str, domain: str) -> tuple[Catalogue, list[Problem]]:
    """read_catalogue(), once per process while the file is unchanged (the preview and the tests build many times)."""
    path = catalogue_path(folder, language, domain)
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)
    catalogue, problems = _read_cached(str(path), language, stamp)
    return catalogue, list(problems)


# --- the messages in use, and what a language lacks ------------------------------------------------------------------


@dataclass(frozen=True)
class UsedMessage:
    msgid: str | tuple[str, ...]
    shown: str  # where it is used: a template, or the generator's catalogue template (.pot)
    line: int


def template_messages(templates_dir: Path, sources: dict[str, str]) -> list[UsedMessage]:
    """Every message the templates use, with its file and line, as Babel's Jinja extractor finds it."""
    return list(_template_messages(str(templates_dir), tuple(sorted(sources.items()))))


@functools.lru_cache(maxsize=8)
def _template_messages(templates_dir: str, sources: tuple[tuple[str, str], ...]) -> tuple[UsedMessage, ...]:
    from jinja2.ext import babel_extract

    found: list[UsedMessage] = []
    for name, text in sources:
        if not name.endswith((".html", ".xml", ".txt")):
            continue
        shown = display_path(Path(templates_dir) / name)
        try:
            extracted = list(babel_extract(io.BytesIO(text.encode("utf-8")), ("gettext", "ngettext", "_"), [], JINJA_OPTIONS))
        except Exception:  # noqa: BLE001 (a template with a syntax error is reported by check_templates)
            continue
        for line, _function, message, _comments in extracted:
            msgid = _msgid(message)
            if msgid is not None:
                found.append(UsedMessage(msgid, shown, line))
    return tuple(found)


def _msgid(message: object) -> str | tuple[str, ...] | None:
    if isinstance(message, str):
        return message or None
    if isinstance(message, tuple) and message and isinstance(message[0], str):
        strings = tuple(m for m in message if isinstance(m, str))
        return strings if len(strings) > 1 else strings[0]
    return None


def generator_messages() -> list[UsedMessage]:
    """The generator's own messages, as its catalogue template (sitegen/locale/sitegen.pot) lists them."""
    return list(_generator_messages())


@functools.lru_cache(maxsize=1)
def _generator_messages() -> tuple[UsedMessage, ...]:
    path = PACKAGE_LOCALE / f"{GENERATOR_DOMAIN}.pot"
    with path.open("rb") as file:
        catalog = read_po(file)
    shown = display_path(path)
    return tuple(UsedMessage(_as_read(m.id), shown, m.lineno or 1) for m in catalog if m.id)


def extract_generator_messages() -> Catalog:
    """The generator's messages, marked N_("...") in its Python files, and those of its own templates (the review
    packet's), as a catalogue template."""
    catalog = Catalog(project="sitegen", charset="utf-8", fuzzy=False)
    package = PACKAGE_LOCALE.parent
    for path in sorted(package.rglob("*.py")):
        for line, message, comments, context in extract_from_file("python", path, keywords={"N_": None}):
            catalog.add(message, None, [(path.relative_to(package.parent).as_posix(), line)], auto_comments=comments, context=context)
    _add_template_messages(catalog, sorted(package.rglob("*.html")), package.parent)
    return catalog


def missing_messages(used: Iterable[UsedMessage], catalogue: Catalogue, update_hint: str) -> list[Problem]:
    """Each message in use that the catalogue does not translate: at the line that uses it when the catalogue lacks it,
    at the catalogue's line when its msgstr is empty or fuzzy. One problem per msgid."""
    name = language_name(catalogue.language, "en")
    problems: list[Problem] = []
    seen: set[str | tuple[str, ...]] = set()
    for use in used:
        if use.msgid in seen:
            continue
        seen.add(use.msgid)
        shown_id = use.msgid if isinstance(use.msgid, str) else use.msgid[0]
        entry = catalogue.entries.get(use.msgid)
        if entry is None:
            problems.append(
                error(
                    use.shown,
                    use.line,
                    f'the message "{shown_id}" has no {name} translation in {catalogue.shown}: '
                    f"{update_hint} adds it, then write its msgstr",
                )
            )
        elif entry.fuzzy:
            problems.append(
                error(
                    catalogue.shown,
                    entry.line,
                    f'the {name} translation of "{shown_id}" is marked fuzzy (a guess by the update): '
                    'check it, then delete its "#, fuzzy" line',
                )
            )
        elif not _filled(entry.string):
            problems.append(error(catalogue.shown, entry.line, f'the message "{shown_id}" has no {name} translation yet: write its msgstr'))
    return problems


# --- looking words up ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """gettext and ngettext for one language. The default language's words are the msgids; any other language's
    come from its catalogues, and a message they lack raises MissingMessageError (never the English text). Plain data
    (its catalogues are), so that a page's cache key holds the words it is written in."""

    language: str
    catalogues: tuple[Catalogue, ...] = ()
    default: bool = True

    @functools.cached_property
    def _plural(self) -> Callable[[int], int]:
        return gettext_module.c2py(self.catalogues[0].plural_expr if self.catalogues else "(n != 1)")

    def __getstate__(self) -> dict[str, object]:  # sent to spawned workers: the compiled plural rule is made again there
        return {k: v for k, v in self.__dict__.items() if k != "_plural"}

    def _find(self, msgid: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for catalogue in self.catalogues:
            found = catalogue.translated(msgid)
            if found is not None:
                return found
        shown = msgid if isinstance(msgid, str) else msgid[0]
        raise MissingMessageError(f'the message "{shown}" has no {language_name(self.language, "en")} translation')

    def gettext(self, message: str) -> str:
        if self.default:
            return message
        found = self._find(message)
        return found if isinstance(found, str) else found[0]

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if self.default:
            return singular if count == 1 else plural
        found = self._find((singular, plural))
        forms = found if isinstance(found, tuple) else (found,)
        return forms[min(self._plural(count), len(forms) - 1)]

    def date(self, value: datetime.date) -> str:
        return long_date(value, self.language)


ENGLISH = Words("en")


def update_catalogue(template: Catalog, path: Path, language: str) -> None:
    """Make or update one language's .po from a catalogue template, as `pybabel update` does: new messages are added
    with an empty msgstr, and translations are kept (a changed message is kept as a fuzzy guess, to be checked)."""
    if path.is_file():
        with path.open("rb") as file:
            catalog = read_po(file, locale=language)
        catalog.update(template, update_header_comment=False)
    else:
        catalog = Catalog(locale=language, project=template.project, charset="utf-8", fuzzy=False)
        catalog.update(template)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, omit_header=False, ignore_obsolete=True, include_previous=False)
    path.write_bytes(buffer.getvalue())


def extract_template_messages(templates_dir: Path) -> Catalog:
    """The templates' messages, as a catalogue template (templates/locale/messages.pot)."""
    catalog = Catalog(project="site templates", charset="utf-8", fuzzy=False)
    paths = [
        path
        for path in sorted(templates_dir.rglob("*"))
        if path.suffix in (".html", ".xml", ".txt") and "static" not in path.relative_to(templates_dir).parts and path.is_file()
    ]
    _add_template_messages(catalog, paths, templates_dir)
    return catalog


def _add_template_messages(catalog: Catalog, paths: list[Path], relative_to: Path) -> None:
    """Every message of these Jinja templates (Babel's extractor), each at its file (relative to relative_to) and line."""
    for path in paths:
        for line, message, comments, context in extract_from_file(JINJA_EXTRACTOR, path, options=JINJA_OPTIONS):
            catalog.add(message, None, [(path.relative_to(relative_to).as_posix(), line)], auto_comments=comments, context=context)


def write_template(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, omit_header=False)
    path.write_bytes(buffer.getvalue())

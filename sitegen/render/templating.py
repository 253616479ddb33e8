"""The single Jinja environment (autoescape, StrictUndefined), rendering, and where a template wrote a given address.

templates/static/ holds files copied as they are; they are never compiled as templates. templates/style.css is the
site's stylesheet: every page carries it inline (Stylesheet), allowed by its hash in the page's
Content-Security-Policy. Compiled templates are kept in memory only (shared_environment), never on disk: Jinja's
bytecode cache loads marshalled code, and a file that a clone placed there would run. Compiling the site's templates
takes about 40 ms a build.
"""

from __future__ import annotations

import functools
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import tinycss2
from markupsafe import Markup

from ..html_facts import csp_hash, parse_html, srcset_urls
from ..i18n import ENGLISH, UPDATE_COMMAND, MissingMessageError, Words
from ..load.files import MAX_PAGE_BYTES, read_bytes, walk
from ..problems import Problem, display_path, error

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
STYLESHEET = "style.css"  # in the templates folder, beside the templates
STYLE_END = re.compile(r"</style", re.IGNORECASE)
JINJA_PART = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.DOTALL)


class _TemplateLoader(jinja2.FileSystemLoader):
    """Templates are the .html, .xml and .txt files outside static/ that files.walk finds: no hidden file, and no
    symbolic link that leads anywhere but to a file of templates/ (the build reports the others). Nothing else can
    be loaded, not even by {% include %}."""

    def __init__(self, templates_dir: Path) -> None:
        super().__init__(templates_dir)
        self.templates_dir = templates_dir
        self.names: frozenset[str] | None = None

    def list_templates(self) -> list[str]:
        found, _ = walk(self.templates_dir, (self.templates_dir,))
        names = [f.relative.as_posix() for f in found]
        return sorted(name for name in names if not name.startswith("static/") and name.endswith(TEMPLATE_SUFFIXES))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        if self.names is None:
            self.names = frozenset(self.list_templates())
        if template not in self.names:
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def make_environment(templates_dir: Path, words: Words = ENGLISH) -> jinja2.Environment:
    """Autoescaping, StrictUndefined Jinja environment over templates_dir, with no bytecode cache, in one language: its
    {% trans %} and _() words come from that language's catalogue (i18n.py), and long_date writes its dates."""
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=_TemplateLoader(templates_dir),
        bytecode_cache=None,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True  # as Babel extracts the messages (i18n.JINJA_OPTIONS)
    env.install_gettext_callables(words.gettext, words.ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    env.filters["long_date"] = words.date
    env.globals["language"] = words.language
    env.globals["english"] = words.language.split("-")[0] == "en"  # the sources are in English: marked lang="en" elsewhere
    return env


_ENVIRONMENTS: dict[tuple[str, str, str], jinja2.Environment] = {}


def shared_environment(templates_dir: Path, sources_digest: str, words: Words = ENGLISH) -> jinja2.Environment:
    """The environment for these template sources and words, reused by every build in this process while they are
    unchanged (the preview, and the tests), so that templates are compiled once."""
    from ..cache import digest

    key = (str(templates_dir.resolve()), sources_digest, digest(words.language, words.default, words.catalogues))
    if key not in _ENVIRONMENTS:
        while len(_ENVIRONMENTS) >= 8:
            _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
        _ENVIRONMENTS[key] = make_environment(templates_dir, words)
    return _ENVIRONMENTS[key]


def template_sources(templates_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    """The text of every template; a template that cannot be read is a problem at its first bad line."""
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    if not templates_dir.is_dir():
        what = "is not a folder" if templates_dir.exists() else "does not exist"
        return sources, [error(display_path(templates_dir), 1, f"the templates folder {what}; point --templates at it")]
    for name in sorted(_TemplateLoader(templates_dir).list_templates()):
        path = templates_dir / name
        shown = display_path(path)
        data, found = read_bytes(path, shown, MAX_PAGE_BYTES)
        if data is None:
            problems += found
            continue
        try:
            sources[name] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                error(
                    shown,
                    data[: exc.start].count(b"\n") + 1,
                    f"the template is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                )
            )
    return sources, problems


@dataclass(frozen=True)
class Stylesheet:
    """The site's stylesheet, which every page carries in a <style> element, so that the first paint needs no second
    request. The browser applies it only because the page's Content-Security-Policy names its hash."""

    text: str  # with line ends as the HTML parser leaves them (\n), which is what the hash is taken of

    @property
    def html(self) -> Markup:
        """The text to put between <style> and </style> as it is (CSS's '>' must not become '&gt;')."""
        return Markup(self.text)

    @property
    def csp_source(self) -> str:
        """The source expression that allows this <style> in a Content-Security-Policy: 'sha256-...'."""
        return csp_hash(self.text)


def read_stylesheet(templates_dir: Path) -> tuple[Stylesheet | None, list[Problem]]:
    """templates/style.css, or None when the templates have none; a stylesheet that cannot be used is a problem."""
    path = templates_dir / STYLESHEET
    if not path.is_file():
        return None, []
    shown = display_path(path)
    data, problems = read_bytes(path, shown, MAX_PAGE_BYTES)
    if data is None:
        return None, problems
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, f"the stylesheet is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    end = STYLE_END.search(text)
    if end:
        line = text.count("\n", 0, end.start()) + 1
        return None, [error(shown, line, "the stylesheet may not hold '</style', which would end the <style> element that carries it")]
    return Stylesheet(without_comments(text)), []


def without_comments(css: str) -> str:
    """The stylesheet as pages carry it: its comments, which are for the people who edit it, left out (a tenth of it,
    on every page), read by a CSS parser so that a '/*' inside a string stays."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=False)
    return re.sub(r"\n{3,}", "\n\n", tinycss2.serialize(rules)).strip() + "\n"


def check_templates(env: jinja2.Environment, templates_dir: Path, readable: set[str]) -> list[Problem]:
    """Compile every readable template, so that all syntax errors are reported at once."""
    problems: list[Problem] = []
    for name in sorted(readable):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(error(display_path(templates_dir / name), exc.lineno or 1, f"template syntax error: {exc.message}"))
        except RecursionError:
            problems.append(error(display_path(templates_dir / name), 1, "the template is nested too deeply to compile"))
    return problems


def render_template(
    env: jinja2.Environment, name: str, context: dict[str, Any], templates_dir: Path, page_shown: str
) -> tuple[str | None, list[Problem]]:
    """Render one template; a failure is reported at its template file and line."""
    try:
        return env.get_template(name).render(context), []
    except jinja2.TemplateNotFound as exc:
        return None, [error(display_path(templates_dir / name), 1, f"template not found: {exc.name}")]
    except jinja2.TemplateSyntaxError as exc:
        return None, [error(display_path(templates_dir / (exc.name or name)), exc.lineno or 1, f"template syntax error: {exc.message}")]
    except jinja2.UndefinedError as exc:
        where, line = _template_frame(exc, templates_dir, name)
        return None, [error(where, line, f"{undefined_message(exc.message or '')} (while rendering {page_shown})")]
    except UnicodeDecodeError:
        return None, [error(display_path(templates_dir / name), 1, "a template is not UTF-8 text; save it as UTF-8")]
    except MissingMessageError as exc:
        where, line = _template_frame(exc, templates_dir, name)
        return None, [
            error(where, line, f"{exc}: add it to the catalogue ({UPDATE_COMMAND}), then write its msgstr (while rendering {page_shown})")
        ]
    except Exception as exc:  # a template can raise anything that a filter or a test raises
        where, line = _template_frame(exc, templates_dir, name)
        return None, [error(where, line, f"template failed: {type(exc).__name__}: {exc} (while rendering {page_shown})")]


OWNERS = {"Page": "a page", "SpecialPage": "the page-not-found page", "SiteSettings": "the site settings", "Source": "a source"}
NO_ATTRIBUTE = re.compile(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'")


def undefined_message(message: str) -> str:
    """Jinja's message about a missing value, in words about the site rather than about Python objects."""
    match = NO_ATTRIBUTE.fullmatch(message)
    if match:
        owner = OWNERS.get(match.group(1), f"a {match.group(1)}")
        return f"the template uses '{match.group(2)}', which {owner} does not have"
    if message.endswith(" is undefined"):
        return f"the template uses {message.removesuffix(' is undefined')}, which is not defined"
    return message


def _template_frame(exc: BaseException, templates_dir: Path, fallback: str) -> tuple[str, int]:
    """Jinja rewrites tracebacks so that template frames carry the template's file and line."""
    root = templates_dir.resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            return display_path(path), frame.lineno or 1
    return display_path(templates_dir / fallback), 1


@dataclass(frozen=True)
class _Written:
    pattern: re.Pattern[str]
    shown: str
    line: int


@dataclass
class TemplateOrigins:
    """Where in the templates an address in the output was written: each attribute's text, with {{ ... }} as a wildcard."""

    written: list[_Written] = field(default_factory=list)

    @classmethod
    def of(cls, sources: dict[str, str], templates_dir: Path) -> TemplateOrigins:
        return _origins(tuple(sorted(sources.items())), templates_dir)

    @classmethod
    def parse(cls, sources: dict[str, str], templates_dir: Path) -> TemplateOrigins:
        origins = cls()
        for name, text in sorted(sources.items()):
            if not name.endswith(".html"):
                continue
            shown = display_path(templates_dir / name)
            for tag in parse_html(text).tags:
                for attribute in ("href", "src", "srcset", "imagesrcset", "poster", "data", "background", "action", "content"):
                    raw = tag.attrs.get(attribute)
                    for value in (srcset_urls(raw) if attribute.endswith("srcset") else [raw.strip()]) if raw else []:
                        parts = JINJA_PART.split(value)
                        regex = "".join(".*?" if JINJA_PART.fullmatch(part) else re.escape(part) for part in parts)
                        origins.written.append(_Written(re.compile(regex, re.DOTALL), shown, tag.line))
        return origins

    def locate(self, url: str) -> tuple[str, int] | None:
        """The template file and line that most likely wrote url: an exact text first, then the most specific pattern."""
        best: _Written | None = None
        for written in self.written:
            if written.pattern.fullmatch(url) and (best is None or len(written.pattern.pattern) > len(best.pattern.pattern)):
                best = written
        return (best.shown, best.line) if best else None


@functools.lru_cache(maxsize=8)
def _origins(sources: tuple[tuple[str, str], ...], templates_dir: Path) -> TemplateOrigins:
    """TemplateOrigins of these sources, made once per process while they are unchanged."""
    return TemplateOrigins.parse(dict(sources), templates_dir)

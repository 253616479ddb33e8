"""The site's extensions keep Python-Markdown's house style, checked on every module of sitegen/markup/extensions/.

- Each module has makeExtension(**kwargs), which makes the one Extension the module defines, and an extension can be
  loaded by its dotted name, with its config and the Document given through extension_configs.
- Each config option says what it is for.
- An extension that keeps state for the page being converted registers itself and clears that state in reset(),
  so that one converter serves every page; its processors keep none of their own.
- No extension module imports another: what they share is in sitegen/markup/page.py.
- converter.py's table of priorities is the one the extensions register.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree.ElementTree import Element

import markdown
import pytest
from markdown import Extension

from sitegen.markup import extensions
from sitegen.markup.converter import PageMarkdown
from sitegen.markup.extensions.citations import PageCitation
from sitegen.markup.page import Document
from sitegen.model import GlossaryEntry
from tests.markup.extensions.conftest import converter

PACKAGE = Path(extensions.__file__).parent
MODULES = sorted(info.name for info in pkgutil.iter_modules([str(PACKAGE)]))
# What an extension module may import from sitegen: the shared module, the markup modules below the extensions, and
# the layers below markup. Nothing from another extension, the converter, or a later phase.
MARKUP_SHARED = {"sitegen.markup.page", "sitegen.markup.pictures", "sitegen.markup.adapter", "sitegen.markup.binding"}
MARKUP_SHARED |= {"sitegen.markup.quantities", "sitegen.markup.readability"}
BELOW_MARKUP = ("sitegen.load", "sitegen.model", "sitegen.problems", "sitegen.languages", "sitegen.i18n", "sitegen.urls")
BELOW_MARKUP += ("sitegen.html_facts",)

PAGE = """\
## Key points

- Most people "feel better" -- within weeks.
- Ask your team about CRS.

## What the study found

About 39 out of 100 people responded [@gauthier2021, p. 3]. See [the other page](other.md) and [@gauthier2012].

![decorative](images/missing.png) Cytokine release syndrome is common... REPLACE: write this <span class="x" and more

```icon-array
title: People who responded
affected: 39
statement: About 39 out of 100 people responded.
affected_label: Responded
unaffected_label: Did not respond
sources: [gauthier2021]
```

One in five had a complete response: 20%. <b onclick="x">bold</b>
"""


def module(name: str) -> ModuleType:
    return importlib.import_module(f"sitegen.markup.extensions.{name}")


def extension_classes(found: ModuleType) -> list[type[Extension]]:
    return [c for _, c in inspect.getmembers(found, inspect.isclass) if issubclass(c, Extension) and c.__module__ == found.__name__]


def site_converter(language: str = "en") -> PageMarkdown:
    glossary = [GlossaryEntry("Cytokine release syndrome", "glossary.html#term-cytokine-release-syndrome", "CRS")]
    return converter(["gauthier2021"], {"other.md": "other.html"}, glossary, language=language)


def test_every_module_is_checked() -> None:
    """Every extension module's extension is in the converter, so that the checks below that convert a page see it."""
    assert {"document", "citations", "typography"} <= set(MODULES)
    used = {type(e) for e in site_converter().extensions}
    for name in MODULES:
        assert set(extension_classes(module(name))) <= used, f"extensions/{name}.py makes an extension the converter does not load"


@pytest.mark.parametrize("name", MODULES)
def test_each_module_makes_its_one_extension_with_make_extension(name: str) -> None:
    found = module(name)
    classes = extension_classes(found)
    assert len(classes) == 1, f"extensions/{name}.py defines {len(classes)} Extension classes; one module, one extension"
    make = getattr(found, "makeExtension", None)
    assert callable(make), f"extensions/{name}.py has no makeExtension(**kwargs)"
    parameters = list(inspect.signature(make).parameters.values())
    assert [p.kind for p in parameters] == [inspect.Parameter.VAR_KEYWORD], f"{name}.makeExtension must take **kwargs only"
    assert inspect.signature(make).return_annotation == classes[0].__name__


@pytest.mark.parametrize("name", MODULES)
def test_each_config_option_is_described(name: str) -> None:
    (extension,) = [e for e in site_converter().extensions if type(e).__module__ == module(name).__name__]
    for key, description in extension.getConfigInfo():
        assert isinstance(extension.config[key], list) and len(extension.config[key]) == 2, f"{name}: config[{key!r}]"
        assert isinstance(description, str) and len(description.split()) >= 3, f"{name}: the option {key!r} is not described"


def comparable(value: Any, shared: frozenset[int] = frozenset()) -> Any:
    """A value as it can be compared later: containers by their content, other objects by their own attributes; by
    identity the Document, extensions, elements and functions, and what another extension owns (ids in shared)."""
    if id(value) in shared or isinstance(value, (Extension, Document, Element, markdown.Markdown, re.Pattern)) or inspect.isroutine(value):
        return ("the object", id(value))
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return frozenset(value)  # a copy: the set may change later
    if isinstance(value, (str, int, float, bool, type(None))) or (dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen):
        return value
    if hasattr(value, "__dict__"):
        return (type(value).__name__, {key: comparable(item) for key, item in vars(value).items() if key != "md"})
    return value


def states(objects: list[Any]) -> list[Any]:
    """Each object's attributes, comparable. A container that several hold counts as the first one's only (the
    statements' passages, which numbers reads; typography's placeholders, which its processor fills)."""
    owner: dict[int, int] = {}
    for index, thing in enumerate(objects):
        for item in vars(thing).values():
            if isinstance(item, (list, dict, set)) or hasattr(item, "__dict__"):
                owner.setdefault(id(item), index)
    return [
        {key: comparable(item, frozenset(i for i, o in owner.items() if o != index)) for key, item in vars(thing).items() if key != "md"}
        for index, thing in enumerate(objects)
    ]


def own_processors(md: markdown.Markdown) -> list[Any]:
    """The processors that the extension modules define."""
    registries = (md.preprocessors, md.inlinePatterns, md.treeprocessors, md.postprocessors)
    return [p for registry in registries for p in registry if type(p).__module__.startswith(f"{extensions.__name__}.")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_extensions_that_keep_state_clear_it_in_reset(language: str) -> None:
    page = site_converter(language)
    objects = [*page.extensions, *own_processors(page.md)]  # the extensions first: what they share is theirs
    made = states(objects)
    result = page.render(PAGE)
    assert result.citations and result.key_points and result.prose and result.passages  # the page used every extension
    for thing, before, after in zip(objects, made, states(objects), strict=True):
        name = type(thing).__name__
        if after != before:
            assert isinstance(thing, Extension), f"{name} keeps state of its own: keep it on its extension, cleared in reset()"
            assert thing in page.md.registeredExtensions, f"{name} keeps state for a page, but does not register itself"
            assert hasattr(thing, "reset"), f"{name} keeps state for a page, but has no reset()"
    page.md.reset()
    assert states(objects) == made
    assert page.document_extension.document == Document()


def test_extensions_load_by_name_with_the_document_in_their_config() -> None:
    document = Document()
    md = markdown.Markdown(
        extensions=[
            "fenced_code",
            "sitegen.markup.extensions.document",
            "sitegen.markup.extensions.citations",
            "sitegen.markup.extensions.typography",
        ],
        extension_configs={
            "sitegen.markup.extensions.document": {"document": document},
            "sitegen.markup.extensions.citations": {"document": document, "known_keys": {"trial"}},
        },
    )
    html = md.convert('See "the trial" [@trial] and [@other].')
    assert html == (
        '<p>See &ldquo;the trial&rdquo; <sup class="citation">[<a href="#source-note-1"><span class="visually-hidden">source </span>'
        "1</a>]</sup> and [@other].</p>"
    )
    (citations,) = [e for e in md.registeredExtensions if type(e).__name__ == "CitationExtension"]
    assert citations.cited == [PageCitation("trial")]
    assert [str(p) for p in document.problems] == ["<text>:1: unknown source '@other'"]
    md.reset()
    assert citations.cited == [] and document.problems == []


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a module imports from (relative imports resolved)."""
    package = ["sitegen", "markup", "extensions"] if path.parent == PACKAGE else ["sitegen", "markup"]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.add(".".join([*base, *([node.module] if node.module else [])]))
    return names


@pytest.mark.parametrize("name", MODULES)
def test_no_extension_imports_another(name: str) -> None:
    for imported in imported_modules(PACKAGE / f"{name}.py"):
        if not imported.startswith("sitegen"):
            continue
        assert not imported.startswith("sitegen.markup.extensions"), f"extensions/{name}.py imports {imported}: share it in page.py"
        allowed = imported in MARKUP_SHARED or imported.startswith(BELOW_MARKUP)
        assert allowed, f"extensions/{name}.py imports {imported}, which is not below the extensions"


def test_the_shared_modules_import_no_extension() -> None:
    for shared in ("page.py", "pictures.py"):
        imported = imported_modules(PACKAGE.parent / shared)
        assert not [i for i in imported if i.startswith(("sitegen.markup.extensions", "sitegen.markup.converter"))], shared


def registrations() -> set[tuple[str, str, float]]:
    """(name, extension module, priority) of every processor the extension modules register, read from their source."""
    found = set()
    for name in MODULES:
        for node in ast.walk(ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "register":
                _, registered, priority = node.args
                found.add((ast.literal_eval(registered), name, float(ast.literal_eval(priority))))
    return found


def test_the_converters_priority_table_is_what_the_extensions_register() -> None:
    doc = importlib.import_module("sitegen.markup.converter").__doc__ or ""
    rows = re.findall(r"^\| (pre|inline|tree|post) \| (\w+) \| (-?[\d.]+) \| (\w+) \|", doc, re.MULTILINE)
    assert {(name, extension, float(priority)) for _, name, priority, extension in rows} == registrations()
    for language in ("en", "es"):  # percent_spacing only where the language writes '39 %'
        md = site_converter(language).md
        registries = {"pre": md.preprocessors, "inline": md.inlinePatterns, "tree": md.treeprocessors, "post": md.postprocessors}
        for stage, registry in registries.items():
            names = [name for row_stage, name, _, _ in rows if row_stage == stage]
            present = [name for name in names if name in registry]
            assert set(names) - set(present) == ({"percent_spacing"} if language == "en" and stage == "tree" else set())
            assert present == sorted(present, key=registry.get_index_for_name), f"{stage}: not in the order of the table"

"""Python-Markdown's own test suite, run through our converter.

The suite ships only in the source distribution of Python-Markdown, not in the installed package. .ci/install-tools
downloads the one that tests/tools/markdown-suite.txt pins (version and sha256) and unpacks its tests/ folder into
tests/tools/markdown-suite/ (ignored by git). Locally a missing suite skips these tests; in CI it fails them.

Every input of the suite is collected: each legacy .txt file, and each assertMarkdownRenders call of the
TestCase-based tests, with the keyword arguments that the suite gives Python-Markdown for it. Each input is then
converted three ways:
1. by Python-Markdown alone, with the suite's arguments;
2. by python_markdown(), with the suite's arguments and DocumentExtension (the line tracking every check uses, and
   the faster inline loop): the output must be byte-identical to 1, for every input;
3. by the site's converter, every site extension on (its extensions are fixed, so the suite's arguments are not
   used), against Python-Markdown alone with the site's built-in extensions: every difference is in DIFFERENCES,
   with its reason, and any other difference fails.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import unittest
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown
import markdown.extensions.codehilite  # the suite names these modules as attributes of markdown.extensions
import markdown.extensions.fenced_code
import markdown.extensions.toc
import pytest
from markdown import test_tools

from sitegen.markup.converter import BUILT_IN_CONFIGS, BUILT_IN_EXTENSIONS, MarkdownRefs, make_markdown, python_markdown
from sitegen.markup.extensions.document import DocumentExtension
from tests.conftest import REPO, require_tool

pytestmark = pytest.mark.slow  # a minute or more: the slow layer

SUITE = REPO / "tests" / "tools" / "markdown-suite"
PINNED = REPO / "tests" / "tools" / "markdown-suite.txt"
PACKAGE = "markdown_suite"  # the suite's tests/ folder, imported under this name (ours is already 'tests')
INPUTS = 1035  # in the suite of 3.11.3: 99 legacy files (it leaves out codehilite.txt), 936 assertMarkdownRenders calls

SIZE = "break it into shorter lines (Markdown joins the lines of a paragraph or list item)"


@dataclass(frozen=True)
class Case:
    name: str  # the suite's file, class and test, with [n] for its n-th input when it has several
    source: str
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class Difference:
    reason: str
    problem: str  # the start of the problem that the editor is shown, "LINE: message"
    withheld: bool = True  # the site shows no HTML; otherwise Python-Markdown alone fails, and the site shows the page


FENCE_OPTION = "Python-Markdown fails (TypeError: cannot serialize {}); the site shows the option as written"

# Every input on which the site's converter differs from Python-Markdown with the same built-in extensions. Most are a
# page over a limit: the limit reports it, and the page's HTML is withheld (empty), never shown with a part missing.
# The others make Python-Markdown itself fail, in fenced_code with attr_list; the site shows them as written.
DIFFERENCES = {
    "test_syntax/extensions/test_fenced_code.py::TestFencedCodeWithCodehilite::testFencedLanguageAttrGuesslang": Difference(
        FENCE_OPTION.format("False"), "1: the attribute 'guess_lang' on <code> is not allowed in a page", withheld=False
    ),
    "test_syntax/extensions/test_fenced_code.py::TestFencedCodeWithCodehilite::testFencedLanguageAttrLinenums": Difference(
        FENCE_OPTION.format("True"), "1: the attribute 'linenums' on <code> is not allowed in a page", withheld=False
    ),
    "test_syntax/extensions/test_fenced_code.py::TestFencedCodeWithCodehilite::testFencedLanguageAttrNoclasses": Difference(
        FENCE_OPTION.format("True"), "1: the attribute 'noclasses' on <code> is not allowed in a page", withheld=False
    ),
    "test_legacy.py::TestExtensionsExtra::test_footnote_many_footnotes": Difference(
        "4,797 lines: over the 2,000 lines of a page", "2001: this page has 4,797 lines; a page may have at most 2,000"
    ),
    "test_syntax/extensions/test_footnotes.py::TestFootnotes::test_many_footnote_definitions": Difference(
        "5,001 lines: over the 2,000 lines of a page", "2001: this page has 5,001 lines; a page may have at most 2,000"
    ),
    "test_syntax/extensions/test_toc.py::TestTOC::testManyHeadersWithSameText": Difference(
        "10,001 lines: over the 2,000 lines of a page", "2001: this page has 10,001 lines; a page may have at most 2,000"
    ),
    "test_syntax/blocks/test_headers.py::TestHashHeaders::test_long_run_of_hashes_not_at_end": Difference(
        "a heading of 20,000 '#': over the 2,000 characters of a line",
        f"1: this line has 20,003 characters; a line may have at most 2,000: {SIZE}",
    ),
    "test_syntax/blocks/test_html_blocks.py::TestHTMLBlocks::test_many_unclosed_comments": Difference(
        "50,000 '<!--' on one line: over the 2,000 characters of a line",
        f"1: this line has 200,000 characters; a line may have at most 2,000: {SIZE}",
    ),
    "test_syntax/extensions/test_md_in_html.py::TestDefaultwMdInHTML::test_many_unclosed_comments": Difference(
        "the same, in md_in_html's copy of the HTML block tests",
        f"1: this line has 200,000 characters; a line may have at most 2,000: {SIZE}",
    ),
    "test_syntax/blocks/test_reference_links.py::TestReferenceLinks::test_malformed_reference_with_long_run_of_spaces": Difference(
        "a link reference with 50,000 spaces: over the 2,000 characters of a line",
        f"1: this line has 50,005 characters; a line may have at most 2,000: {SIZE}",
    ),
    "test_syntax/extensions/test_attr_list.py::TestAttrList::test_unclosed_curly_with_long_run_of_spaces": Difference(
        "an attribute list with 50,000 spaces: over the 2,000 characters of a line",
        f"2: this line has 50,002 characters; a line may have at most 2,000: {SIZE}",
    ),
}


def suite_version() -> str:
    """The Python-Markdown version whose suite markdown-suite.txt pins."""
    for line in PINNED.read_text(encoding="utf-8").splitlines():
        if line.lower().startswith("markdown=="):
            return line.split("==", 1)[1].split()[0]
    raise AssertionError(f"{PINNED} pins no markdown version")


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    require_tool((SUITE / "tests" / "test_legacy.py").is_file(), f"Python-Markdown's test suite ({SUITE.relative_to(REPO)})")
    return collect()


def test_the_suite_is_that_of_the_installed_python_markdown(cases: list[Case]) -> None:
    """Canary for an upgrade: the suite must be the installed version's, and every one of its inputs is found."""
    assert markdown.__version__ == suite_version(), (
        f"Python-Markdown {markdown.__version__} is installed, but {PINNED.name} pins the suite of {suite_version()}: "
        "put the new version and its sdist's sha256 there, run .ci/install-tools, and review DIFFERENCES"
    )
    assert len(cases) == INPUTS
    assert len({case.name for case in cases}) == INPUTS
    assert sum(case.name.startswith("test_legacy.py") for case in cases) == 99


def test_with_only_line_tracking_the_output_is_python_markdowns_own(cases: list[Case]) -> None:
    """Byte for byte, and where Python-Markdown fails (a formatter of the suite's that this Pygments rejects), the
    same failure."""
    differing = [case.name for case in cases if outcome(stock, case) != outcome(tracked, case)]
    assert differing == []


def test_the_site_differs_from_python_markdown_only_where_listed(cases: list[Case]) -> None:
    site = make_markdown(MarkdownRefs())
    differing = {}
    for case in cases:
        ours = site.render(case.source)
        # A listed page that is withheld differs (Python-Markdown makes HTML of any text), and is not converted by
        # Python-Markdown alone: these are the inputs that take it seconds, which the limits are there to stop.
        withheld_as_listed = ours.html == "" and case.name in DIFFERENCES
        if withheld_as_listed or ours.html != outcome(site_stock, case.source):
            differing[case.name] = (ours.html, [str(problem) for problem in ours.problems])
    assert sorted(differing) == sorted(DIFFERENCES)
    for name, difference in DIFFERENCES.items():
        html, problems = differing[name]
        assert (html == "") == difference.withheld, name
        assert any(problem.startswith(f"<text>:{difference.problem}") for problem in problems), (name, problems[:3])
        if not difference.withheld:
            source = next(case.source for case in cases if case.name == name)
            assert outcome(site_stock, source).startswith("raised TypeError: cannot serialize"), name


# --- converting ----------------------------------------------------------------------------------------------


def outcome(convert: Callable[[Any], str], argument: Any) -> str:
    """The HTML, or the exception that Python-Markdown raised."""
    try:
        return convert(argument)
    except Exception as error:  # Python-Markdown's own failures are compared, not raised
        return f"raised {type(error).__name__}: {error}"


def stock(case: Case) -> str:
    return markdown.Markdown(**case.kwargs).convert(case.source)


def tracked(case: Case) -> str:
    kwargs = dict(case.kwargs)
    extensions = [*kwargs.pop("extensions", []), DocumentExtension()]
    return python_markdown(extensions, **kwargs).convert(case.source)


@cache
def _site_stock() -> markdown.Markdown:
    # smarty: the site's typographer gives its output in one pass (tests/markup/extensions/test_typography.py lists where not)
    return markdown.Markdown(extensions=[*BUILT_IN_EXTENSIONS, "smarty"], extension_configs=BUILT_IN_CONFIGS, output_format="html")


def site_stock(source: str) -> str:
    md = _site_stock()
    md.reset()
    return md.convert(source)


# --- collecting the suite's inputs ---------------------------------------------------------------------------


class _RecordedError(Exception):
    """Stops a legacy test once its input is recorded."""


def collect() -> list[Case]:
    """Every input of the suite: each test is run with Python-Markdown's two entry points replaced by recorders."""
    found: list[tuple[str, dict[str, Any]]] = []

    def record(self: test_tools.TestCase, source: str, expected: str, expected_attrs: Any = None, **kwargs: Any) -> None:
        found.append((source, {**self.default_kwargs, **kwargs}))

    def record_legacy(source: str, **kwargs: Any) -> str:
        found.append((source, kwargs))
        raise _RecordedError

    cases = []
    saved = test_tools.TestCase.assertMarkdownRenders, test_tools.markdown, os.environ.get("PYGMENTS_VERSION")
    test_tools.TestCase.assertMarkdownRenders = record  # type: ignore[method-assign,assignment]
    test_tools.markdown = record_legacy  # type: ignore[assignment]
    # The suite skips its tests of highlighting unless this names the installed Pygments: run them, in every place.
    os.environ["PYGMENTS_VERSION"] = importlib.metadata.version("pygments")
    try:
        with warnings.catch_warnings():  # the suite makes every warning an error when it is imported
            for path, module in suite_modules():
                for test in suite_tests(module):
                    found.clear()
                    try:
                        test.setUp()
                        getattr(test, test._testMethodName)()
                        test.tearDown()
                    except (_RecordedError, unittest.SkipTest):
                        pass
                    except AssertionError:
                        pass  # a check of the suite's own, beside its inputs (some expect another Pygments): not ours
                    name = f"{path.relative_to(SUITE / 'tests').as_posix()}::{type(test).__name__}::{test._testMethodName}"
                    for index, (source, kwargs) in enumerate(found):
                        cases.append(Case(f"{name}[{index}]" if len(found) > 1 else name, source, kwargs))
    finally:
        test_tools.TestCase.assertMarkdownRenders, test_tools.markdown = saved[:2]  # type: ignore[method-assign,assignment]
        if saved[2] is None:
            del os.environ["PYGMENTS_VERSION"]
        else:
            os.environ["PYGMENTS_VERSION"] = saved[2]
    return cases


def suite_modules() -> Iterator[tuple[Path, ModuleType]]:
    folder = SUITE / "tests"
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)])
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
    for path in [folder / "test_legacy.py", *sorted((folder / "test_syntax").rglob("test_*.py"))]:
        yield path, importlib.import_module(".".join([PACKAGE, *path.relative_to(folder).with_suffix("").parts]))


def suite_tests(module: ModuleType) -> Iterator[unittest.TestCase]:
    """Each test of each TestCase class defined in module, in a stable order."""
    for _, cls in sorted(vars(module).items()):
        if isinstance(cls, type) and issubclass(cls, unittest.TestCase) and cls.__module__ == module.__name__:
            for method in sorted(name for name in dir(cls) if name.startswith("test")):
                yield cls(method)

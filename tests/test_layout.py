"""The package shows its pipeline: phases as sub-packages, a few shared modules beside them, and imports that only
run down the pipeline (load → markup → render → check → write → pipeline → review → preview → commands)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "sitegen"
# From the bottom up: shared modules first, then the phases in the order a build runs them.
LAYERS = [
    "problems",
    "urls",
    "model",
    "plain_data",
    "html_facts",
    "word_diff",
    "languages",
    "i18n",
    "cache",
    "load",
    "markup",
    "render",
    "check",
    "write",
    "pipeline",
    "review",
    "preview",
    "commands",
]
PHASES = {"load", "markup", "render", "check", "write", "review", "preview", "commands"}


def layer_of(module: str) -> str:
    """'sitegen.load.pages' -> 'load'; 'sitegen.cache' -> 'cache'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every import of the package in path, lazy imports inside functions included."""
    module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = module.split(".")
            base = base[: len(base) - node.level + (1 if path.name == "__init__.py" else 0)]
            target = ".".join([*base, node.module] if node.module else base)
            found += [(target, node.lineno)] if node.module else [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sitegen"):
            found.append((node.module or "", node.lineno))
    return found


def test_every_module_is_in_a_known_layer() -> None:
    unknown = {layer_of(".".join(p.relative_to(REPO).with_suffix("").parts)) for p in PACKAGE.rglob("*.py")} - set(LAYERS) - {"__init__"}
    assert not unknown, f"place these in LAYERS: {sorted(unknown)}"


def test_imports_only_run_down_the_pipeline() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = layer_of(".".join(path.relative_to(REPO).with_suffix("").parts))
        for target, line in imports(path):
            there = layer_of(target)
            if here in LAYERS and there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                upward.append(f"{path.relative_to(REPO)}:{line}: {here} imports {target}")
    assert not upward, "\n".join(upward)


def test_at_most_twelve_modules_sit_directly_in_the_package_and_each_phase_is_a_folder() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    assert all((PACKAGE / phase / "__init__.py").is_file() for phase in PHASES)

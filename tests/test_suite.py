"""The test suite itself: every test carries the layer of its folder, and the real content is built once per set of flags."""

from __future__ import annotations

import pytest

from tests.conftest import AS_OF, REPO, BuildCounter, Project, layer_of, runs_last

LAYERS = {"unit", "slow", "browser", "quality"}


def test_every_test_is_marked_with_exactly_one_layer(request: pytest.FixtureRequest) -> None:
    wrong = []
    for item in request.session.items:
        layers = {mark.name for mark in item.iter_markers()} & LAYERS
        if layers != {layer_of(item)}:
            wrong.append(f"{item.nodeid}: {sorted(layers)}")
        if layers & {"unit", "slow"} and "browser" in item.fixturenames:
            wrong.append(f"{item.nodeid}: a unit or slow test that starts the browser")
    assert not wrong, "\n".join(wrong)


def test_the_tests_mirror_the_package() -> None:
    """tests/<phase>/ for each sub-package with tests, and no test folder that names no part of the package."""
    tests, package = REPO / "tests", REPO / "sitegen"
    folders = {p.relative_to(tests) for p in tests.rglob("test_*.py") if p.parent != tests and "tools" not in p.parts}
    whole_site = {"browser", "quality"}  # whole-site layers, not parts of the package
    strays = sorted(str(f) for f in folders if f.parts[0] not in whole_site and not (package / f.parent).is_dir())
    assert not strays, strays


def test_the_build_counter_counts_a_second_build_with_the_same_flags(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    import sitegen.commands.cli

    counter = BuildCounter(project.content)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sitegen.commands.cli, "build_site", counter.wrap(sitegen.commands.cli.build_site))
        project.build("--strict", capsys=capsys)
        project.build("--strict", "--site", str(project.root / "other"), capsys=capsys)  # another output folder: the same build
        project.build("check", "--strict", capsys=capsys)
    assert sorted(counter.counts.values()) == [1, 2]
    assert list(counter.repeated().values()) == [2]
    assert f"'today': datetime.date({AS_OF.year}, {AS_OF.month}, {AS_OF.day})" in next(iter(counter.repeated()))


@runs_last
def test_the_real_content_was_built_at_most_once_per_set_of_flags(real_content_builds: BuildCounter) -> None:
    """Runs after every other test of the run, and counts every build of content/ that they made."""
    assert real_content_builds.repeated() == {}, "the real content was built more than once with the same flags"
    assert sum(real_content_builds.counts.values()) == len(real_content_builds.counts)

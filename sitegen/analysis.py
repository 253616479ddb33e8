"""The site loaded, rendered and checked in memory, without writing anything: what `review` and `review-packet` work on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .load.site import Site
from .pipeline import BuildOptions, Loaded, build_cache, check_outputs, load_site, render_site
from .problems import Problem, display_path, error, fails, sorted_problems
from .render.rendering import RenderedPage


@dataclass(frozen=True)
class Analysis:
    site: Site | None
    rendered: tuple[RenderedPage, ...]
    problems: tuple[Problem, ...]  # every problem of the build, except whether reviews still cover their pages

    def find(self, path: Path) -> RenderedPage | None:
        """The rendered page whose file is path."""
        wanted = path.resolve()
        return next((item for item in self.rendered if item.page.path.resolve() == wanted), None)

    def blocking(self, item: RenderedPage, strict: bool) -> list[Problem]:
        """Problems that make a page's fingerprint meaningless: in its file, the site settings or the list of sources."""
        site = self.site
        files = {item.page.shown}
        if site is not None:
            files.add(site.settings.shown)
            if site.bibliography.page is not None:
                files.add(site.bibliography.page.shown)
        return [p for p in self.problems if p.path in files and fails([p], strict)]


def analyse(options: BuildOptions, passages: bool = False) -> Analysis:
    """Every phase of a build but the writing, drafts included (a draft is what most needs a review before it is published);
    with passages, each sentence is kept with its citations (the review packet shows them)."""
    options = replace(options, include_drafts=True, check_only=True, passages=passages)
    cache = build_cache(options)
    loaded: Loaded = load_site(options, cache)
    rendered = render_site(loaded, options, cache)
    problems = [*loaded.problems, *rendered.problems, *check_outputs(loaded, rendered)]
    return Analysis(loaded.site, rendered.pages, sorted_problems(problems))


def not_a_page(path: Path, content_dir: Path) -> Problem:
    return error(display_path(path), 1, f"this is not a page of the site: give the path of a .md file in {display_path(content_dir)}/")

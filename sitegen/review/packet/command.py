"""`build.py review-packet [PAGE ...] [--whole] --out DIR`: write the review packet, never into the site's own folder.

Each page is in the packet whole, unless it changed since a clinical review: then only what changed since. Without
PAGE, a page whose review covers it as it is is left out: it has nothing to review. --whole puts every page in
whole, as for a yearly review or a reviewer of another scope."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...i18n import GENERATOR_DOMAIN, PACKAGE_LOCALE, UPDATE_COMMAND, Words, generator_messages, load_catalogue, missing_messages
from ...load.settings import SiteSettings
from ...load.site import Site
from ...pipeline import BuildOptions, analyse_for_review, not_a_page
from ...problems import Problem, display_path, error, notice
from ...render.rendering import RenderedPage
from ...write.output import site_dir_problems, write_site
from .. import seen
from ..code import normalise, review_code
from .assemble import make_packet
from .render import render_packet


@dataclass(frozen=True)
class PacketResult:
    out: Path
    pages: tuple[str, ...]  # the content files in the packet
    left_out: tuple[str, ...] = ()  # those whose clinical review covers them as they are
    length: int = 0  # printed pages
    ticks: int = 0  # boxes to tick


def make_review_packet(
    options: BuildOptions, page_paths: list[Path], out: Path, whole: bool = False
) -> tuple[PacketResult | None, list[Problem]]:
    """Write the packet for page_paths (every page when empty) into out; every problem, and nothing written, when it cannot be."""
    problems = out_problems(out, options)
    if problems:
        return None, problems
    analysis = analyse_for_review(options, passages=True)
    site = analysis.site
    if site is None:
        return None, [p for p in analysis.problems if p.is_error]
    chosen: list[RenderedPage] = []
    for path in page_paths:
        item = analysis.find(path)
        if item is None:
            problems += analysis.errors_in(path) or [not_a_page(path, options.content_dir)]
        elif item not in chosen:
            chosen.append(item)
    if not page_paths:  # a translation is checked against its original through its translation review, not here
        chosen = [item for item in analysis.pages if analysis.site_of(item.page) is site]
    languages = {language for item in chosen if (language := (analysis.site_of(item.page) or site).settings.language)}
    if len(languages) > 1:
        problems.append(
            error(display_path(out), 1, f"the pages named are in {len(languages)} languages: make one review packet for each language")
        )
    packet_site = analysis.site_of(chosen[0].page) or site if chosen else site
    words, found = packet_words(packet_site.settings)
    problems += found
    for item in chosen:
        problems += analysis.blocking(item, options.strict)
    problems = list(dict.fromkeys(problems))  # a problem of the site settings or the source list blocks every page
    if problems:
        return None, [
            *problems,
            error(display_path(out), 1, "the review packet was not made, because of the other problems reported; fix them first"),
        ]
    rendered = render_packet(make_packet(packet_site, chosen, options.content_dir, options.today, whole, bool(page_paths)), words)
    packet = rendered.packet
    if not packet.pages:
        return PacketResult(out, (), tuple(p.page.shown for p in packet.left_out)), []
    written = write_site(rendered.files, out)
    if any(p.is_error for p in written):
        return None, written
    shown = {p.page.path for p in packet.pages}
    result = PacketResult(
        out, tuple(p.page.shown for p in packet.pages), tuple(p.page.shown for p in packet.left_out), packet.length, packet.ticks
    )
    return result, [*written, *remember(packet_site, [item for item in chosen if item.page.path in shown], options)]


def packet_words(settings: SiteSettings) -> tuple[Words, list[Problem]]:
    """The packet's own words in the language of its pages: from the generator's catalogue, which must have them all."""
    if settings.is_default_language:
        return Words(settings.language), []
    catalogue, problems = load_catalogue(PACKAGE_LOCALE, settings.language, GENERATOR_DOMAIN)
    if catalogue.exists:
        problems += missing_messages(generator_messages(), catalogue, f"`{UPDATE_COMMAND}`")
    return Words(settings.language, (catalogue,), default=False), [p for p in problems if p.is_error]


def remember(site: Site, chosen: list[RenderedPage], options: BuildOptions) -> list[Problem]:
    """Keep what the packet showed of each page, so that `review` can show what changed since (see seen.py)."""
    records = []
    for item in chosen:
        fingerprint = item.review.fingerprint
        code = normalise(review_code(fingerprint))
        records.append(seen.PacketRecord(item.page.relative.as_posix(), code, fingerprint, options.today, seen.seen_text(site, item)))
    folder = seen.folder_for(options.content_dir, options.project_root)
    reason = seen.write_records(folder, records)
    if reason is None:
        return []
    return [notice(display_path(folder), 1, f"{reason}; the packet was made, but `review` cannot show what changed since it")]


def out_problems(out: Path, options: BuildOptions) -> list[Problem]:
    """The packet is for the reviewer: it never goes into the site's folder, nor into a folder the build reads."""
    shown = display_path(out)
    target, site = Path(os.path.abspath(out)), Path(os.path.abspath(options.site_dir))
    if target == site or target.is_relative_to(site) or site.is_relative_to(target):
        return [
            error(
                shown,
                1,
                f"refusing to write the review packet here: it would go into {display_path(options.site_dir)}/, the published site; "
                "choose a folder of its own, such as review-packet/",
            )
        ]
    return site_dir_problems(out, [options.content_dir, options.templates_dir], options.project_root, "the review packet")

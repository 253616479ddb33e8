"""A reader's first screen, on every content page, in light and dark mode: the title, the caveat and the page's own
words (its key points) show before any scrolling, on a 375 x 667 phone and on a 1280 x 800 desktop."""

from __future__ import annotations

import pytest

NO_KEY_POINTS = {"sources.html", "fuentes.html", "404.html"}  # the lists of sources, and the page-not-found pages the build makes
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
TITLE_WITHIN = 250  # on a phone, CSS pixels from the top of the page
CAVEAT_WITHIN = 600

# Where each part starts, from the top of the page, and where the first line of the first key point ends.
POSITIONS = """() => {
  const top = selector => {
    const element = document.querySelector(selector);
    return element ? element.getBoundingClientRect().top + scrollY : null;
  };
  const first = document.querySelector('main .key-points li, main .key-points p');
  const firstTop = first ? first.getBoundingClientRect().top + scrollY : null;
  return {
    title: top('main h1'), caveat: top('main .caveat'), keyPoints: top('main .key-points'),
    firstLineEnds: first ? firstTop + parseFloat(getComputedStyle(first).lineHeight) : null,
    screen: innerHeight, scrolled: scrollY,
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375x667", "1280x800"])
def test_the_title_the_caveat_and_the_key_points_start_on_the_first_screen(
    browser, site_url: str, site_pages: list[str], viewport: dict[str, int], scheme: str
) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    problems = []
    content_pages = [name for name in site_pages if name.rsplit("/", 1)[-1] not in NO_KEY_POINTS]
    assert len(content_pages) >= 8
    try:
        tab = context.new_page()
        for name in content_pages:
            tab.goto(f"{site_url}/{name}")
            at = tab.evaluate(POSITIONS)
            assert at["scrolled"] == 0 and at["screen"] == viewport["height"], name
            if at["keyPoints"] is None or at["firstLineEnds"] is None:
                problems.append(f"{name}: no key points")
                continue
            phone = viewport is PHONE
            limits = {
                "title": TITLE_WITHIN if phone else at["screen"],
                "caveat": CAVEAT_WITHIN if phone else at["screen"],
                "firstLineEnds": at["screen"],
            }
            for part, limit in limits.items():
                if at[part] is None or at[part] > limit:
                    problems.append(f"{name}: {part} at {at[part]} px, below {limit} px ({viewport['width']} px wide, {scheme})")
            if not at["title"] < at["caveat"] < at["keyPoints"]:
                problems.append(f"{name}: the title, the caveat and the key points are not in this order: {at}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_short_urgent_help_box_follows_the_key_points_and_links_to_the_whole_box(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/efficacy.html")
        box = tab.locator("main .urgent-help-compact")
        assert box.is_visible()
        assert tab.evaluate(
            "document.querySelector('main .key-points').compareDocumentPosition("
            "document.querySelector('main .urgent-help')) & Node.DOCUMENT_POSITION_FOLLOWING"
        )
        number = box.locator("a.urgent-help-number")
        assert number.get_attribute("href") == "tel:911" and number.is_visible()
        box.get_by_role("link", name="See all the signs").click()
        tab.wait_for_url(f"{site_url}/side-effects.html#urgent-help")
        whole = tab.get_by_role("region", name="Get help straight away")
        assert whole.is_visible() and whole.get_by_role("listitem").count() >= 10
        assert "If you cannot reach your care team straight away, get emergency help: call 911." in whole.inner_text()
    finally:
        context.close()

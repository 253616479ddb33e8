"""The caveat and the "Get help straight away" box as readers see them: visible, high enough, readable, and printed.

The build already refuses a page whose template hides them; this checks what the stylesheet does to them in a real
browser, on every page, on a phone and a desktop, in light and dark mode, and on paper.
"""

from __future__ import annotations

import pytest

FIRST_SCREEN = 600  # CSS pixels: the caveat must start within this on a 375 px phone (test_first_screen.py: with room
# below it for the key points, on a 667 px high screen)

BOX_FACTS = """(selector) => {
  const box = document.querySelector(selector);
  if (!box) return null;
  const rect = box.getBoundingClientRect();
  const parse = (color) => (color.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const color = parse(getComputedStyle(e).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] > 0)) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const ratios = [...box.querySelectorAll('p, li, h2, strong')].filter(e => e.textContent.trim()).map(e => {
    const fg = luminance(parse(getComputedStyle(e).color).slice(0, 3));
    const bg = luminance(background(e));
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  });
  const style = getComputedStyle(box);
  return {
    top: rect.top + window.scrollY, left: rect.left, right: rect.right, width: rect.width, height: rect.height,
    viewport: window.innerWidth, display: style.display, visibility: style.visibility, opacity: Number(style.opacity),
    contrast: Math.min(...ratios),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_caveat_is_visible_high_on_every_page_and_readable(
    browser, site_url: str, site_pages: list[str], width: int, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    problems = []
    try:
        tab = context.new_page()
        for name in site_pages:
            tab.goto(f"{site_url}/{name}")
            facts = tab.evaluate(BOX_FACTS, "main .caveat")
            if facts is None:
                problems.append(f"{name}: no caveat box")
                continue
            if facts["width"] <= 0 or facts["height"] <= 0 or facts["display"] == "none" or facts["visibility"] != "visible":
                problems.append(f"{name}: the caveat box is not shown ({facts})")
            if facts["opacity"] < 1 or facts["left"] < 0 or facts["right"] > facts["viewport"]:
                problems.append(f"{name}: the caveat box is faded or off screen ({facts})")
            if width == 375 and facts["top"] > FIRST_SCREEN:
                problems.append(f"{name}: the caveat starts {facts['top']:.0f} px down, below the first {FIRST_SCREEN} px")
            if facts["contrast"] < 4.5:
                problems.append(f"{name}: the caveat's text contrast is {facts['contrast']:.2f}, below 4.5 (WCAG AA)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["side-effects.html", "efficacy.html"], ids=["whole box", "short form"])
def test_the_urgent_help_box_is_readable_where_it_is_shown(browser, site_url: str, scheme: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900}, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/{name}")
        facts = tab.evaluate(BOX_FACTS, "main .urgent-help")
        assert facts is not None
        assert facts["width"] > 0 and facts["height"] > 0 and facts["display"] != "none"
        assert facts["contrast"] >= 4.5, facts
        region = tab.get_by_role("region", name="Get help straight away")
        assert region.is_visible()
        assert "If you cannot reach your care team straight away, get emergency help: call 911." in region.inner_text()
    finally:
        context.close()


def test_the_caveat_the_key_points_and_the_urgent_help_box_are_printed(browser, site_url: str) -> None:
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.emulate_media(media="print")
        tab.goto(f"{site_url}/side-effects.html")
        for selector in ("main .caveat", "main .key-points", "main .urgent-help"):
            facts = tab.evaluate(BOX_FACTS, selector)
            assert facts is not None and facts["display"] != "none" and facts["height"] > 0, selector
            assert facts["contrast"] >= 4.5, (selector, facts)
    finally:
        context.close()

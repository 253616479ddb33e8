"""Keyboard use of the home page: the skip link comes first and works, focus is always visible, nothing traps it."""

from __future__ import annotations

import pytest

# The element with focus, and whether a sighted keyboard user can see where it is.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let bg = 'rgb(255, 255, 255)';
  for (let up = el.parentElement; up; up = up.parentElement) {
    const c = getComputedStyle(up).backgroundColor;
    if (rgb(c).length === 3 || rgb(c)[3] > 0) { bg = c; break; }
  }
  const style = getComputedStyle(el), rect = el.getBoundingClientRect();
  const ring = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth) + Math.max(0, parseFloat(style.outlineOffset));
  const [hi, lo] = [lum(style.outlineColor), lum(bg)].sort((a, b) => b - a);
  return {
    id: [...document.querySelectorAll('*')].indexOf(el),
    text: `<${el.tagName.toLowerCase()}> ${(el.getAttribute('href') || '')} ${el.textContent.trim().slice(0, 40)}`,
    skipLink: el.matches('a.skip-link[href="#main"]'),
    inMain: el.closest('main') !== null,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? (hi + 0.05) / (lo + 0.05) : 0,
    // The element and its whole focus ring are on screen.
    inViewport: rect.width > 0 && rect.height > 0 && rect.top - ring >= 0 && rect.left - ring >= 0
                && rect.bottom + ring <= innerHeight && rect.right + ring <= document.documentElement.clientWidth,
  };
}"""
TABBABLE = "a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]"
# What a closed <details> holds, but its summary, is not reachable (Chromium still gives it layout boxes).
TABBABLE_COUNT = f"""() => [...document.querySelectorAll('{TABBABLE}')]
  .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
  .filter(e => !e.closest('details:not([open])') || e.closest('summary'))
  .length"""


@pytest.fixture(params=[("light", 1280), ("dark", 375)], ids=["light-1280", "dark-375"])
def home(request: pytest.FixtureRequest, browser, site_url: str):  # noqa: ANN201
    scheme, width = request.param
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{site_url}/index.html")
    yield page
    context.close()


def test_the_skip_link_comes_first_is_visible_and_moves_focus_to_the_main_content(home) -> None:
    home.keyboard.press("Tab")
    first = home.evaluate(FOCUS_STATE)
    assert first and first["skipLink"], f"the first Tab stop is {first}, not the skip link"
    assert first["inViewport"], "the skip link is off screen when it has focus"
    home.keyboard.press("Enter")
    home.wait_for_function("location.hash === '#main' && document.activeElement === document.querySelector('main')")
    home.keyboard.press("Tab")
    after = home.evaluate(FOCUS_STATE)
    assert after and after["inMain"], f"after the skip link, Tab goes to {after}, not into the main content"


def test_tab_reaches_every_control_once_with_visible_focus_and_leaves_the_page(home) -> None:
    expected = home.evaluate(TABBABLE_COUNT)
    stops: list[dict] = []
    for _ in range(expected + 2):
        home.keyboard.press("Tab")
        state = home.evaluate(FOCUS_STATE)
        if state is None or state["id"] in {s["id"] for s in stops}:
            break
        stops.append(state)
    assert state is None, f"after {len(stops)} stops, Tab went to {state and state['text']} instead of leaving the page for the browser"
    assert len(stops) == expected, f"Tab stopped {len(stops)} times, but the page has {expected} controls"
    hidden = [s for s in stops if s["outline"] < 3 or not s["inViewport"]]
    assert not hidden, f"focus is not clearly visible (an outline of 2 px or more with 3:1 contrast, on screen) on: {hidden}"
    for previous in reversed(stops):  # and back again with Shift+Tab, from the browser to the last control and up
        home.keyboard.press("Shift+Tab")
        assert home.evaluate(FOCUS_STATE)["id"] == previous["id"], f"Shift+Tab did not return to {previous['text']}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_menu_opens_from_the_keyboard_and_its_links_follow(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 375, "height": 667})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/efficacy.html")
        assert page.locator(".site-links").is_hidden() and page.locator(".tagline").is_hidden()
        menu = page.get_by_role("group").filter(has=page.locator("summary"))
        summary = page.locator("summary", has_text="Menu")
        assert summary.is_visible() and page.get_by_role("link", name="Side effects", exact=True).is_hidden()
        for _ in range(3):  # the skip link, the site's title, the menu
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        assert page.evaluate(FOCUS_STATE)["outline"] >= 3
        page.keyboard.press("Enter")
        assert menu.get_attribute("open") is not None
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Home"
        current = page.locator('.site-menu a[aria-current="page"]')
        assert current.is_visible() and current.text_content() == "How well it works"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert menu.get_attribute("open") is None and page.get_by_role("link", name="Home", exact=True).is_hidden()
    finally:
        context.close()


def test_on_a_wide_screen_the_links_show_without_a_menu(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/efficacy.html")
        assert page.locator("summary").is_hidden()
        navigation = page.get_by_role("navigation", name="Main")
        assert [link.text_content() for link in navigation.get_by_role("link").all()] == [
            link.text_content() for link in page.locator(".site-links a").all()
        ]
        assert navigation.get_by_role("link", name="How well it works").get_attribute("aria-current") == "page"
    finally:
        context.close()

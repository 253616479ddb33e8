"""Every internal link, in-page anchor and image of the built site resolves in a real browser, and its stylesheet applies.

(The build's own report of a broken reference, at its Markdown line, is tested in tests/check/test_documents.py.)"""

from __future__ import annotations

from urllib.parse import urldefrag

PAGE_FACTS = """() => ({
  ids: [...document.querySelectorAll('[id]')].map(e => e.id).concat([...document.querySelectorAll('a[name]')].map(e => e.name)),
  links: [...document.querySelectorAll('a[href], area[href]')].map(a => a.href),
  stylesheets: [...document.querySelectorAll('link[rel~="stylesheet"]')].map(l => ({href: l.href, loaded: l.sheet !== null})),
  styled: getComputedStyle(document.querySelector('.skip-link')).position === 'absolute',  // the page's inline <style> applies
  icons: [...document.querySelectorAll('link[rel~="icon"]')].map(l => l.href),
  images: [...document.querySelectorAll('img')].map(i => ({src: i.currentSrc || i.src, loaded: i.complete && i.naturalWidth > 0})),
})"""


def test_every_internal_link_anchor_and_image_resolves_and_the_stylesheet_applies(browser, site_url: str, site_pages: list[str]) -> None:
    context = browser.new_context()
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    try:
        tab = context.new_page()
        failed: list[str] = []
        # A request still running when the next page is opened is aborted (net::ERR_ABORTED); that is not a failure.
        tab.on(
            "requestfailed",
            lambda request: failed.append(f"{request.url} ({request.failure})") if "ABORTED" not in (request.failure or "") else None,
        )
        tab.on("response", lambda response: failed.append(f"{response.url} (HTTP {response.status})") if response.status >= 400 else None)
        for name in site_pages:
            failed.clear()
            url = f"{site_url}/{name}"
            tab.goto(url, wait_until="load")
            facts = tab.evaluate(PAGE_FACTS)
            ids[url] = set(facts["ids"])
            links += [(name, href) for href in facts["links"] + facts["icons"]]
            problems += [f"{name}: stylesheet {s['href']} did not load" for s in facts["stylesheets"] if not s["loaded"]]
            problems += [f"{name}: image {i['src']} did not load" for i in facts["images"] if not i["loaded"]]
            problems += [f"{name}: request failed: {item}" for item in failed]
            if not facts["styled"]:
                problems.append(f"{name}: its stylesheet does not apply")
        internal = [(name, href) for name, href in links if href.startswith(f"{site_url}/")]
        assert internal, "no internal links found"
        for name, href in internal:
            target, fragment = urldefrag(href)
            if target not in ids:  # not one of the site's pages: it must still be served
                response = context.request.get(target)
                if not response.ok:
                    problems.append(f"{name}: link {href} gives HTTP {response.status}")
                continue
            if fragment and fragment not in ids[target]:
                problems.append(f"{name}: link {href} points to an anchor that does not exist")
    finally:
        context.close()
    assert not problems, "\n".join(problems)

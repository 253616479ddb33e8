"""No page asks another origin for anything, and every page carries a strict Content-Security-Policy."""

from __future__ import annotations

import re

# Listens before the page's own content runs; init scripts are not subject to the page's CSP.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
"""
CSP_OF_PAGE = """() => {
  const metas = [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')];
  const head = [...document.head.children];
  const firstLoad = head.findIndex(el => el.matches('link, script, style'));
  return metas.map(m => ({policy: m.content, inHead: m.parentElement === document.head,
                          beforeLoads: firstLoad === -1 || head.indexOf(m) < firstLoad}));
}"""
ALLOWED_SOURCE = re.compile(r"'self'|'none'|'sha(256|384|512)-[A-Za-z0-9+/=]+'")


def blocking_context(browser, site_url: str, **options: object) -> tuple[object, list[str]]:
    """A browser context that blocks and records every request to another origin."""
    context = browser.new_context(**options)
    attempted: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith(f"{site_url}/"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    return context, attempted


def test_no_page_requests_anything_from_another_origin(browser, site_url: str, site_pages: list[str]) -> None:
    context, attempted = blocking_context(browser, site_url)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    problems: list[str] = []
    try:
        page = context.new_page()
        console_errors: list[str] = []
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        for name in site_pages:
            console_errors.clear()
            attempted.clear()
            response = page.goto(f"{site_url}/{name}", wait_until="load")
            assert response is not None and response.ok, name
            problems += [f"{name}: requested {url}" for url in attempted]
            problems += [f"{name}: CSP blocked {v}" for v in page.evaluate("window.__cspViolations")]
            problems += [f"{name}: console error: {text}" for text in console_errors]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_every_page_has_a_strict_content_security_policy(browser, site_url: str, site_pages: list[str]) -> None:
    page = browser.new_page()
    problems: list[str] = []
    try:
        for name in site_pages:
            page.goto(f"{site_url}/{name}")
            metas = page.evaluate(CSP_OF_PAGE)
            if len(metas) != 1 or not metas[0]["inHead"] or not metas[0]["beforeLoads"]:
                problems.append(f"{name}: needs one CSP meta tag in <head>, before any stylesheet or script: {metas}")
                continue
            directives = {d.split()[0]: d.split()[1:] for d in metas[0]["policy"].split(";") if d.strip()}
            if directives.get("default-src") != ["'self'"]:
                problems.append(f"{name}: default-src must be 'self', not {directives.get('default-src')}")
            loose = [f"{key} {source}" for key, sources in directives.items() for source in sources if not ALLOWED_SOURCE.fullmatch(source)]
            problems += [f"{name}: the CSP allows more than this site's own files: {item}" for item in loose]
    finally:
        page.close()
    assert not problems, "\n".join(problems)


def test_the_policy_is_enforced_and_blocks_a_third_party_image(browser, site_url: str) -> None:
    context, attempted = blocking_context(browser, site_url)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/index.html")
        blocked = page.evaluate(
            """() => new Promise(resolve => {
                 document.addEventListener('securitypolicyviolation', e => resolve(e.effectiveDirective + ' ' + e.blockedURI));
                 const img = document.createElement('img');
                 img.alt = '';
                 img.src = 'https://third-party.example/pixel.gif';
                 document.body.append(img);
               })"""
        )
    finally:
        context.close()
    assert blocked == "img-src https://third-party.example/pixel.gif"
    assert attempted == []  # the policy stopped it before it reached the network


def test_the_request_blocker_records_what_the_policy_would_have_stopped(browser, site_url: str) -> None:
    context, attempted = blocking_context(browser, site_url, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/index.html")
        page.evaluate(
            """() => new Promise(resolve => {
                 const img = document.createElement('img');
                 img.alt = '';
                 img.onerror = resolve;
                 img.src = 'https://third-party.example/pixel.gif';
                 document.body.append(img);
               })"""
        )
    finally:
        context.close()
    assert attempted == ["https://third-party.example/pixel.gif"]

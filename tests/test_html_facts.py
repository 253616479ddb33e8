"""read_page(): a whole page read as browsers read it, into what the output checks need."""

from __future__ import annotations

from sitegen.html_facts import UrlRef, csp_hash, read_page


def test_an_element_with_two_addresses_gives_each_once() -> None:
    facts = read_page('<img alt="" src="a.png" srcset="a.png 1x, b.png 2x" id="x">')
    assert sorted(facts.urls, key=lambda u: (u.attribute, u.url)) == [
        UrlRef("img", "src", "a.png", True),
        UrlRef("img", "srcset", "a.png", True),
        UrlRef("img", "srcset", "b.png", True),
    ]
    assert facts.ids == {"x"}


def test_the_text_of_main_is_read_with_what_hides_it() -> None:
    facts = read_page(
        "<main><p hidden>One</p><details><summary>Two</summary><p>Three</p></details>"
        '<div style="display: none">Four</div><p>Five</p><h2>Six</h2><p>Seven</p></main>'
    )
    assert facts.main_texts == [
        ("One", False),
        ("Two", True),
        ("Three", False),
        ("Four", False),
        ("Five", True),
        ("Six", True),
        ("Seven", True),
    ]
    assert facts.hidden_by == {0: "<p hidden>", 2: "a closed <details>", 3: '<div style="display: none">'}
    assert facts.main_text(visible_only=True, before_h2=True) == "Two Five"


def test_a_main_inside_a_hidden_element_is_hidden_and_counted() -> None:
    facts = read_page('<div aria-hidden="true"><main><p>Caveat</p></main></div><main></main>')
    assert facts.main_count == 2
    assert facts.main_texts == [("Caveat", False)] and facts.hidden_by == {0: '<div aria-hidden="true">'}


def test_a_templates_content_is_not_on_the_page_but_its_addresses_count() -> None:
    facts = read_page('<main><template><img src="https://cdn.example.org/x.png" id="t"><p>Kept apart</p></template></main>')
    assert facts.urls == [UrlRef("img", "src", "https://cdn.example.org/x.png", True)]
    assert facts.ids == set()  # browsers keep a template's content out of the page: its ids are no link targets
    assert facts.main_texts == [("Kept apart", False)] and facts.hidden_by == {0: "<template>"}


def test_styles_and_the_content_security_policy_are_read() -> None:
    facts = read_page(
        '<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
        "<style>body{background:url(bg.png)}</style></head><p style=\"background:url('x.png')\">x</p>"
    )
    assert facts.policies == ["default-src 'self'"] and facts.style_hashes == [csp_hash("body{background:url(bg.png)}")]
    assert sorted(u.url for u in facts.urls) == ["bg.png", "x.png"]

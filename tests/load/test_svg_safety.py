"""SVG pictures pass an allowlist: each hostile construct is refused at its line with what to do, and drawings pass.

The table judges each file as the build does (sitegen.load.svg_safety.judge_svg); tests/load/test_images.py shows the same
findings reaching the page line that shows the picture, and nothing being published.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sitegen.load.svg_safety import MAX_DEPTH, judge_svg
from tests.conftest import REPO

OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
AWAY = "https://evil.example/p.svg#a"

POINT_INSIDE = (
    "a picture may point only to an element in the same file, written '#id': copy what it needs into the file, or remove the attribute"
)
LOAD_INSIDE = (
    "a picture may point only inside itself: use a colour, or url(#id) of a gradient, pattern, clip path, mask, marker or filter "
    "in the same file"
)
MOVES = "makes the picture move, and an animation can change a link; remove it: pictures on this site do not move"
RUNS = "runs code when the picture is opened, clicked or loaded; remove it"
PLAIN_SVG = (
    "if an editing program left it there, export the picture again as plain SVG (in Inkscape: File > Save As > Plain SVG); "
    "otherwise remove it"
)
DOCTYPE = (
    "the picture has a <!DOCTYPE ...> declaration, which can define entities and load other files; delete the declaration "
    "(a picture needs none)"
)


@dataclass(frozen=True)
class Case:
    name: str
    svg: str | bytes
    expected: tuple[str, ...]  # "line: message", in order


def svg(body: str) -> str:
    return OPEN + body + "\n</svg>\n"


CASES = [
    # --- animation: none at all, so none can set an attribute that holds a link ------------------------------------
    Case(
        "animate sets x:href, x bound to XLink",
        svg('<a x:href="#top">\n<rect width="5" height="5"/>\n<animate attributeName="x:href" values="javascript:alert(1)"/>\n</a>'),
        (
            "2: <a> makes a link inside the picture, which readers cannot see as a link; remove the <a> tags (keep what they "
            "hold) and put the link in the page's text",
            f"4: <animate> {MOVES}",
        ),
    ),
    Case(
        "animate on a shape",
        svg('<rect width="5" height="5">\n<animate attributeName="fill" values="red;blue" dur="1s"/>\n</rect>'),
        (f"3: <animate> {MOVES}",),
    ),
    Case("set", svg('<use href="#a"><set attributeName="href" to="javascript:alert(1)"/></use>'), (f"2: <set> {MOVES}",)),
    Case(
        "animateTransform, animateMotion and mpath",
        svg('<path id="p" d="M0 0h9"/>\n<animateTransform type="rotate"/>\n<animateMotion><mpath href="#p"/></animateMotion>'),
        (f"3: <animateTransform> {MOVES}", f"4: <animateMotion> {MOVES}"),
    ),
    # --- CSS: escapes are decoded before judging; url() only to '#id'; no image-set(), @import, @font-face ------------
    Case(
        "url() written with a CSS escape",
        svg(f'<rect style="fill: \\75 rl({AWAY})"/>'),
        (f"2: the attribute style on <rect> loads '{AWAY}' with url(); {LOAD_INSIDE}",),
    ),
    Case(
        "@import written with a CSS escape",
        svg('<style>\n@\\69mport "https://evil.example/x.css";\n</style>'),
        ("3: @import in the <style> element loads another stylesheet; remove it",),
    ),
    Case(
        "escapes in the property name and inside url",
        svg('<rect style="f\\69ll: u\\72l(https://evil.example/)"/>'),
        (f"2: the attribute style on <rect> loads 'https://evil.example/' with url(); {LOAD_INSIDE}",),
    ),
    Case(
        "image-set() in a style attribute and in a <style>",
        svg("<rect style=\"fill: image-set('a.png' 1x)\"/>\n<style>rect { fill: -webkit-image-set('b.png' 1x) }</style>"),
        (
            "2: the attribute style on <rect> uses image-set(), which loads pictures or files; remove it",
            "3: the <style> element uses -webkit-image-set(), which loads pictures or files; remove it",
        ),
    ),
    Case(
        "url() in fill, stroke, filter, mask, clip-path, markers and cursor",
        svg(
            f'<rect fill="url({AWAY})"/>\n<rect stroke="url({AWAY})"/>\n<rect filter="url(//evil.example/f.svg#f)"/>\n'
            '<rect mask="url(\'https://evil.example/m.svg#m\')"/>\n<rect clip-path="url(c.svg#c)"/>\n'
            '<path marker-start="url(m.svg#s)" marker-mid="url(m.svg#m)" marker-end="url(m.svg#e)"/>\n'
            '<rect cursor="url(https://evil.example/c.cur), auto"/>'
        ),
        (
            f"2: the attribute fill on <rect> loads '{AWAY}' with url(); {LOAD_INSIDE}",
            f"3: the attribute stroke on <rect> loads '{AWAY}' with url(); {LOAD_INSIDE}",
            f"4: the attribute filter on <rect> loads '//evil.example/f.svg#f' with url(); {LOAD_INSIDE}",
            f"5: the attribute mask on <rect> loads 'https://evil.example/m.svg#m' with url(); {LOAD_INSIDE}",
            f"6: the attribute clip-path on <rect> loads 'c.svg#c' with url(); {LOAD_INSIDE}",
            f"7: the attribute marker-start on <path> loads 'm.svg#s' with url(); {LOAD_INSIDE}",
            f"7: the attribute marker-mid on <path> loads 'm.svg#m' with url(); {LOAD_INSIDE}",
            f"7: the attribute marker-end on <path> loads 'm.svg#e' with url(); {LOAD_INSIDE}",
            f"8: the attribute cursor on <rect> loads 'https://evil.example/c.cur' with url(); {LOAD_INSIDE}",
        ),
    ),
    Case(
        "a <style> that loads, however it is nested",
        svg(
            "<style>\nrect { fill: red }\n.b { background: url(https://evil.example/x.png) }\n"
            "@media print { .c { fill: url(https://evil.example/y.svg#g) } }\n"
            "g { .d { fill: url(https://evil.example/z.svg#g) } }\n"
            ":root { --away: url(https://evil.example/v.svg#g) }\n"
            "@font-face { font-family: X; src: url(x.woff) }\n</style>"
        ),
        (
            f"4: the <style> element loads 'https://evil.example/x.png' with url(); {LOAD_INSIDE}",
            f"5: the <style> element loads 'https://evil.example/y.svg#g' with url(); {LOAD_INSIDE}",
            f"6: the <style> element loads 'https://evil.example/z.svg#g' with url(); {LOAD_INSIDE}",
            f"7: the <style> element loads 'https://evil.example/v.svg#g' with url(); {LOAD_INSIDE}",
            "8: @font-face in the <style> element loads a font; remove it, and use a font that readers already have "
            "(such as font-family: sans-serif)",
        ),
    ),
    Case(
        "CSS functions that read attributes or load",
        svg('<rect style="fill: attr(data-x url)"/>\n<text style="content: image(\'x.png\')"/>'),
        (
            "2: the attribute style on <rect> uses attr(), which a picture's style may not use; remove it: use colours, lengths "
            "and url(#id)",
            "3: the attribute style on <text> uses image(), which loads pictures or files; remove it",
        ),
    ),
    Case(
        "at-rules where declarations belong, and CSS that cannot be read",
        svg('<rect style="@import url(#a); fill: red"/>\n<rect style="fill: url(https://evil.example/a b)"/>'),
        (
            "2: the attribute style on <rect> holds @import, which is not allowed there; remove it",
            "3: the attribute style on <rect> holds CSS that cannot be read (bad URL token); correct it or remove it",
        ),
    ),
    Case(
        "a character reference that spells url(",
        svg('<rect fill="&#117;rl(https://evil.example/)"/>'),
        (f"2: the attribute fill on <rect> loads 'https://evil.example/' with url(); {LOAD_INSIDE}",),
    ),
    # --- processing instructions, DOCTYPE, entities ----------------------------------------------------------------
    Case(
        "<?xml-stylesheet?>",
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" href="https://evil.example/s.css"?>\n' + svg("<rect/>"),
        ("2: <?xml-stylesheet ...?> loads a stylesheet from another file; delete it (a picture's styles go in a <style> element)",),
    ),
    Case(
        "another processing instruction",
        svg('<?php echo "hi"; ?>'),
        ("2: <?php ...?> is an instruction to the program that reads the file, not drawing; delete it",),
    ),
    Case(
        "billion laughs",
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg">&lol2;</svg>',
        (f"2: {DOCTYPE}",),
    ),
    Case(
        "external entity",
        '<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg">&secret;</svg>',
        (f"1: {DOCTYPE}",),
    ),
    Case(
        "parameter entity from another site",
        '<!DOCTYPE svg [\n<!ENTITY % remote SYSTEM "https://evil.example/e.dtd">\n%remote;\n]>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        (f"1: {DOCTYPE}",),
    ),
    Case(
        "the usual DOCTYPE of old exports",
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        + svg("<rect/>"),
        (f"2: {DOCTYPE}",),
    ),
    Case("an undefined entity", svg("<text>&lol;</text>"), ("2: cannot read this SVG file: undefined entity; export it again",)),
    # --- elements that run code or hold web content ---------------------------------------------------------------
    Case("script", svg("<script>alert(1)</script>"), ("2: <script> runs code; remove it: a picture may only draw",)),
    Case(
        "a script in the XHTML namespace, under any prefix",
        svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>\n<iframe xmlns="http://www.w3.org/1999/xhtml"/>'),
        ("2: <h:script> is a web-page element, not drawing; remove it", "3: <iframe> is a web-page element, not drawing; remove it"),
    ),
    Case(
        "foreignObject, with what it holds",
        svg('<foreignObject width="9" height="9">\n<div xmlns="http://www.w3.org/1999/xhtml" onclick="go()">Hi</div>\n</foreignObject>'),
        ("2: <foreignObject> holds web-page content, not drawing; remove it, and put its words in <text> or in the page",),
    ),
    Case(
        "elements that load or do not draw",
        svg('<image href="data:image/png;base64,AAAA"/>\n<filter id="f"><feImage href="https://evil.example/a.png"/></filter>\n<cursor/>'),
        (
            "2: <image> puts another picture or file inside this one; remove it, and show that picture on the page by itself",
            "3: <feImage> loads a picture into a filter; remove it",
            "4: <cursor> is not an element that draws; remove it: a picture may use shapes, paths, text, gradients, patterns, "
            "clip paths, masks, markers, filters, groups, <use>, <title>, <desc> and <style>",
        ),
    ),
    # --- event attributes ------------------------------------------------------------------------------------------
    Case(
        "event attributes, in any case",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">\n<rect onClick="go()" ONMOUSEOVER="go()"/>\n</svg>',
        (
            f"1: the attribute onload on <svg> {RUNS}",
            f"2: the attribute onClick on <rect> {RUNS}",
            f"2: the attribute ONMOUSEOVER on <rect> {RUNS}",
        ),
    ),
    # --- links: only '#id' -----------------------------------------------------------------------------------------
    Case(
        "href and XLink href under any prefix, to other files and sites",
        svg(
            f'<use href="{AWAY}"/>\n<use x:href="other.svg#b"/>\n'
            '<use xmlns:l="http://www.w3.org/1999/xlink" l:href="//evil.example/c.svg#c"/>\n'
            '<linearGradient id="g" href="g.svg#g"/>\n<text><textPath href="https://evil.example/p.svg#p">Hi</textPath></text>'
        ),
        (
            f"2: the attribute href on <use> points to '{AWAY}'; {POINT_INSIDE}",
            f"3: the attribute x:href on <use> points to 'other.svg#b'; {POINT_INSIDE}",
            f"4: the attribute l:href on <use> points to '//evil.example/c.svg#c'; {POINT_INSIDE}",
            f"5: the attribute href on <linearGradient> points to 'g.svg#g'; {POINT_INSIDE}",
            f"6: the attribute href on <textPath> points to 'https://evil.example/p.svg#p'; {POINT_INSIDE}",
        ),
    ),
    Case(
        "javascript: and data: addresses",
        svg(
            '<use href=" javascript:alert(1)"/>\n<use x:href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>\n'
            '<rect fill="url(data:image/svg+xml;base64,PHN2Zy8+)"/>'
        ),
        (
            f"2: the attribute href on <use> points to ' javascript:alert(1)'; {POINT_INSIDE}",
            f"3: the attribute x:href on <use> points to 'data:image/svg+xml,<svg onload=alert(1)>'; {POINT_INSIDE}",
            f"4: the attribute fill on <rect> loads 'data:image/svg+xml;base64,PHN2Zy8+' with url(); {LOAD_INSIDE}",
        ),
    ),
    Case(
        "an href in the SVG namespace is no XLink href, and xml:base is refused",
        svg('<use xmlns:s="http://www.w3.org/2000/svg" s:href="#a" href="#a"/>\n<use xml:base="https://evil.example/" href="#a"/>'),
        (
            f"2: the attribute s:href on <use> is not SVG (its namespace is http://www.w3.org/2000/svg); {PLAIN_SVG}",
            f"3: the attribute xml:base on <use> is not SVG (its namespace is http://www.w3.org/XML/1998/namespace); {PLAIN_SVG}",
        ),
    ),
    # --- what is not SVG -------------------------------------------------------------------------------------------
    Case(
        "an editing program's notes, reported once per namespace",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 9 9">\n'
        '<sodipodi:namedview pagecolor="#fff"/>\n<g inkscape:label="Layer 1" inkscape:groupmode="layer">\n'
        '<path d="M0 0h9" inkscape:connector-curvature="0"/>\n</g>\n<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>\n</svg>',
        (
            "2: the element <sodipodi:namedview> is not SVG (its namespace is http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd); "
            + PLAIN_SVG,
            f"3: the attribute inkscape:label on <g> is not SVG (its namespace is http://www.inkscape.org/namespaces/inkscape); "
            f"{PLAIN_SVG} (2 more like it in this file)",
            "6: <metadata> holds notes for editing programs, not drawing; remove it, or export the picture again as plain SVG",
        ),
    ),
    Case(
        "an attribute that does not draw",
        svg('<rect width="5" height="5" tabindex="0" contenteditable="true"/>'),
        (
            "2: the attribute tabindex on <rect> is not an attribute that draws; remove it",
            "2: the attribute contenteditable on <rect> is not an attribute that draws; remove it",
        ),
    ),
    Case(
        "no SVG namespace",
        '<svg viewBox="0 0 9 9">\n<rect/>\n</svg>',
        (
            '1: <svg> has no xmlns="http://www.w3.org/2000/svg", so browsers show the file as text, not as a picture; '
            "add that attribute to <svg>",
        ),
    ),
    Case("not SVG", "<html><body>Not a picture</body></html>", ("1: this file is not an SVG picture: it starts with <html>, not <svg>",)),
    Case("not XML", svg("<rect>"), ("3: cannot read this SVG file: mismatched tag; export it again",)),
    Case("empty", "", ("1: cannot read this SVG file: no element found; export it again",)),
    Case(
        "not UTF-8",
        '<svg xmlns="http://www.w3.org/2000/svg">\n<text>caf\xe9</text></svg>'.encode("latin-1"),
        ("2: the file is not UTF-8 text (byte 0xe9); export it again as UTF-8",),
    ),
    Case(
        "an encoding browsers would read differently",
        '<?xml version="1.0" encoding="UTF-7"?>\n' + svg("<rect/>"),
        (
            "1: the picture says it is saved as UTF-7 (in its <?xml ...?> line), but it must be UTF-8, as browsers would "
            'otherwise read it differently; export it again as UTF-8, and write encoding="UTF-8"',
        ),
    ),
    # --- sizes: nothing can make the judge fail or a reader's browser draw forever ----------------------------------
    Case(
        "nested too deep",
        svg("<g>" * (MAX_DEPTH + 5) + "</g>" * (MAX_DEPTH + 5)),
        (f"2: elements are nested more than {MAX_DEPTH} deep; ungroup some of them (in Inkscape: Object > Ungroup)",),
    ),
    Case(
        "<use> that doubles a shape forty times",
        svg(
            '<g id="a0"><rect width="1" height="1"/></g>\n'
            + "".join(f'<g id="a{i}"><use href="#a{i - 1}"/><use href="#a{i - 1}"/></g>' for i in range(1, 41))
        ),
        ("1: <use> elements make the picture draw more than 100,000 extra elements; draw repeated parts fewer times",),
    ),
    Case(
        "<use> that points back to itself",
        svg('<g id="a">\n<use href="#b"/>\n</g>\n<g id="b">\n<use href="#a"/>\n</g>'),
        ("3: <use> points back to itself, directly or through other elements; remove the loop",),
    ),
    Case(
        "numbers no float can hold",
        svg('<rect x="1e309" width="NaN" height="-inf" transform="scale(1e309)" style="stroke-width: 1e999999px"/>'),
        (),
    ),
    # --- drawings pass -----------------------------------------------------------------------------------------------
    Case(
        "a drawing that points only inside itself",
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- made by hand -->\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 90 90" '
        'role="img" aria-labelledby="t" data-name="Layer 1" xml:space="preserve">\n'
        '<title id="t">A drawing</title><desc>Shapes</desc>\n'
        "<style><![CDATA[ .a { fill: url(#g); stroke: rgb(0 0 0 / 50%) }\n"
        "@media (prefers-color-scheme: dark) { .a:not(.b) { fill: #fff } } ]]></style>\n"
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient>'
        '<radialGradient id="r" xlink:href="#g"/><pattern id="p" width="4" height="4"><rect width="2" height="2"/></pattern>'
        '<clipPath id="c"><circle r="40"/></clipPath><mask id="m"><rect width="90" height="90" fill="#fff"/></mask>'
        '<marker id="k"><path d="M0 0L5 5"/></marker><filter id="f"><feGaussianBlur stdDeviation="2"/><feOffset dx="1"/></filter>'
        '<symbol id="s"><ellipse rx="3" ry="2"/></symbol></defs>\n'
        '<g class="a" clip-path="url(#c)" mask="url(\'#m\')" filter="url(#f)" style="fill: url( &quot;#p&quot; ); cursor: url(#s), auto">'
        '<use href="#s" x="5"/><use xlink:href="#s" x="9"/><polyline points="0,0 9,9" marker-end="url(#k)"/>'
        '<path id="curve" d="M0 50q45-40 90 0"/><text font-family="system-ui, sans-serif"><textPath href="#curve">Hi</textPath>'
        '<tspan dy="1em">there</tspan></text><line x2="9"/><polygon points="0,0 1,1 0,1"/></g>\n</svg>\n',
        (),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_construct_is_refused_at_its_line_with_what_to_do(case: Case) -> None:
    data = case.svg.encode("utf-8") if isinstance(case.svg, str) else case.svg
    found = judge_svg(data).findings
    assert tuple(f"{f.line}: {f.message}" for f in found) == case.expected


def test_the_real_diagram_passes_unchanged() -> None:
    reading = judge_svg((REPO / "content" / "images" / "car-t-steps.svg").read_bytes())
    assert reading.findings == ()
    assert reading.root is not None and reading.root["viewBox"] == "0 0 360 464"


def test_a_hostile_file_gets_at_most_thirty_findings() -> None:
    body = "\n".join(f'<rect fill="url(https://evil.example/{n}.svg#a)"/>' for n in range(500))
    found = judge_svg(svg(body).encode()).findings
    assert len(found) == 30
    assert found[0].message == f"the attribute fill on <rect> loads 'https://evil.example/0.svg#a' with url(); {LOAD_INSIDE}"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<g>" * 200_000, (f"2: elements are nested more than {MAX_DEPTH} deep; ungroup some of them (in Inkscape: Object > Ungroup)",)),
        ('<rect style="' + "(" * 99_000 + '"/>', ()),  # CSS blocks nested 99,000 deep: judged by a loop, not recursion
        ("<style>" + "a{fill:red}" * 9_000 + "</style>", ()),  # 99,000 characters of stylesheet
        (
            "<style>\n" + "a{fill:red}" * 10_000 + "</style>",
            ("2: the <style> element holds 110,001 characters of CSS, more than a picture needs; export the picture again as plain SVG",),
        ),
        (
            '<rect style="' + "(" * 200_000 + '"/>',
            (
                "2: the attribute style on <rect> holds 200,000 characters of CSS, more than a picture needs; export the picture "
                "again as plain SVG",
            ),
        ),
        (  # each of 30,000 groups repeats the ones after it: 450 million elements to draw
            "".join(f'<g id="g{i}"><use href="#g{i + 1}"/></g>' for i in range(30_000)),
            ("1: <use> elements make the picture draw more than 100,000 extra elements; draw repeated parts fewer times",),
        ),
    ],
    ids=["deep elements", "deep CSS", "large stylesheet", "too large a stylesheet", "too much CSS in an attribute", "long use chain"],
)
def test_large_and_deep_files_are_judged_without_a_traceback(body: str, expected: tuple[str, ...]) -> None:
    found = judge_svg(svg(body).encode()).findings
    assert tuple(f"{f.line}: {f.message}" for f in found) == expected

"""Pictures: copied from content/, checked at their Markdown line, written with width and height, SVGs kept safe, weighed."""

from __future__ import annotations

import importlib.util
import io
import re
import sys

import pytest
from PIL import Image

from tests.conftest import REPO, Project, page


def picture(kind: str, size: tuple[int, int] = (64, 32), extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, format=kind)
    return buffer.getvalue() + extra


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><rect width="300" height="150" fill="#036"/></svg>'


def with_body(project: Project, body: str, name: str = "content/index.md", **extra: str) -> None:
    project.write(name, page(body="Hello [@gauthier2021].\n\n" + body, **extra))


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def errors(project: Project, capsys: pytest.CaptureFixture[str]) -> list[str]:
    _, _, err = project.build("check", capsys=capsys)
    return [line for line in err.splitlines() if line.startswith("content/")]


def test_pictures_are_copied_and_written_with_their_width_and_height(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "content/images/chart.png": picture("PNG", (640, 360)),
        "content/images/photo.jpg": picture("JPEG", (800, 600)),
        "content/images/small.webp": picture("WEBP", (120, 80)),
        "content/images/moving.gif": picture("GIF", (50, 40)),
        "content/images/steps.svg": SVG,
        "content/images/sized.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="200px" height="100" viewBox="0 0 20 10"/>',
    }
    for name, data in files.items():
        project.write(name, data)
    with_body(
        project,
        "![A chart](images/chart.png)\n\n![A photo](images/photo.jpg)\n\n![A small picture](images/small.webp)\n\n"
        "![A moving picture](images/moving.gif)\n\n![Steps](images/steps.svg)\n\n![decorative](images/sized.svg)\n",
    )
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert img_tags((project.site / "index.html").read_text()) == [
        '<img alt="A chart" height="360" src="images/chart.png" width="640">',
        '<img alt="A photo" height="600" src="images/photo.jpg" width="800">',
        '<img alt="A small picture" height="80" src="images/small.webp" width="120">',
        '<img alt="A moving picture" height="40" src="images/moving.gif" width="50">',
        '<img alt="Steps" height="150" src="images/steps.svg" width="300">',
        '<img alt="" height="100" src="images/sized.svg" width="200">',
    ]
    for name, data in files.items():
        assert (project.site / name.removeprefix("content/")).read_bytes() == data


def test_pictures_beside_a_page_in_a_sub_folder_work_from_that_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/care/map.png", picture("PNG", (30, 20)))
    project.write("content/images/logo.png", picture("PNG", (10, 10)))
    with_body(project, "![A map of the ward](map.png)\n\n![The logo](../images/logo.png)\n", name="content/care/index.md", order="2")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert img_tags((project.site / "care" / "index.html").read_text()) == [
        '<img alt="A map of the ward" height="20" src="map.png" width="30">',
        '<img alt="The logo" height="10" src="../images/logo.png" width="10">',
    ]
    assert (project.site / "care" / "map.png").is_file()


def test_a_picture_needs_alt_text_or_the_decorative_marker(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/chart.png", picture("PNG"))
    with_body(project, 'Text.\n\n![](images/chart.png)\n\n![""](images/chart.png)\n\n' + "![" + "A" * 126 + "](images/chart.png)\n")
    assert errors(project, capsys) == [
        "content/index.md:22: the picture 'images/chart.png' has no alt text: describe what it shows, for example "
        "![A diagram of the steps of CAR T-cell therapy](images/chart.png); if it only decorates the page, write "
        "![decorative](images/chart.png)",
        "content/index.md:24: the picture 'images/chart.png' has no alt text: describe what it shows, for example "
        "![A diagram of the steps of CAR T-cell therapy](images/chart.png); if it only decorates the page, write "
        "![decorative](images/chart.png)",
        "content/index.md:26: warning: the alt text of the picture 'images/chart.png' is 126 characters long; keep it under 125 "
        "and give the details in the page's text",
    ]


def test_a_missing_picture_gets_did_you_mean_at_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/chart.png", picture("PNG"))
    with_body(project, "Some text, then\n![A chart](images/chrat.png) inline.\n\n![A photo](photo.png)\n")
    assert errors(project, capsys) == [
        "content/index.md:21: the picture 'images/chrat.png' was not found: there is no file content/images/chrat.png "
        "(did you mean 'images/chart.png'?)",
        "content/index.md:23: the picture 'photo.png' was not found: there is no file content/photo.png; put pictures in content/images/",
    ]


def test_a_picture_address_with_a_backslash_escape_is_checked_and_sized(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/a_b.png", picture("PNG"))
    with_body(project, "![A chart](images/a\\_b.png)\n\n![A photo](images/no\\_pe.png)\n")
    assert errors(project, capsys) == [
        "content/index.md:22: the picture 'images/no_pe.png' was not found: there is no file content/images/no_pe.png "
        "(did you mean 'images/a_b.png'?)",
    ]
    with_body(project, "![A chart](images/a\\_b.png)\n")
    assert project.build(capsys=capsys)[0] == 0
    assert img_tags((project.site / "index.html").read_text()) == ['<img alt="A chart" height="32" src="images/a_b.png" width="64">']


def test_reference_style_pictures_are_checked_too(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with_body(project, "![A chart][chart]\n\n[chart]: images/none.png\n")
    assert errors(project, capsys) == [
        "content/index.md:20: the picture 'images/none.png' was not found: there is no file content/images/none.png; "
        "put pictures in content/images/"
    ]


def test_only_web_picture_formats_are_allowed(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/scan.bmp", picture("BMP"))
    with_body(project, "![A scan](images/scan.bmp)\n\n![A scan](images/scan.tiff)\n")
    assert errors(project, capsys) == [
        "content/index.md:20: the picture 'images/scan.bmp' is a .bmp file; pictures must be PNG, JPEG, WebP, GIF or SVG: "
        "save it as one of these",
        "content/index.md:22: the picture 'images/scan.tiff' is a .tiff file; pictures must be PNG, JPEG, WebP, GIF or SVG: "
        "save it as one of these",
    ]


def test_a_file_must_be_the_picture_its_name_says(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/renamed.png", picture("JPEG"))
    project.write("content/images/broken.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 not really")
    assert errors(project, capsys) == [
        "content/images/broken.webp:1: cannot read this file as a WebP picture: it is damaged, or not a picture; save it again as WebP",
        "content/images/renamed.png:1: this file is a JPEG picture, but its name says PNG; rename it to end in .jpg",
    ]


def test_a_picture_over_the_budget_is_a_warning_with_how_to_shrink_it(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/big.png", picture("PNG", extra=b"\0" * 210 * 1024))
    project.write("content/images/huge.png", picture("PNG", extra=b"\0" * 2100 * 1024))
    with_body(project, "![A big chart](images/big.png)\n")
    status, _, err = project.build("check", capsys=capsys)
    assert err.splitlines()[:-1] == [
        "content/images/huge.png:1: this picture is 2,100 KB, too large to put on a web page (the most is 2,048 KB, and under "
        "200 KB is best); make it smaller: at most 1,600 pixels wide, saved as JPEG (quality about 80) or WebP for a "
        "photo-like picture, or as PNG or SVG for a diagram",
        "content/index.md:20: warning: the picture 'images/big.png' is 210 KB, more than the 200 KB a picture may be before "
        "it slows the page on a phone; make it smaller: at most 1,600 pixels wide, saved as JPEG (quality about 80) or WebP "
        "for a photo-like picture, or as PNG or SVG for a diagram",
    ]


def test_a_page_that_shows_an_unsafe_svg_fails_at_its_line_naming_the_file_and_what_to_do(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.build(capsys=capsys)
    before = project.snapshot()
    project.write(
        "content/images/drawing.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
        '<a x:href="#top"><animate attributeName="x:href" values="javascript:alert(1)"/></a>\n'
        '<rect fill="url(https://evil.example/p.svg#g)"/>\n</svg>\n',
    )
    with_body(project, "Look:\n\n![A drawing](images/drawing.svg)\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[:-1] == [
        "content/index.md:22: the picture 'images/drawing.svg' cannot be published (content/images/drawing.svg:2): <a> makes a "
        "link inside the picture, which readers cannot see as a link; remove the <a> tags (keep what they hold) and put the "
        "link in the page's text",
        "content/index.md:22: the picture 'images/drawing.svg' cannot be published (content/images/drawing.svg:2): <animate> "
        "makes the picture move, and an animation can change a link; remove it: pictures on this site do not move",
        "content/index.md:22: the picture 'images/drawing.svg' cannot be published (content/images/drawing.svg:3): the attribute "
        "fill on <rect> loads 'https://evil.example/p.svg#g' with url(); a picture may point only inside itself: use a colour, "
        "or url(#id) of a gradient, pattern, clip path, mask, marker or filter in the same file",
    ]
    assert project.snapshot() == before


def test_an_unsafe_svg_that_no_page_shows_fails_at_the_file(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/drawing.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>')
    project.write("templates/static/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n\n<rect onclick="go()"/></svg>')
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[:-1] == [
        "content/images/drawing.svg:2: <script> runs code; remove it: a picture may only draw",
        "templates/static/logo.svg:3: the attribute onclick on <rect> runs code when the picture is opened, clicked or loaded; remove it",
    ]
    assert not project.site.exists()


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ('viewBox="0 0 1e309 10"', "the SVG's viewBox '0 0 1e309 10' is not four numbers with a width and a height above 0"),
        ('viewBox="0 0 NaN 10"', "the SVG's viewBox '0 0 NaN 10' is not four numbers with a width and a height above 0"),
        ('viewBox="0 0 0 10"', "the SVG's viewBox '0 0 0 10' is not four numbers with a width and a height above 0"),
        ("", "the SVG has no width and height, nor a viewBox"),
        ('width="100%"', "the SVG's width and height ('100%' and '') are not both a number of pixels above 0, and it has no viewBox"),
        (
            'width="1e309" height="10"',
            "the SVG's width and height ('1e309' and '10') are not both a number of pixels above 0, and it has no viewBox",
        ),
    ],
)
def test_an_svg_whose_size_cannot_be_used_is_a_warning_at_its_line(
    project: Project, capsys: pytest.CaptureFixture[str], root: str, expected: str
) -> None:
    project.write("content/images/drawing.svg", f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" {root}>\n<rect/>\n</svg>')
    with_body(project, "![A drawing](images/drawing.svg)\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert err.splitlines() == [
        f"content/images/drawing.svg:2: warning: {expected}, so pages cannot keep its space while it loads; "
        'add viewBox="0 0 WIDTH HEIGHT" to its <svg> element'
    ]
    assert img_tags((project.site / "index.html").read_text()) == ['<img alt="A drawing" src="images/drawing.svg">']


@pytest.mark.parametrize(
    ("root", "tag"),
    [
        (
            'width="' + "9" * 400 + '" height="1" viewBox="0 0 40 20"',
            '<img alt="A drawing" height="20" src="images/drawing.svg" width="40">',
        ),
        ('viewBox="0 0 1e300 5e299"', '<img alt="A drawing" height="5000" src="images/drawing.svg" width="10000">'),
        ('viewBox="0,0,3e-300,1e-300"', '<img alt="A drawing" height="1" src="images/drawing.svg" width="1">'),
    ],
    ids=["width of 400 digits, then the viewBox", "huge viewBox, scaled down", "tiny viewBox, one pixel"],
)
def test_any_size_gives_a_width_and_height_of_at_most_ten_thousand_pixels(
    project: Project, capsys: pytest.CaptureFixture[str], root: str, tag: str
) -> None:
    project.write("content/images/drawing.svg", f'<svg xmlns="http://www.w3.org/2000/svg" {root}><rect/></svg>')
    with_body(project, "![A drawing](images/drawing.svg)\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert img_tags((project.site / "index.html").read_text()) == [tag]


def test_the_real_diagram_is_safe_small_and_sized() -> None:
    from sitegen.load.images import IMAGE_BUDGET_BYTES, read_svg

    diagram = REPO / "content" / "images" / "car-t-steps.svg"
    data = diagram.read_bytes()
    assert read_svg(data, "content/images/car-t-steps.svg") == (360, 464, (), [])
    assert len(data) < IMAGE_BUDGET_BYTES / 10


def load_page_weight():  # noqa: ANN201 (a module loaded from a path)
    spec = importlib.util.spec_from_file_location("page_weight", REPO / "tests" / "tools" / "page_weight.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["page_weight"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_page_weight_counts_pictures_apart_from_the_page_and_within_their_own_budget(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    page_weight = load_page_weight()
    chart = picture("PNG", (640, 360))
    project.write("content/images/chart.png", chart)
    project.write("content/images/steps.svg", SVG)
    with_body(project, "![A chart](images/chart.png)\n\n![Steps](images/steps.svg)\n\n![Again](images/chart.png)\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    weights = {w.page: w for w in page_weight.measure_site(project.site)}
    home = weights["index.html"]
    assert home.images == len(chart) + len(SVG)
    assert home.image_requests == 2
    assert home.requests == 4  # the page (its stylesheet is inside it), favicon.svg and two pictures
    assert page_weight.over_limits(home, 50_000, 3, 200_000) == []
    assert page_weight.over_limits(home, 50_000, 3, len(chart)) == [
        f"{len(chart) + len(SVG):,} bytes of pictures is above the limit of {len(chart):,}"
    ]
    assert weights["sources.html"].images == 0

"""Pictures in content/: read once, for their format, their size in pixels and, for SVG, their safety.

Every picture under content/ is copied to the same place in the site. Pages check their pictures against what
is read here (extensions/images.py), so a page can write width and height, and the layout does not jump while
pictures load.

- Formats: PNG, JPEG, WebP and GIF (read with Pillow, which checks that the file is what its name says), and SVG.
- An SVG file is read as XML. A script, an event attribute (onload=...), a <foreignObject>, an animation that
  changes a link, an entity declaration or a reference to anything outside the file is an error at its line:
  browsers do not run these in an <img>, but they do when someone opens the file itself.
- IMAGE_BUDGET_BYTES is the size above which a page that shows the picture gets a warning; MAX_IMAGE_BYTES is
  the size above which the file is not read at all.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.parsers import expat

from ..model import Origin, OutputFile
from ..problems import Problem, error, quoted_short, warning
from .files import FoundFile, read_bytes

IMAGE_BUDGET_BYTES = 200 * 1024
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP", ".gif": "GIF", ".svg": "SVG"}
PILLOW_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}
SUFFIX_OF = {"PNG": ".png", "JPEG": ".jpg", "WebP": ".webp", "GIF": ".gif"}
SVG_FORBIDDEN = {
    "script": "a script",
    "foreignObject": "a <foreignObject>, which can hold web-page content",
    "iframe": "an <iframe>",
    "embed": "an <embed>",
    "object": "an <object>",
}
LINK_ATTRIBUTES = {"href", "xlink:href", "src"}
ANIMATIONS = {"set", "animate"}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")
CSS_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)


@dataclass(frozen=True)
class ImageInfo:
    """A picture file as pages see it: where it is in the site, its size in bytes and, when known, in pixels."""

    path: str  # relative to the site (and to content/)
    shown: str
    size: int
    format: str
    width: int | None = None
    height: int | None = None


def describe_size(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def read_images(found: tuple[FoundFile, ...]) -> tuple[list[OutputFile], dict[str, ImageInfo], list[Problem]]:
    """The files to copy, what pages need to know of each, and every problem with them."""
    files: list[OutputFile] = []
    infos: dict[str, ImageInfo] = {}
    problems: list[Problem] = []
    for file in found:
        path = file.relative.as_posix()
        try:
            size = file.path.stat().st_size
        except OSError:
            size = 0
        if size > MAX_IMAGE_BYTES:
            problems.append(
                error(
                    file.shown,
                    1,
                    f"this picture is {describe_size(size)}, too large to put on a web page (the most is "
                    f"{describe_size(MAX_IMAGE_BYTES)}, and under {describe_size(IMAGE_BUDGET_BYTES)} is best); {SHRINK}",
                )
            )
            infos[path] = ImageInfo(path, file.shown, size, FORMATS[file.relative.suffix.lower()])
            continue
        data, read_problems = read_bytes(file.path, file.shown, MAX_IMAGE_BYTES)
        problems += read_problems
        if data is None:
            continue
        info, found_problems = read_image(data, path, file.shown)
        problems += found_problems
        infos[path] = info
        files.append(OutputFile(path, data, Origin(file.shown)))
    return files, infos, problems


SHRINK = (
    "make it smaller: at most 1,600 pixels wide, saved as JPEG (quality about 80) or WebP for a photo-like picture, "
    "or as PNG or SVG for a diagram"
)


def read_image(data: bytes, path: str, shown: str) -> tuple[ImageInfo, list[Problem]]:
    expected = FORMATS[PurePosixPath(path).suffix.lower()]
    if expected == "SVG":
        width, height, problems = read_svg(data, shown)
        return ImageInfo(path, shown, len(data), expected, width, height), problems
    from PIL import Image, UnidentifiedImageError  # Pillow is needed only when a site has raster pictures

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                actual = PILLOW_NAMES.get(image.format or "", image.format or "unknown")
                width, height = image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return ImageInfo(path, shown, len(data), expected), [
            error(shown, 1, f"cannot read this file as a {expected} picture: it is damaged, or not a picture; save it again as {expected}")
        ]
    if actual != expected:
        better = SUFFIX_OF.get(actual)
        fix = f"rename it to end in {better}" if better else "save it again as PNG, JPEG or WebP"
        return ImageInfo(path, shown, len(data), expected), [
            error(shown, 1, f"this file is a {actual} picture, but its name says {expected}; {fix}")
        ]
    if width * height > MAX_PIXELS:
        return ImageInfo(path, shown, len(data), expected), [
            error(shown, 1, f"this picture is {width} × {height} pixels, far more than a web page needs; {SHRINK}")
        ]
    return ImageInfo(path, shown, len(data), expected, width, height), []


class _SvgReader:
    """Reads an SVG file with expat (XML, no external entities), keeping what makes it unsafe and its size."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []
        self.root: dict[str, str] | None = None
        self.root_line = 1
        self.in_style = 0
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.EntityDeclHandler = self.entity
        self.parser.ExternalEntityRefHandler = lambda *_: 0

    def error(self, message: str) -> None:
        self.problems.append(error(self.shown, self.parser.CurrentLineNumber, message))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if self.root is None:
            self.root, self.root_line = attrs, self.parser.CurrentLineNumber
            if local != "svg":
                self.error(f"this file is not an SVG picture: it starts with <{name}>, not <svg>")
        if local in SVG_FORBIDDEN:
            self.error(f"the SVG holds {SVG_FORBIDDEN[local]}; pictures may not hold scripts or web content: remove it")
        if local in ANIMATIONS and attrs.get("attributeName", "") in LINK_ATTRIBUTES:
            self.error(f"the SVG has an <{local}> that changes a link; remove it")
        for attribute, value in attrs.items():
            if attribute.lower().startswith("on"):
                self.error(f"the SVG has an event attribute '{attribute}' on <{local}>, which runs a script; remove it")
            elif attribute.rsplit(":", 1)[-1] in LINK_ATTRIBUTES - {"xlink:href"} and not value.strip().startswith("#"):
                self.error(f"the SVG refers to {quoted_short(value)} outside the file (on <{local}>); pictures must be whole in one file")
            elif attribute == "style":
                self.check_css(value, local)
        if local == "style":
            self.in_style += 1

    def end(self, name: str) -> None:
        if name.rsplit(":", 1)[-1] == "style" and self.in_style:
            self.in_style -= 1

    def text(self, data: str) -> None:
        if self.in_style:
            self.check_css(data, "style")

    def check_css(self, css: str, where: str) -> None:
        for match in CSS_REFERENCE.finditer(css):
            target = match.group(1)
            if target is None or not target.startswith("#"):
                self.error(f"the SVG's style (on <{where}>) loads something from outside the file; pictures must be whole in one file")

    def entity(self, name: str, *_: object) -> None:
        self.error(f"the SVG declares an entity ('{name}'); remove the <!ENTITY> declaration")
        raise _StopReadingError  # entities can expand to gigabytes: read no further


class _StopReadingError(Exception):
    pass


def read_svg(data: bytes, shown: str) -> tuple[int | None, int | None, list[Problem]]:
    """The SVG's width and height in pixels (from width and height, or from its viewBox), and its problems."""
    reader = _SvgReader(shown)
    try:
        reader.parser.Parse(data, True)
    except _StopReadingError:
        return None, None, reader.problems
    except expat.ExpatError as exc:
        return None, None, [error(shown, exc.lineno, f"cannot read this SVG file: {expat.ErrorString(exc.code)}; export it again")]
    problems = reader.problems
    root = reader.root or {}
    size = svg_size(root)
    if size is None and reader.root is not None and not problems:
        problems.append(
            warning(
                shown,
                reader.root_line,
                "the SVG has no width and height, nor a viewBox, so pages cannot keep its space while it loads; "
                'add viewBox="0 0 WIDTH HEIGHT" to its <svg> element',
            )
        )
    width, height = size or (None, None)
    return width, height, problems


def svg_size(root: dict[str, str]) -> tuple[int, int] | None:
    width, height = (LENGTH.match(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return _pixels(width.group(1)), _pixels(height.group(1))
    parts = re.split(r"[\s,]+", root.get("viewBox", "").strip())
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return _pixels(str(numbers[2])), _pixels(str(numbers[3]))
    return None


def _pixels(text: str) -> int:
    return max(1, round(float(text)))

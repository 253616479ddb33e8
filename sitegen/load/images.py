"""Pictures in content/: read once, for their format, their size in pixels and, for SVG, their safety.

Every picture under content/ is copied to the same place in the site. Pages check their pictures against what
is read here (extensions/images.py), so a page can write width and height, and the layout does not jump while
pictures load.

- Formats: PNG, JPEG, WebP and GIF (read with Pillow, which checks that the file is what its name says), and SVG.
- An SVG file is judged by svg_safety.py: it may only draw. What keeps it from being published is kept with the
  picture (ImageInfo.refused) and reported at each page line that shows it (extensions/images.py), or at the
  file itself when no page shows it (pipeline.py). Its size comes from its width and height, or its viewBox.
- IMAGE_BUDGET_BYTES is the size above which a page that shows the picture gets a warning; MAX_IMAGE_BYTES is
  the size above which the file is not read at all.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..model import Origin, OutputFile
from ..problems import Problem, error, quoted_short, warning
from .files import FoundFile, read_bytes
from .svg_safety import Finding, judge_svg

IMAGE_BUDGET_BYTES = 200 * 1024
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP", ".gif": "GIF", ".svg": "SVG"}
PILLOW_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}
SUFFIX_OF = {"PNG": ".png", "JPEG": ".jpg", "WebP": ".webp", "GIF": ".gif"}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")


@dataclass(frozen=True)
class ImageInfo:
    """A picture file as pages see it: where it is in the site, its size in bytes and, when known, in pixels."""

    path: str  # relative to the site (and to content/)
    shown: str
    size: int
    format: str
    width: int | None = None
    height: int | None = None
    refused: tuple[Finding, ...] = ()  # why an SVG may not be published, reported at each page that shows it


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
        width, height, refused, problems = read_svg(data, shown)
        return ImageInfo(path, shown, len(data), expected, width, height, refused), problems
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


def read_svg(data: bytes, shown: str) -> tuple[int | None, int | None, tuple[Finding, ...], list[Problem]]:
    """The SVG's width and height in pixels, what keeps it from being published (svg_safety.py), and a warning when
    pages cannot know its size."""
    reading = judge_svg(data)
    if not reading.safe or reading.root is None:
        return None, None, reading.findings, []
    size, reason = svg_size(reading.root)
    if size is None:
        message = f"{reason}, so pages cannot keep its space while it loads; {ADD_SIZE}"
        return None, None, (), [warning(shown, reading.root_line, message)]
    return size[0], size[1], (), []


ADD_SIZE = 'add viewBox="0 0 WIDTH HEIGHT" to its <svg> element'
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
MAX_SIDE = 10_000  # pixels written into a page for the longer side; a larger picture keeps its shape, scaled down


def svg_size(root: dict[str, str]) -> tuple[tuple[int, int] | None, str]:
    """Width and height in pixels, from the root's width and height, or else its viewBox; or None and why not.

    Only the shape matters to a page (CSS scales pictures to fit), so any finite size above 0 is scaled to fit
    MAX_SIDE: no number in a picture, however large or small, can break the arithmetic."""
    width, height = (LENGTH.match(root.get(name, "")) for name in ("width", "height"))
    if width and height and (size := _usable(width.group(1), height.group(1))):
        return size, ""
    box = root.get("viewBox")
    if box is None and ("width" in root or "height" in root):
        written = f"{quoted_short(root.get('width', ''))} and {quoted_short(root.get('height', ''))}"
        return None, f"the SVG's width and height ({written}) are not both a number of pixels above 0, and it has no viewBox"
    if box is None:
        return None, "the SVG has no width and height, nor a viewBox"
    parts = [p for p in re.split(r"[\s,]+", box.strip()) if p]
    size = _usable(parts[2], parts[3]) if len(parts) == 4 and all(NUMBER.fullmatch(p) for p in parts) else None
    if size is None:
        return None, f"the SVG's viewBox {quoted_short(box)} is not four numbers with a width and a height above 0"
    return size, ""


def _usable(width: str, height: str) -> tuple[int, int] | None:
    sides = float(width), float(height)  # a number too large for a float is inf here, never an exception
    if not all(math.isfinite(side) and side > 0 for side in sides):
        return None
    scale = min(1.0, MAX_SIDE / max(sides))
    return max(1, round(sides[0] * scale)), max(1, round(sides[1] * scale))

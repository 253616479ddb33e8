"""Judge an SVG picture against an allowlist: a picture may only draw, and may point only inside itself.

An SVG shown in an <img> cannot run code or load anything, but the same file opened on its own (a reader taps it,
or follows its address) is a document of the site's own origin: a script in it, or a link it makes, runs there.
So a picture passes only when everything in it is on the lists below; anything else is a Finding at its line,
naming the element or attribute and what to do instead.

- Parsed by defusedxml's expat reader, which refuses a DOCTYPE (and with it every entity and external resource)
  before expanding anything. Names are judged by namespace URI, never by prefix: `x:href` with x bound to XLink
  is an XLink href. Processing instructions (<?xml-stylesheet?>) are refused.
- Elements: SVG's shapes, paths, text, gradients, patterns, clip paths, masks, markers, filter primitives that
  draw (not <feImage>, which loads), g, defs, symbol, svg, use, title, desc and style. No animation at all (an
  animation can set an attribute that holds a link), no <script>, <foreignObject>, <a>, <image>.
- Attributes: geometry, presentation (CSS values), ids, classes, ARIA and data-*. href, and an XLink href under
  any prefix, only as '#id'. Event attributes (on...) are refused, and so is every other namespace's attribute
  (xml:base included: it would move where '#id' points), but xml:space and xml:lang.
- CSS, in <style>, in style="" and in every presentation attribute, is read by tinycss2, which decodes escapes
  (`\\75 rl(` is url(), `@\\69mport` is @import) before it is judged: url() must be '#id', only functions that
  compute colours, lengths and shapes are allowed (not image-set(), image(), attr()...), and the only at-rule is
  @media.
- Sizes: elements nested at most MAX_DEPTH deep; at most MAX_CSS_CHARACTERS of CSS in one place; <use> may not
  make the picture draw more than MAX_DRAWN elements beyond those in the file (a few nested <use> can otherwise
  repeat a shape billions of times), nor point back to itself. Every step is a loop, never recursion, so
  nothing nested deeply can exhaust Python's stack. The judge never reads a number: what the build reads of
  a picture's size is images.py's job.
- The file must be UTF-8, and a declared encoding must say so: expat is told to read UTF-8, so it cannot see a
  different text from the one a browser sees.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax import SAXException, SAXParseException, handler
from xml.sax.xmlreader import AttributesNSImpl, InputSource, Locator

import tinycss2
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.expatreader import DefusedExpatParser

from ..problems import quoted_short

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"

MAX_DEPTH = 100
MAX_DRAWN = 100_000
MAX_CSS_CHARACTERS = 100_000  # in one <style> element or one attribute
MAX_FINDINGS = 30  # distinct findings reported for one file; a hostile file could otherwise fill a screen

STRUCTURE = {"svg", "g", "defs", "symbol", "use", "title", "desc", "style"}
SHAPES = {"rect", "circle", "ellipse", "line", "polyline", "polygon", "path"}
TEXT = {"text", "tspan", "textPath"}
PAINT = {"linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker"}
FILTERS = set(
    """
    filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge
    feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
    """.split()
)
ELEMENTS = STRUCTURE | SHAPES | TEXT | PAINT | FILTERS

ANIMATION = {"animate", "animateColor", "animateMotion", "animateTransform", "set", "mpath", "discard"}
REFUSED_ELEMENTS = {
    "script": "runs code; remove it: a picture may only draw",
    "foreignObject": "holds web-page content, not drawing; remove it, and put its words in <text> or in the page",
    "a": "makes a link inside the picture, which readers cannot see as a link; remove the <a> tags (keep what they hold) "
    "and put the link in the page's text",
    "image": "puts another picture or file inside this one; remove it, and show that picture on the page by itself",
    "feImage": "loads a picture into a filter; remove it",
    "metadata": "holds notes for editing programs, not drawing; remove it, or export the picture again as plain SVG",
    **{
        name: "makes the picture move, and an animation can change a link; remove it: pictures on this site do not move"
        for name in ANIMATION
    },
}
ALLOWED_SUMMARY = (
    "a picture may use shapes, paths, text, gradients, patterns, clip paths, masks, markers, filters, groups, <use>, "
    "<title>, <desc> and <style>"
)

# Attributes whose value is CSS: browsers parse each as the property of the same name (and 'style' as declarations).
PRESENTATION = set(
    """
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation color-interpolation-filters
    color-rendering cursor direction display dominant-baseline enable-background fill fill-opacity fill-rule filter
    flood-color flood-opacity font font-family font-feature-settings font-kerning font-size font-size-adjust
    font-stretch font-style font-variant font-weight image-rendering isolation letter-spacing lighting-color
    marker-end marker-mid marker-start mask mask-type mix-blend-mode opacity overflow paint-order pointer-events
    shape-rendering stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-opacity stroke-width style text-anchor text-decoration text-rendering transform-origin
    unicode-bidi vector-effect visibility word-spacing writing-mode
    """.split()
)
# Attributes that hold numbers, names of other elements' results, or keywords: they cannot load or run anything.
PLAIN = set(
    """
    id class lang role focusable version baseProfile type media x y x1 y1 x2 y2 cx cy r rx ry fx fy fr dx dy width
    height d points pathLength transform viewBox preserveAspectRatio rotate textLength lengthAdjust startOffset
    method spacing side offset gradientUnits gradientTransform spreadMethod patternUnits patternContentUnits
    patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth markerHeight refX refY orient
    filterUnits primitiveUnits in in2 result stdDeviation edgeMode mode operator k1 k2 k3 k4 values tableValues
    slope intercept amplitude exponent scale xChannelSelector yChannelSelector baseFrequency numOctaves seed
    stitchTiles radius order kernelMatrix kernelUnitLength divisor bias targetX targetY preserveAlpha surfaceScale
    diffuseConstant specularConstant specularExponent azimuth elevation z pointsAtX pointsAtY pointsAtZ
    limitingConeAngle
    """.split()
)
XML_ATTRIBUTES = {"space", "lang"}  # xml:space, xml:lang; never xml:base, which moves where '#id' points
LOCAL_REFERENCE = re.compile(r"#[^\s#]+")

# CSS functions that compute a value; anything else (image-set(), image(), cross-fade(), element(), attr(), env(),
# paint(), src()...) is refused. url() is judged on its own.
CSS_FUNCTIONS = set(
    """
    rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix light-dark var calc min max clamp round mod rem abs
    sign sqrt pow hypot log exp sin cos tan asin acos atan atan2 matrix matrix3d translate translatex translatey
    translatez translate3d perspective scale scalex scaley scalez scale3d rotate rotatex rotatey rotatez rotate3d
    skew skewx skewy blur brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia inset
    circle ellipse polygon path rect xywh
    """.split()
)
LOADING_FUNCTIONS = set(
    """
    image-set -webkit-image-set image cross-fade -webkit-cross-fade element -moz-element src paint
    """.split()
)
AT_RULES = {
    "import": "loads another stylesheet; remove it",
    "font-face": "loads a font; remove it, and use a font that readers already have (such as font-family: sans-serif)",
    "keyframes": "makes the picture move; remove it: pictures on this site do not move",
    "namespace": "is not needed in a picture; remove it",
}


@dataclass(frozen=True)
class Finding:
    """One thing that keeps a picture from being published: its line in the SVG file, and what to do."""

    line: int
    message: str


@dataclass(frozen=True)
class SvgReading:
    """What the judge read: the root <svg>'s own attributes (for its size) and every finding."""

    root: dict[str, str] | None
    root_line: int
    findings: tuple[Finding, ...]

    @property
    def safe(self) -> bool:
        return not self.findings


def judge_svg(data: bytes) -> SvgReading:
    """Read an SVG file's bytes and judge every element, attribute, style and instruction in it."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return SvgReading(None, 1, (Finding(line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); export it again as UTF-8"),))
    judge = _Judge()
    parser = _SvgParser(judge)
    source = InputSource()
    source.setByteStream(io.BytesIO(data))
    source.setEncoding("utf-8")  # what was decoded above; an encoding the file declares cannot make expat read it otherwise
    try:
        parser.parse(source)
    except _StopReadingError:
        pass
    except DTDForbidden:
        judge.add(
            "the picture has a <!DOCTYPE ...> declaration, which can define entities and load other files; "
            "delete the declaration (a picture needs none)"
        )
    except EntitiesForbidden as exc:
        judge.add(f"the picture declares an entity ({exc.name!r}); delete the <!ENTITY ...> declaration")
    except DefusedXmlException:
        judge.add("the picture refers to another file from its declarations; delete them")
    except SAXParseException as exc:
        return SvgReading(None, 1, (Finding(exc.getLineNumber() or 1, f"cannot read this SVG file: {exc.getMessage()}; export it again"),))
    except SAXException as exc:  # any other refusal of the reader
        return SvgReading(None, 1, (Finding(judge.line(), f"cannot read this SVG file: {exc.getMessage()}; export it again"),))
    judge.check_uses()
    return SvgReading(judge.root, judge.root_line, judge.findings())


class _SvgParser(DefusedExpatParser):
    """defusedxml's expat reader (no DOCTYPE, so no entities and no external resources), with namespaces, telling the
    judge what the <?xml ...?> declaration says."""

    def __init__(self, judge: _Judge) -> None:
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.setFeature(handler.feature_namespaces, True)
        self.setContentHandler(judge)
        self.judge = judge

    def reset(self) -> None:
        super().reset()
        self._parser.XmlDeclHandler = self.judge.xml_declaration  # type: ignore[attr-defined]  # the expat parser reset() made


class _StopReadingError(Exception):
    """Nothing more is worth saying: the file is not an SVG picture, or too deep to judge."""


@dataclass(slots=True)
class _Node:
    line: int
    children: list[int] = field(default_factory=list)
    uses: str | None = None  # the id a <use> repeats


@dataclass(slots=True)
class _Found:
    message: str
    line: int  # the first line it was found at
    count: int = 1


class _Judge(handler.ContentHandler):
    """SAX handler: judges each element as it starts, collects <style> text, and keeps the tree of ids and <use>."""

    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.root: dict[str, str] | None = None
        self.root_line = 1
        self.found: dict[str, _Found] = {}  # message or key -> what was found, in the order found
        self.stack: list[tuple[str | None, str, int, bool]] = []  # (namespace, name, node, refused whole) of each open element
        self.removed = 0  # open elements refused whole
        self.nodes: list[_Node] = []
        self.ids: dict[str, int] = {}
        self.style_text: list[str] | None = None
        self.style_line = 1
        self.prefixes: dict[str | None, list[str]] = {}  # each prefix's namespaces, innermost last (None: the default)

    # --- SAX events ------------------------------------------------------------------------------------------

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX's API)
        self.locator = locator

    def startPrefixMapping(self, prefix: str | None, uri: str) -> None:  # noqa: N802 (SAX's API)
        self.prefixes.setdefault(prefix, []).append(uri)

    def endPrefixMapping(self, prefix: str | None) -> None:  # noqa: N802 (SAX's API)
        self.prefixes[prefix].pop()

    def xml_declaration(self, version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() not in ("utf-8", "utf8", "us-ascii", "ascii"):
            self.add(
                f"the picture says it is saved as {encoding} (in its <?xml ...?> line), but it must be UTF-8, as browsers "
                'would otherwise read it differently; export it again as UTF-8, and write encoding="UTF-8"'
            )

    def processingInstruction(self, target: str, data: str) -> None:  # noqa: N802 (SAX's API)
        if target.lower() == "xml-stylesheet":
            self.add("<?xml-stylesheet ...?> loads a stylesheet from another file; delete it (a picture's styles go in a <style> element)")
        else:
            self.add(f"<?{target} ...?> is an instruction to the program that reads the file, not drawing; delete it")

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl) -> None:  # noqa: N802 (SAX's API)
        namespace, local = name
        line = self.line()
        if len(self.stack) >= MAX_DEPTH:
            self.add(f"elements are nested more than {MAX_DEPTH} deep; ungroup some of them (in Inkscape: Object > Ungroup)")
            raise _StopReadingError
        if not self.stack and not self.root_element(namespace, local, attrs, line):
            raise _StopReadingError
        if self.removed:  # inside an element that must go, with all it holds: it has been reported
            self.stack.append((namespace, local, -1, False))
            return
        node = len(self.nodes)
        self.nodes.append(_Node(line))
        if self.stack:
            self.nodes[self.stack[-1][2]].children.append(node)
        shown = self.element_name(namespace, local)
        refusal = self.judge_element(namespace, local, shown)
        removed = refusal is not None and local != "a"  # what an <a> holds stays when its tags go
        self.stack.append((namespace, local, node, removed))
        if removed:
            self.removed += 1
            return
        for (attr_namespace, attr_local), value in attrs.items():
            self.judge_attribute(shown, attr_namespace, attr_local, attrs.getQNameByName((attr_namespace, attr_local)), value, node)
        if namespace == SVG and local == "style":
            self.style_text, self.style_line = [], line

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802 (SAX's API)
        if self.stack.pop()[3]:
            self.removed -= 1
        if name == (SVG, "style") and self.style_text is not None:
            self.judge_css("".join(self.style_text), "the <style> element", self.style_line, stylesheet=True)
            self.style_text = None

    def characters(self, content: str) -> None:
        if self.style_text is not None:
            if not self.style_text:
                self.style_line = self.line()
            self.style_text.append(content)

    # --- judging ---------------------------------------------------------------------------------------------

    def root_element(self, namespace: str | None, local: str, attrs: AttributesNSImpl, line: int) -> bool:
        """Keep the root's attributes; whether it is an SVG <svg> (if not, nothing else is worth saying)."""
        self.root_line = line
        self.root = {attr_local: value for (attr_namespace, attr_local), value in attrs.items() if attr_namespace is None}
        if local != "svg":
            self.add(f"this file is not an SVG picture: it starts with <{local}>, not <svg>")
            return False
        if namespace != SVG:
            self.add(
                f'<svg> has no xmlns="{SVG}", so browsers show the file as text, not as a picture; add that attribute to <svg>'
                if namespace is None
                else f"<svg> is in the namespace {namespace}, not {SVG}; export the picture again as plain SVG"
            )
            return False
        return True

    def judge_element(self, namespace: str | None, local: str, shown: str) -> str | None:
        """The finding about an element itself, or None when it may be in a picture."""
        if namespace == XHTML:
            message = f"{shown} is a web-page element, not drawing; remove it"
        elif namespace != SVG:
            message = self.foreign(f"the element {shown}", namespace)
            self.add(message, key=f"element {namespace}")
            return message
        elif local in REFUSED_ELEMENTS:
            message = f"{shown} {REFUSED_ELEMENTS[local]}"
        elif local not in ELEMENTS:
            message = f"{shown} is not an element that draws; remove it: {ALLOWED_SUMMARY}"
        else:
            return None
        self.add(message)
        return message

    @staticmethod
    def foreign(thing: str, namespace: str | None) -> str:
        return (
            f"{thing} is not SVG (its namespace is {namespace}); if an editing program left it there, export the picture "
            "again as plain SVG (in Inkscape: File > Save As > Plain SVG); otherwise remove it"
        )

    def judge_attribute(self, element: str, namespace: str | None, local: str, qname: str, value: str, node: int) -> None:
        where = f"the attribute {qname} on {element}"
        if namespace is None and local.lower().startswith("on"):
            self.add(f"{where} runs code when the picture is opened, clicked or loaded; remove it")
        elif (namespace is None or namespace == XLINK) and local == "href":
            self.judge_reference(where, value, node)
        elif namespace is None and local in PRESENTATION:
            self.judge_css(value, where, self.line(), stylesheet=False)
        elif namespace is None and (local in PLAIN or local.startswith(("aria-", "data-"))):
            if local == "id":
                self.ids.setdefault(value.strip(), node)
        elif namespace == XML and local in XML_ATTRIBUTES:
            pass
        elif namespace is None:
            self.add(f"{where} is not an attribute that draws; remove it")
        else:
            self.add(self.foreign(where, namespace), key=f"attribute {namespace}")

    def judge_reference(self, where: str, value: str, node: int) -> None:
        target = value.strip(" \t\r\n")
        if not LOCAL_REFERENCE.fullmatch(target):
            self.add(
                f"{where} points to {quoted_short(value)}; a picture may point only to an element in the same file, "
                "written '#id': copy what it needs into the file, or remove the attribute"
            )
        elif self.stack and self.stack[-1][:2] == (SVG, "use"):
            self.nodes[node].uses = target[1:]

    def judge_css(self, css: str, where: str, line: int, stylesheet: bool) -> None:
        """Every url(), function and at-rule in css, after tinycss2 has decoded its escapes."""
        if len(css) > MAX_CSS_CHARACTERS:  # a picture needs far less; the parser's memory grows with nested blocks
            self.add(
                f"{where} holds {len(css):,} characters of CSS, more than a picture needs; export the picture again as plain SVG", line
            )
            return
        if stylesheet:
            pending = [(rule, False) for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)]
        else:
            pending = [(token, False) for token in tinycss2.parse_component_value_list(css, skip_comments=True)]
        while pending:  # a loop, not recursion: blocks may be nested thousands deep
            token, in_selector = pending.pop()
            at = line + (token.source_line - 1 if stylesheet else 0)
            kind = token.type
            if kind == "url":
                self.judge_url(token.value, where, at)
            elif kind == "function":
                name = token.lower_name
                if name == "url":
                    arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                    self.judge_url(arguments[0].value if len(arguments) == 1 and arguments[0].type == "string" else None, where, at)
                elif in_selector:
                    pending += [(t, True) for t in token.arguments]  # :not(), :nth-child() and the like select, never load
                elif name in LOADING_FUNCTIONS:
                    self.add(f"{where} uses {name}(), which loads pictures or files; remove it", at)
                elif name not in CSS_FUNCTIONS:
                    self.add(
                        f"{where} uses {name}(), which a picture's style may not use; remove it: use colours, lengths and url(#id)", at
                    )
                else:
                    pending += [(t, False) for t in token.arguments]
            elif kind in ("() block", "[] block", "{} block"):
                pending += [(t, in_selector) for t in token.content]
            elif kind == "qualified-rule":
                pending += [(t, True) for t in token.prelude] + [(t, False) for t in token.content]
            elif kind == "at-rule":
                self.judge_at_rule(token, where, at, pending)
            elif kind == "at-keyword":
                self.add(f"{where} holds @{token.lower_value}, which is not allowed there; remove it", at)
            elif kind == "error":
                self.add(f"{where} holds CSS that cannot be read ({token.message}); correct it or remove it", at)

    def judge_at_rule(self, rule: tinycss2.ast.AtRule, where: str, line: int, pending: list[tuple[Any, bool]]) -> None:
        name = rule.lower_at_keyword
        if name == "media":
            rules = tinycss2.parse_rule_list(rule.content or [], skip_comments=True, skip_whitespace=True)
            pending += [(t, True) for t in rule.prelude] + [(r, False) for r in rules]
        else:
            self.add(f"@{name} in {where} {AT_RULES.get(name, 'is not allowed in a picture; only style rules and @media are')}", line)

    def judge_url(self, target: str | None, where: str, line: int) -> None:
        if target is None or not LOCAL_REFERENCE.fullmatch(target.strip()):
            shown = "an address that cannot be read" if target is None else quoted_short(target)
            self.add(
                f"{where} loads {shown} with url(); a picture may point only inside itself: use a colour, or url(#id) of a "
                "gradient, pattern, clip path, mask, marker or filter in the same file",
                line,
            )

    def check_uses(self) -> None:
        """<use> may not point back to itself, nor make the picture draw more than MAX_DRAWN elements."""
        if not any(node.uses is not None for node in self.nodes):
            return
        cap = len(self.nodes) + MAX_DRAWN + 1  # keeps the numbers small however many times <use> multiplies
        drawn: dict[int, int] = {}
        open_nodes: set[int] = set()
        for start in range(len(self.nodes)):
            if start in drawn:
                continue
            pending = [(start, False)]
            while pending:  # depth-first, children and the element a <use> repeats before the node itself
                index, done = pending.pop()
                node = self.nodes[index]
                target = self.ids.get(node.uses) if node.uses is not None else None
                if done:
                    open_nodes.discard(index)
                    total = 1 + sum(drawn[i] for i in node.children) + (drawn.get(target, 0) if target is not None else 0)
                    drawn[index] = min(total, cap)
                    continue
                if index in drawn:
                    continue
                open_nodes.add(index)
                pending.append((index, True))
                for following in [*node.children, *([target] if target is not None else [])]:
                    if following in open_nodes:
                        self.add("<use> points back to itself, directly or through other elements; remove the loop", node.line)
                        drawn[following] = 1  # counted once; the loop is reported
                    elif following not in drawn:
                        pending.append((following, False))
        if drawn.get(0, 0) - len(self.nodes) > MAX_DRAWN:  # what <use> adds to the elements written in the file
            self.add(
                f"<use> elements make the picture draw more than {MAX_DRAWN:,} extra elements; draw repeated parts fewer times",
                self.root_line,
            )

    # --- findings --------------------------------------------------------------------------------------------

    def line(self) -> int:
        line = self.locator.getLineNumber() if self.locator is not None else None
        return line if line is not None else 1

    def element_name(self, namespace: str | None, local: str) -> str:
        """<local>, or <prefix:local> when the element's namespace is not the default one (only for messages)."""
        if namespace is None or self.bound(None) == namespace:
            return f"<{local}>"
        prefix = next((p for p, uris in self.prefixes.items() if p and uris and uris[-1] == namespace), None)
        return f"<{prefix}:{local}>" if prefix else f"<{local}>"

    def bound(self, prefix: str | None) -> str | None:
        uris = self.prefixes.get(prefix)
        return uris[-1] if uris else None

    def add(self, message: str, line: int | None = None, key: str | None = None) -> None:
        """Report message once, at its first line; key, when given, groups messages that differ only in their example."""
        seen = self.found.get(key or message)
        if seen is not None:
            seen.count += 1
        elif len(self.found) < MAX_FINDINGS:
            self.found[key or message] = _Found(message, line if line is not None else self.line())

    def findings(self) -> tuple[Finding, ...]:
        found = []
        for each in self.found.values():
            more = f" ({each.count - 1} more like it in this file)" if each.count > 1 else ""
            found.append(Finding(each.line, each.message + more))
        return tuple(sorted(found, key=lambda f: f.line))

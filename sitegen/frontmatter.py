"""Split a content file into YAML front matter and a Markdown body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, display_path, error

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class LineMap:
    """Line numbers, in the content file, of every key and list item in the front matter."""

    lines: dict[KeyPath, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, *key_path: str | int) -> int:
        """The line of the deepest known part of key_path."""
        path: KeyPath = tuple(key_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


@dataclass(frozen=True)
class ParsedFile:
    data: dict[str, Any]
    lines: LineMap
    body: str
    body_first_line: int


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file; report an empty or undecodable file as a problem."""
    shown = display_path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        return None, [error(shown, 1, "file is empty")]
    return text, []


def parse_yaml(text: str, shown: str, first_line: int) -> tuple[Any, LineMap, list[Problem]]:
    """Parse YAML safely. first_line is the file line on which the YAML text starts."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or str(exc)
        return None, LineMap(first_line=first_line), [error(shown, line, f"invalid YAML: {reason}")]
    lines: dict[KeyPath, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _collect_lines(node, (), first_line, lines, problems, shown)
    return data, LineMap(lines, first_line), problems


def _collect_lines(node: yaml.Node, prefix: KeyPath, offset: int, lines: dict[KeyPath, int], problems: list[Problem], shown: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = offset + key_node.start_mark.line
            if key in seen:
                problems.append(error(shown, line, f"'{key}' is given twice"))
            seen.add(key)
            lines[prefix + (key,)] = line
            _collect_lines(value_node, prefix + (key,), offset, lines, problems, shown)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[prefix + (index,)] = offset + item.start_mark.line
            _collect_lines(item, prefix + (index,), offset, lines, problems, shown)


def split_front_matter(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    """Read a content file: '---', YAML mapping, '---', then Markdown."""
    shown = display_path(path)
    text, problems = read_text(path)
    if text is None:
        return None, problems
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, [error(shown, 1, "the file must start with a '---' line, then the front matter")]
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        return None, [error(shown, 1, "the front matter has no closing '---' line")]
    data, line_map, problems = parse_yaml("\n".join(lines[1:closing]), shown, first_line=2)
    if problems and data is None:
        return None, problems
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_yaml_kind(data)}"
        return None, [error(shown, 2, f"the front matter must be a mapping of 'key: value' lines, not {kind}")]
    body = "\n".join(lines[closing + 1 :])
    return ParsedFile(data, line_map, body, closing + 2), problems


def _yaml_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "plain text"
    return type(value).__name__

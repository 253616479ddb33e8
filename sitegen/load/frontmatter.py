"""Split a content file into YAML front matter and a Markdown body, keeping the line of every key.

YAML is read with PyYAML's safe loader (the C one when present). Aliases are refused (a few lines of them can
expand to gigabytes), nesting is limited, and values that YAML accepts but nothing else can use (a date such as
2026-02-30, an integer of thousands of digits) become InvalidValue, which the schema reports at its line.
Common mistakes get a plain hint: a colon or ' #' in an unquoted value, a tab, a missing closing '---'.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from ..problems import Problem, error, warning

KeyPath = tuple[Any, ...]  # mapping keys as the data holds them (usually text) and list positions
MAX_YAML_DEPTH = 12
MAX_YAML_VALUES = 20_000  # keys, values, lists and mappings: building each takes time (500 sources are about 13,000)
COMMENT_AFTER = re.compile(r"\s+#")
TEXT_TAG = "tag:yaml.org,2002:str"
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InvalidValue(str):
    """A YAML value that cannot be used: the text as written, and what it was meant to be."""

    kind: str = "value"
    reason: str = ""


def _invalid(text: str, kind: str, reason: str) -> InvalidValue:
    value = InvalidValue(text)
    value.kind, value.reason = kind, reason
    return value


class _Loader(_BASE_LOADER):  # type: ignore[misc]  # libyaml's loader, or PyYAML's own without it: chosen at import
    """The safe loader, with dates and integers that never raise while being built."""


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        return _invalid(str(node.value), "date", str(exc))


def _integer(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        return _invalid(str(node.value), "whole number", "too many digits")


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _integer)


@dataclass(frozen=True)
class LineMap:
    """Line numbers, in the content file, of every key and list item in the front matter."""

    lines: dict[KeyPath, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, *key_path: Any) -> int:
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


INVISIBLE = {
    "\u00a0": "a non-breaking space",
    "\u202f": "a narrow non-breaking space",
    "\u2007": "a figure space",
    "\u2002": "an en space",
    "\u2003": "an em space",
    "\u2009": "a thin space",
    "\u3000": "a wide (ideographic) space",
    "\u200b": "an invisible zero-width space",
    "\u200c": "an invisible zero-width non-joiner",
    "\u200d": "an invisible zero-width joiner",
    "\u2060": "an invisible word joiner",
    "\ufeff": "an invisible byte-order mark",
    "\u00ad": "an invisible soft hyphen",
    "\u200e": "an invisible left-to-right mark",
    "\u200f": "an invisible right-to-left mark",
}
SPACES = {"\u00a0", "\u202f", "\u2007", "\u2002", "\u2003", "\u2009", "\u3000"}  # they look like a space
INVISIBLE_CHARACTER = re.compile("[" + "".join(INVISIBLE) + "]")
KEY_THEN_INVISIBLE = re.compile(r"[^\s:]+:[" + "".join(INVISIBLE) + "]")
INDENTED_KEY = re.compile(r"^([ \t]+)([^\s#:\-\[{][^:]*?)[ \t]*:(?:[ \t]|$)")
KEY_COLUMN = re.compile(r"^([ \t]*(?:-[ \t]+)?)([^\s#:][^:]*?)[ \t]*:(?:[ \t]|$)")


def invisible_message(line: str, position: int, deleted: bool) -> str:
    """What the invisible character at position in line is, where it is, and what to do: it looks like a space, or
    like nothing at all, so the editor cannot see why the line is wrong."""
    character = line[position]
    before = line[:position].strip()
    where = f"after '{before[-30:]}'" if before else "at the start of the line"
    if character in SPACES and not deleted:
        fix = "type the space again"
    elif before:
        fix = "delete it (it cannot be seen: delete the characters on each side of it, and type them again)"
    else:
        fix = "delete it (press Delete at the start of the line until the first letter goes, then type that letter again)"
    return f"{INVISIBLE[character]} {where}: {fix}"


def _first_error_line(text: str) -> int | None:
    """The line (0-based) of the first YAML error in text, or None when it parses."""
    loader = _Loader(text)
    try:
        loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        return mark.line if mark else 0
    finally:
        loader.dispose()
    return None


def _fixes(lines: list[str], index: int, line: int, fixed: str) -> bool:
    """Whether putting fixed in place of lines[line] lets YAML read past line index: advice that fails this test would
    give the same message again when followed."""
    trial = [*lines[:line], fixed, *lines[line + 1 :]]
    found = _first_error_line("\n".join(trial))
    return found is None or found > index


def _indentation_message(lines: list[str], last: int, candidates: range, where: str) -> tuple[int, str] | None:
    """A key line indented where YAML does not expect it: at the top level, or out of line with the key above it."""
    for line in candidates:
        match = INDENTED_KEY.match(lines[line])
        if not match:
            continue
        above = next((lines[i] for i in range(line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
        if above is None or (not above[:1].isspace() and not above.rstrip().endswith(":")):  # the line belongs at the top level
            if _fixes(lines, last, line, lines[line].lstrip(" \t")):
                return line, f"this line is indented; keys in {where} start at the beginning of the line"
            continue
        above_key = KEY_COLUMN.match(above)
        if above_key is None or above.rstrip().endswith(":"):  # 'key:' opens a block, whose keys are indented
            continue
        column = len(above_key.group(1).expandtabs(1))
        if _fixes(lines, last, line, " " * column + lines[line].lstrip(" \t")):
            key, above_name = match.group(2), above_key.group(2)
            return line, f"this line is not in line with the one above it: start '{key}' in the same column as '{above_name}'"
    return None


def _invisible(lines: list[str], last: int, candidates: range) -> tuple[int, str] | None:
    """An invisible character on a line before the error, when typing it again (or deleting it) lets YAML read on."""
    for line in candidates:
        found = INVISIBLE_CHARACTER.search(lines[line])
        if not found:
            continue
        text, start, end = lines[line], found.start(), found.end()
        if found.group() in SPACES and _fixes(lines, last, line, text[:start] + " " + text[end:]):
            return line, invisible_message(text, start, deleted=False)
        if _fixes(lines, last, line, text[:start] + text[end:]):
            return line, invisible_message(text, start, deleted=True)
    return None


def yaml_message(
    reason: str, lines: list[str], index: int, last: int, where: str = "the front matter", closing_line: int | None = None
) -> tuple[int, str]:
    """The line (0-based) and the message for a YAML error that YAML found between lines[index] and lines[last]: a
    plain explanation of a common mistake, each checked by trying its fix, or else YAML's own reason. closing_line is
    the line of the '---' taken as the end of front matter, which may be the wrong one."""
    text_line = lines[index] if index < len(lines) else ""
    if "\t" in text_line or "tab" in reason.lower() or "'\\t'" in reason:
        return index, "this line has a tab character; use spaces, not tabs, at the start of lines"
    last = min(max(index, last), len(lines) - 1)
    candidates = range(last, max(min(index, last) - 3, -1), -1)
    found = _invisible(lines, last, candidates) or _indentation_message(lines, last, candidates, where)
    if found:
        return found
    if closing_line is not None and "" in (line.strip() for line in lines[:index]):
        return index, (
            f"this line was read as front matter: is the closing '---' of the front matter missing? The '---' on line "
            f"{closing_line} was read as its end. Add a '---' line where the front matter ends"
        )
    if "mapping values are not allowed" in reason:
        key, _, value = text_line.partition(":")
        if not (key.strip() and value.strip()):
            return index, 'a text that has a colon in it must be in quotes, for example title: "Side effects: what to expect"'
        indent = text_line[: len(text_line) - len(text_line.lstrip())]
        escaped = value.strip().replace("\\", "\\\\").replace('"', '\\"')
        fixed = f'{key.strip()}: "{escaped}"'
        if _fixes(lines, last, index, indent + fixed):
            return index, f"the text of '{key.strip()}' has a colon in it, so put the whole text in quotes: {fixed}"
    if "could not find expected ':'" in reason:
        return index, "invalid YAML: each line must be 'key: value'; put a value that runs over several lines in quotes"
    return index, f"invalid YAML: {reason}"


def parse_yaml(
    text: str, shown: str, first_line: int, where: str = "the front matter", closing_line: int | None = None
) -> tuple[Any, LineMap, list[Problem]]:
    """Parse YAML safely. first_line is the file line on which the YAML text starts; where names the YAML in messages;
    closing_line is the line of the '---' after front matter."""
    source_lines = text.split("\n")
    try:
        problems = _check_events(text, shown, first_line)
        if problems:
            return None, LineMap(first_line=first_line), problems
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
            lines: dict[KeyPath, int] = {}
            problems = []
            if node is not None:
                _collect_lines(node, first_line, lines, problems, shown, source_lines, lambda key: _key_of(loader, key))
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        context_mark = getattr(exc, "context_mark", None)
        mark = context_mark if context_mark is not None and "expected" in reason else getattr(exc, "problem_mark", None) or context_mark
        problem_mark = getattr(exc, "problem_mark", None)
        index = mark.line if mark else 0
        last = problem_mark.line if problem_mark else index
        index, message = yaml_message(reason, source_lines, index, last, where, closing_line)
        return None, LineMap(first_line=first_line), [error(shown, first_line + index, message)]
    return data, LineMap(lines, first_line), problems


def _key_of(loader: Any, node: yaml.Node) -> Any:
    """The key as the data holds it (1 for '1: x', True for 'yes: x'), so that its line is found; its text if unhashable."""
    key = loader.construct_object(node, deep=True)
    try:
        hash(key)
    except TypeError:
        return str(node.value)
    return key


def _check_events(text: str, shown: str, first_line: int) -> list[Problem]:
    """Refuse aliases, deep nesting and too many values before anything is built from the YAML."""
    depth = values = 0
    for event in yaml.parse(text, Loader=_Loader):
        values += isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent))
        if values > MAX_YAML_VALUES:
            line = _line_of(event, first_line)
            return [error(shown, line, f"the YAML holds more than {MAX_YAML_VALUES:,} values by this line; it may hold no more")]
        if isinstance(event, yaml.AliasEvent):
            line = _line_of(event, first_line)
            return [error(shown, line, f"YAML aliases ('*{event.anchor}') are not allowed here; write the value out in full")]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return [error(shown, _line_of(event, first_line), f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return []


def _line_of(event: yaml.Event, first_line: int) -> int:
    return first_line + (event.start_mark.line if event.start_mark is not None else 0)  # the parser marks every event


def _collect_lines(
    root: yaml.Node,
    offset: int,
    lines: dict[KeyPath, int],
    problems: list[Problem],
    shown: str,
    source: list[str],
    key_of: Callable[[yaml.Node], Any],
) -> None:
    """Record the line of every key and item; report duplicate keys and values cut short by ' #'. No recursion."""
    waiting: list[tuple[yaml.Node, KeyPath]] = [(root, ())]
    while waiting:
        node, prefix = waiting.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_of(key_node)
                line = offset + key_node.start_mark.line
                if key in seen:
                    problems.append(error(shown, line, f"'{key}' is given twice"))
                seen.add(key)
                lines[prefix + (key,)] = line
                waiting.append((value_node, prefix + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[prefix + (index,)] = offset + item.start_mark.line
                waiting.append((item, prefix + (index,)))
        elif isinstance(node, yaml.ScalarNode) and not node.style and prefix:  # plain: None from PyYAML, '' from its C loader
            if node.tag == TEXT_TAG:  # a date or a number cannot hold ' #': what follows is a comment
                _check_comment_cut(node, prefix[-1], offset, problems, shown, source)
                _check_hidden_key(node, offset, problems, shown, source)


def _check_hidden_key(node: yaml.ScalarNode, offset: int, problems: list[Problem], shown: str, source: list[str]) -> None:
    """'key:' and an invisible space where a space should be: YAML reads the line as more of the value above it."""
    if not KEY_THEN_INVISIBLE.search(node.value):
        return
    for line in range(node.start_mark.line, min(node.end_mark.line, len(source) - 1) + 1):
        found = KEY_THEN_INVISIBLE.search(source[line])
        if found:
            problems.append(error(shown, offset + line, invisible_message(source[line], found.end() - 1, deleted=False)))
            return


def invisible_in_key(key: str) -> str | None:
    """The message for a key that holds an invisible character (a field name copied from a word processor), or None."""
    found = INVISIBLE_CHARACTER.search(key)
    if found is None:
        return None
    name = INVISIBLE_CHARACTER.sub("", key).strip()
    place = "before" if not key[: found.start()].strip() else "after" if not key[found.end() :].strip() else "in"
    return f"{INVISIBLE[found.group()]} {place} the field name '{name}': delete the name, and the spaces before it, and type it again"


def _check_comment_cut(node: yaml.ScalarNode, key: str | int, offset: int, problems: list[Problem], shown: str, source: list[str]) -> None:
    start, end = node.start_mark, node.end_mark
    if end.line >= len(source) or not COMMENT_AFTER.match(source[end.line], end.column):  # no copy of the line: it may be long
        return
    name = f"'{key}'" if isinstance(key, str) else "this value"
    whole = source[end.line][start.column :].strip().replace("\\", "\\\\").replace('"', '\\"') if start.line == end.line else ""
    fix = f': {key}: "{whole}"' if whole and isinstance(key, str) else " to keep it"
    problems.append(
        warning(
            shown,
            offset + end.line,
            f"{name} was cut short at ' #': the rest of the line was left out, because ' #' starts a comment; "
            f"put the whole text in quotes{fix}",
        )
    )


LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Fences:
    """Where a content file's front matter lies in its text, as offsets; any line endings (\\n, \\r\\n or \\r)."""

    yaml_start: int  # after the opening '---' line and its line break
    yaml_end: int  # where the closing '---' line starts
    body_start: int  # after the closing line and its line break
    closing_line: int  # the closing line's number in the file (from 1)
    newline: str  # the opening line's line break, for text written into the front matter


def find_fences(text: str) -> tuple[Fences | None, str]:
    """The one front-matter splitter, used by the build and by `build.py review`: an opening '---' line (after a
    byte-order mark, if any), then the first line that is '---' or '...' (spaces after them, even non-breaking
    ones, are allowed). Returns the fences, or None and the reason."""
    start = 1 if text.startswith("\ufeff") else 0
    position, number, opening = start, 0, True
    newline = "\n"
    while position <= len(text):
        found = LINE_BREAK.search(text, position)
        end, after = (found.start(), found.end()) if found else (len(text), len(text) + 1)
        number += 1
        line = text[position:end]
        if opening:
            if line.strip() != "---":
                return None, "the file must start with a '---' line, then the front matter"
            yaml_start, opening = min(after, len(text)), False
            newline = found.group() if found else "\n"
        elif line.rstrip() in ("---", "..."):
            return Fences(yaml_start, position, min(after, len(text)), number, newline), ""
        position = after
    return None, "the front matter has no closing '---' line"


def split_front_matter(text: str, shown: str) -> tuple[ParsedFile | None, list[Problem]]:
    """A content file's parts: '---', a YAML mapping, '---', then Markdown. text has '\\n' line endings (read_text)."""
    fences, reason = find_fences(text)
    if fences is None:
        return None, [error(shown, 1, reason)]
    front = text[fences.yaml_start : fences.yaml_end]
    front = front[:-1] if front.endswith("\n") else front
    data, line_map, problems = parse_yaml(front, shown, first_line=2, closing_line=fences.closing_line)
    if data is None and problems:
        return None, problems
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"not {describe_kind(data)}"
        return None, [*problems, error(shown, 2, f"the front matter must be a mapping of 'key: value' lines; it is {kind}")]
    return ParsedFile(data, line_map, text[fences.body_start :], fences.closing_line + 1), problems


def describe_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "plain text"
    return f"a {type(value).__name__}"

"""Friendlier command line: the top-level help lists every command's options, and a mistyped option gets "did you mean"."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ..load.schema import suggest


class HelpfulParser(argparse.ArgumentParser):
    """The top-level parser: its help also lists the options of every command, before the epilog."""

    def format_help(self) -> str:
        epilog, self.epilog = self.epilog, None
        try:
            text = super().format_help()
        finally:
            self.epilog = epilog
        return text + command_options_help(self)


def command_options_help(parser: argparse.ArgumentParser) -> str:
    """Each command's options, grouped by the commands that share them, as argparse would format them; then the epilog."""
    commands = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if commands is None:
        return ""
    users: dict[int, tuple[argparse.Action, list[str]]] = {}
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                users.setdefault(id(action), (action, []))[1].append(name)
    groups: dict[tuple[str, ...], list[argparse.Action]] = {}
    for action, names in users.values():
        groups.setdefault(tuple(names), []).append(action)
    formatter = parser._get_formatter()
    for shared_by, actions in groups.items():
        formatter.start_section(_listing(shared_by))
        formatter.add_arguments(actions)
        formatter.end_section()
    formatter.add_text(parser.epilog)
    return "\n" + formatter.format_help()


def _listing(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    words = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return f"options of {words}"


def unknown_arguments(parser: argparse.ArgumentParser, command: str, unknown: list[str]) -> str:
    """'unrecognized arguments', with a "did you mean" for a mistyped option."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    options = [o for action in sub._actions for o in action.option_strings]
    first = next((u for u in unknown if u.startswith("--")), None)
    hint = suggest(first.split("=", 1)[0], options) if first else ""
    return f"unrecognized arguments: {' '.join(unknown)}{hint} ('build.py {command} --help' lists the options)"

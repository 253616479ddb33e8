"""Typed conversion of the build cache's values to and from plain data: JSON's lists, objects, strings, numbers,
true, false and null.

Nothing in the data chooses what is built. A value is read as the type its field is declared with, and only as
that: a missing or extra field, a value of another type or a string that is not a date is refused with
PlainDataError. So a cache file can hold text and numbers, never an object that runs code when it is read.

What converts: dataclasses (by their declared fields), str and its subclasses (such as Markup), int, float, bool,
None, datetime.date, Decimal (as its digits, such as "38.6": recorded figures keep their exact value), Path and
PurePosixPath, tuple, frozenset, dict and Mapping, Literal, unions (X | None as X
or null; others tagged with the member's position), and Any as a single str, int, float, bool or None. Any other
type converts only as None (an optional field left empty): an object the cache cannot hold is never stored.
A field declared with metadata=NOT_KEPT is left out, and read back as its default.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import functools
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

T = TypeVar("T")
Convert = Callable[[Any], Any]
NOT_KEPT = {"plain_data": "not kept"}  # dataclasses.field(metadata=NOT_KEPT): never written, its default when read


class PlainDataError(ValueError):
    """The value (or the data) does not have the shape of its declared type."""


def to_plain(value: object, kind: Any) -> object:
    """value, declared as kind, as plain data that json.dumps writes; PlainDataError if it cannot be."""
    return _converters(kind)[0](value)


def from_plain(data: object, kind: type[T]) -> T:
    """The kind that data (from to_plain, read back by json.loads) describes; PlainDataError if it describes none."""
    return typing.cast(T, _converters(kind)[1](data))  # type: ignore[arg-type]  # a class is hashable (python/mypy#11470)


@functools.cache
def _converters(kind: Any) -> tuple[Convert, Convert]:
    """(to plain data, from plain data) for a declared type."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return _scalar(), _scalar()
    if kind is None or kind is type(None):
        return _exact(type(None)), _exact(type(None))
    if origin is typing.Literal:
        return _literal(typing.get_args(kind)), _literal(typing.get_args(kind))
    if origin in (typing.Union, types.UnionType):
        return _union(typing.get_args(kind))
    if origin is tuple:
        return _tuple(typing.get_args(kind))
    if origin is frozenset:
        return _collection(frozenset, typing.get_args(kind)[0])
    if origin in (dict, collections.abc.Mapping):
        return _mapping(*typing.get_args(kind))
    if isinstance(kind, type):
        if dataclasses.is_dataclass(kind):
            return _dataclass(kind)
        if kind in (bool, int, float):
            return _exact(kind), _exact(kind)
        if issubclass(kind, str):
            return _text(kind)
        if kind is datetime.date:
            return _date()
        if kind is Decimal:
            return _decimal()
        if kind in (Path, PurePosixPath):
            return _path(kind)
    return _refused(kind), _refused(kind)


def _fail(what: str) -> typing.NoReturn:
    raise PlainDataError(what)


def _refused(kind: Any) -> Convert:
    def refuse(_value: object) -> object:
        _fail(f"{kind!r} cannot be kept as plain data")

    return refuse


def _exact(kind: type) -> Convert:
    def same(value: object) -> object:
        if type(value) is not kind:  # an exact type: True is not a number here, and 1 is not a float
            _fail(f"expected {kind.__name__}, found {type(value).__name__}")
        return value

    return same


def _scalar() -> Convert:
    scalars = (str, int, float, bool, type(None))

    def scalar(value: object) -> object:
        if type(value) not in scalars:
            _fail(f"expected a str, number, bool or None, found {type(value).__name__}")
        return value

    return scalar


def _literal(allowed: tuple[object, ...]) -> Convert:
    def literal(value: object) -> object:
        if not any(type(value) is type(a) and value == a for a in allowed):
            _fail(f"expected one of {allowed!r}")
        return value

    return literal


def _text(kind: type[str]) -> tuple[Convert, Convert]:
    def to(value: object) -> object:
        if type(value) is not kind:  # a subclass (such as frontmatter's InvalidValue) carries more than its text
            _fail(f"expected {kind.__name__}, found {type(value).__name__}")
        return str(value)

    def back(data: object) -> object:
        if type(data) is not str:
            _fail(f"expected text, found {type(data).__name__}")
        return data if kind is str else kind(data)

    return to, back


DECIMAL = re.compile(r"-?\d{1,30}(?:\.\d{1,30})?")


def _decimal() -> tuple[Convert, Convert]:
    def to(value: object) -> object:
        if type(value) is not Decimal or not value.is_finite():
            _fail(f"expected a finite Decimal, found {value!r}")
        text = format(value, "f")
        if not DECIMAL.fullmatch(text):
            _fail(f"{text!r} has too many digits to keep")
        return text

    def back(data: object) -> object:
        if type(data) is not str or not DECIMAL.fullmatch(data):
            _fail(f"expected a decimal number written in digits, found {data!r}")
        return Decimal(data)

    return to, back


def _date() -> tuple[Convert, Convert]:
    def to(value: object) -> object:
        if type(value) is not datetime.date:
            _fail(f"expected a date, found {type(value).__name__}")
        return value.isoformat()

    def back(data: object) -> object:
        if type(data) is not str:
            _fail(f"expected a date, found {type(data).__name__}")
        try:
            return datetime.date.fromisoformat(data)
        except ValueError:
            _fail(f"{data!r} is not a date")

    return to, back


def _path(kind: type[PurePosixPath] | type[Path]) -> tuple[Convert, Convert]:
    def to(value: object) -> object:
        if not isinstance(value, kind) or (kind is PurePosixPath and type(value) is not PurePosixPath):
            _fail(f"expected a {kind.__name__}, found {type(value).__name__}")
        return str(value)

    def back(data: object) -> object:
        if type(data) is not str or not data:
            _fail("expected a path")
        return kind(data)

    return to, back


def _union(members: tuple[Any, ...]) -> tuple[Convert, Convert]:
    others = tuple(m for m in members if m is not type(None))
    optional = len(others) < len(members)
    if optional and len(others) == 1:  # X | None: null or X's plain data (which is never null: X is not None or Any)
        to_one, back_one = _converters(others[0])
        return (lambda v: None if v is None else to_one(v)), (lambda d: None if d is None else back_one(d))
    pairs = [_converters(m) for m in members]

    def to(value: object) -> object:
        for index, (to_member, _) in enumerate(pairs):
            try:
                return [index, to_member(value)]
            except PlainDataError:
                continue
        _fail(f"{type(value).__name__} is none of {members!r}")

    def back(data: object) -> object:
        if type(data) is not list or len(data) != 2 or type(data[0]) is not int or not 0 <= data[0] < len(pairs):
            _fail("expected [member, value]")
        return pairs[data[0]][1](data[1])

    return to, back


def _tuple(args: tuple[Any, ...]) -> tuple[Convert, Convert]:
    if len(args) == 2 and args[1] is Ellipsis:
        return _collection(tuple, args[0])
    pairs = [_converters(a) for a in args]

    def to_fixed(value: object) -> object:
        if type(value) is not tuple or len(value) != len(pairs):
            _fail(f"expected a tuple of {len(pairs)}")
        return [to_item(v) for (to_item, _), v in zip(pairs, value, strict=True)]

    def back_fixed(data: object) -> object:
        if type(data) is not list or len(data) != len(pairs):
            _fail(f"expected a list of {len(pairs)}")
        return tuple([back_item(d) for (_, back_item), d in zip(pairs, data, strict=True)])

    return to_fixed, back_fixed


def _collection(kind: type[tuple[Any, ...]] | type[frozenset[Any]], item: Any) -> tuple[Convert, Convert]:
    """A tuple[X, ...] or a frozenset[X], as a list of X's plain data."""
    to_item, back_item = _converters(item)

    def to(value: object) -> object:
        if type(value) is not kind:
            _fail(f"expected a {kind.__name__}, found {type(value).__name__}")
        return [to_item(v) for v in value]

    def back(data: object) -> object:
        if type(data) is not list:
            _fail(f"expected a list, found {type(data).__name__}")
        return kind([back_item(d) for d in data])

    return to, back


def _mapping(key: Any, item: Any) -> tuple[Convert, Convert]:
    """As a list of [key, value] pairs: keys need not be text (a front matter line map is keyed by key paths)."""
    to_key, back_key = _converters(key)
    to_item, back_item = _converters(item)

    def to(value: object) -> object:
        if type(value) is not dict:
            _fail(f"expected a dict, found {type(value).__name__}")
        return [[to_key(k), to_item(v)] for k, v in value.items()]

    def back(data: object) -> object:
        if type(data) is not list or not all(type(pair) is list and len(pair) == 2 for pair in data):
            _fail("expected a list of [key, value]")
        return {back_key(k): back_item(v) for k, v in data}

    return to, back


def _dataclass(kind: type) -> tuple[Convert, Convert]:
    every = dataclasses.fields(kind)
    fields = [f for f in every if f.metadata.get("plain_data") != NOT_KEPT["plain_data"]]
    left_out = [f for f in every if f not in fields]
    if not all(f.init for f in fields) or any(f.default is dataclasses.MISSING for f in left_out):
        return _refused(kind), _refused(kind)
    try:
        hints = typing.get_type_hints(kind)
    except (NameError, TypeError):  # an annotation that names something this module cannot see
        return _refused(kind), _refused(kind)
    names = frozenset(f.name for f in fields)
    converters = [(f.name, *_converters(hints[f.name])) for f in fields]

    def to(value: object) -> object:
        if type(value) is not kind:
            _fail(f"expected a {kind.__name__}, found {type(value).__name__}")
        return {name: to_field(getattr(value, name)) for name, to_field, _ in converters}

    def back(data: object) -> object:
        if type(data) is not dict or data.keys() != names:
            _fail(f"expected the fields of a {kind.__name__}")
        return kind(**{name: back_field(data[name]) for name, _, back_field in converters})

    return to, back

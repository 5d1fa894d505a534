"""The document model as plain JSON data and back, field by field from the records' types.

`to_plain(doc)` gives lists, dicts, strings and numbers; `document_from_plain(data)` rebuilds
the same frozen records, tuples where the types say tuple. It follows the dataclasses' own
field types, so a field added to a record travels without a change here. Used for the parsed
document a sandboxed parse hands back (`guard`) and for `document.json` in a saved index.
Leaves out reading and writing files, and any check beyond the types (a damaged value raises
ValueError, TypeError or KeyError; the callers say which file it came from).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache

from .records import Document


def to_plain(value: object) -> object:
    """Dataclasses as dicts, tuples as lists, everything else as it is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def from_plain(kind: object, value: object) -> object:
    """`value` (plain JSON data) as an instance of the type `kind`."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise TypeError(f"expected an object for {kind.__name__}, got {type(value).__name__}")
        hints = _hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        unknown = set(value) - names
        if unknown:
            raise KeyError(f"{kind.__name__} has no field {sorted(unknown)[0]!r}")
        return kind(**{k: from_plain(hints[k], v) for k, v in value.items()})
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return from_plain(inner[0], value) if len(inner) == 1 else value
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in value)
        if len(args) != len(value):
            raise ValueError(f"expected {len(args)} items, got {len(value)}")
        return tuple(from_plain(a, v) for a, v in zip(args, value, strict=True))
    if origin is dict:
        return {k: from_plain(args[1], v) for k, v in value.items()}
    if kind in (int, str, bool, float) and not _fits(kind, value):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _fits(kind: type, value: object) -> bool:
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def document_from_plain(data: object, **given: object) -> Document:
    """The `Document` of `to_plain(doc)`; fields in `given` (already records, e.g. the
    sentences and footnotes an index keeps in their own files) are taken as they are."""
    if not isinstance(data, dict):
        raise TypeError(f"expected a document object, got {type(data).__name__}")
    hints = _hints(Document)
    fields = {k: from_plain(hints[k], v) if k in hints else v
              for k, v in data.items() if k not in given}
    unknown = set(fields) - set(hints)
    if unknown:
        raise KeyError(f"Document has no field {sorted(unknown)[0]!r}")
    return Document(**fields, **given)

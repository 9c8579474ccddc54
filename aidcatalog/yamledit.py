"""Change one value in a YAML file's text and nothing else: comments, key order, quoting and layout stay.

The staff's files carry their own notes (``# chờ UBND xã xác nhận``), folded paragraphs and
aligned comments; loading and dumping them again would lose all of that. Here the file is
*composed* (PyYAML's node tree, which knows where every value starts and ends), and only the
characters of the value that changes are replaced. A key that is not there yet is added on a line
of its own after the key the schema puts before it, indented like its neighbours; an optional
value that is emptied has its line removed. What cannot be done that way is refused
(:class:`CannotEdit`), never approximated.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

DELETE = object()
"""The value that removes a key."""


class CannotEdit(Exception):
    """The edit would need more than replacing, adding or removing one line's value."""


def render_scalar(value: Any, *, style: str | None = None, flow: bool = False) -> str:
    """A value as YAML, plain when it reads back as itself, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if style == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    plain_ok = (
        style in (None, "", "|", ">")
        and text == text.strip()
        and text
        and "\n" not in text
        and not re.search(r"(^[-?:,\[\]{}#&*!|>'\"%@`])|(: )|( #)|(:$)", text)
        and not (flow and re.search(r"[,\[\]{}]", text))
        and _reads_back(text) == text
    )
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> Any:
    try:
        return yaml.load(f"k: {text}\n", Loader=_Loader).get("k")
    except yaml.YAMLError:
        return None


def _find(node: yaml.Node, path: Sequence[Any]) -> tuple[yaml.Node | None, yaml.MappingNode | None, int]:
    """(the value node at ``path`` or None, the mapping that holds or would hold its key, depth reached)."""
    parent: yaml.MappingNode | None = None
    for depth, part in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            parent = node
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    node = value
                    break
            else:
                return None, parent, depth
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            parent = None
            node = node.value[part]
        else:
            raise CannotEdit(f"no place for {'.'.join(map(str, path[: depth + 1]))}")
    return node, parent, len(path)


def set_value(text: str, path: Sequence[Any], value: Any, *,
              before: Callable[[tuple[Any, ...]], Sequence[str]] | None = None) -> str:
    """``text`` with the value at ``path`` replaced by ``value`` (or removed with :data:`DELETE`).

    ``before(path)``: the keys the schema puts before the one at ``path``, in order, so that a new
    key is written where a person would look for it (default: at the end of its group).
    """
    root = yaml.compose(text, Loader=_Loader)
    if root is None:
        raise CannotEdit("empty file")
    node, parent, depth = _find(root, path)
    if node is not None:
        if value is DELETE:
            return _remove(text, root, path)
        if not isinstance(node, yaml.ScalarNode):
            raise CannotEdit(f"{'.'.join(map(str, path))} is not a single value")
        flow = bool(parent is not None and parent.flow_style)
        new = render_scalar(value, style=node.style, flow=flow or _in_flow(root, path))
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):
            new += "\n"
        elif node.tag == "tag:yaml.org,2002:null" and start == end:
            new = " " + new if text[start - 1:start] == ":" else new
        return text[:start] + new + text[end:]
    if value is DELETE:
        return text  # nothing to remove
    assert parent is not None
    missing = list(path[depth:])
    if any(isinstance(p, int) for p in missing):
        raise CannotEdit(f"{'.'.join(map(str, path))}: a list item that is not there")
    after = before(tuple(path[: depth + 1])) if before is not None else ()
    return _insert(text, parent, missing, value, after)


def _in_flow(root: yaml.Node, path: Sequence[Any]) -> bool:
    node: Any = root
    for part in path[:-1]:
        if getattr(node, "flow_style", False):
            return True
        node, _, _ = _find(node, [part])
    return bool(getattr(node, "flow_style", False))


def _insert(text: str, parent: yaml.MappingNode, keys: list[Any], value: Any, after: Sequence[str]) -> str:
    if parent.flow_style:
        if len(keys) != 1:
            raise CannotEdit("a group inside {…}")
        close = parent.end_mark.index - 1
        while close > 0 and text[close] != "}":
            close -= 1
        sep = ", " if parent.value else ""
        return text[:close].rstrip() + f"{sep}{keys[0]}: {render_scalar(value, flow=True)}" + text[close:]
    if not parent.value:
        raise CannotEdit("an empty group")
    indent = parent.value[0][0].start_mark.column
    entry = parent.value[-1]
    for key, val in parent.value:
        if isinstance(key, yaml.ScalarNode) and key.value in after:
            entry = (key, val)  # the nearest earlier key of the schema that is present wins (after is in order)
    end = entry[1].end_mark.index
    if end > 0 and text[end - 1] == "\n":
        at = end
    else:
        newline = text.find("\n", end)
        at = len(text) if newline < 0 else newline + 1
    block = ""
    for depth, key in enumerate(keys):
        pad = " " * (indent + 2 * depth)
        block += f"{pad}{key}:" + (f" {render_scalar(value)}\n" if depth == len(keys) - 1 else "\n")
    if at == len(text) and not text.endswith("\n"):
        block = "\n" + block
    return text[:at] + block + text[at:]


def _remove(text: str, root: yaml.Node, path: Sequence[Any]) -> str:
    node, parent, _ = _find(root, path)
    if parent is None or parent.flow_style or node is None:
        raise CannotEdit("a value inside […] or {…}")
    for key, val in parent.value:
        if val is node:
            if not isinstance(val, yaml.ScalarNode) or val.end_mark.line != key.start_mark.line:
                raise CannotEdit("a value on several lines")
            start = text.rfind("\n", 0, key.start_mark.index) + 1
            newline = text.find("\n", val.end_mark.index)
            stop = len(text) if newline < 0 else newline + 1
            if text[start:key.start_mark.index].strip():
                raise CannotEdit("a key that shares its line")
            return text[:start] + text[stop:]
    raise CannotEdit("not found")

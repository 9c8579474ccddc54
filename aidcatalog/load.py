"""Bytes to plain values, with the line and column of every value.

The loader knows nothing about needs or stories. It refuses what PyYAML would accept
silently or dangerously (duplicate keys, tabs, foreign tags, alias bombs, huge files), turns
every string into NFC without stray whitespace, and remembers where each value was written
so that later problems can name the line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # the C parser is many times faster; fall back when PyYAML was built without libyaml
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_BYTES = 256 * 1024
"""A file larger than this is refused (the largest real entry is about 10 KiB)."""
MAX_NODES = 20_000
"""Values in one file after aliases are expanded: stops 'billion laughs'."""
MAX_DEPTH = 24
"""Nesting levels in one file (the schema needs 5)."""

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
# Bidirectional overrides and other invisible controls that can make text read differently.
_HIDDEN = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_HIDDEN |= {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\x7f"}


@dataclass
class Document:
    """One YAML file as plain values, with where each value was written."""

    file: str
    """The path as shown to staff (relative to the repository when possible)."""
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """Path of a value → (line, column), 1-based."""
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """Path of a mapping entry → where its key was written."""

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The nearest known place for ``path`` (its key, its value, or an enclosing value)."""
        table = (self.keys, self.positions) if key else (self.positions, self.keys)
        for probe in (path[:i] for i in range(len(path), -1, -1)):
            for t in table:
                if probe in t:
                    return t[probe]
        return (1, 1)


class _Reject(Exception):
    def __init__(self, code: str, mark: Any, params: dict[str, Any] | None = None, path: Path_ = ()):
        super().__init__(code)
        self.code, self.mark, self.params, self.path = code, mark, params or {}, path


def read(path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Read one file. Returns the document, or None with the problems that stopped it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(shown, 1, 1, "file-too-large", params={"size": size, "limit": MAX_BYTES})]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 0, 0, "bad-path", params={"value": shown, "why_vi": exc.strerror or "", "why_en": exc.strerror or ""})]
    return parse(raw, shown)


def parse(raw: bytes, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse bytes (already read) into a :class:`Document`."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(shown, 1, 1, "file-too-large", params={"size": len(raw), "limit": MAX_BYTES})]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM that Windows editors add is harmless: drop it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, 1, "not-utf8", params={"line": line})]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Problem(shown, 1, 1, "empty-file")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, shown)]
    except yaml.YAMLError as exc:  # pragma: no cover - the parser always marks its errors
        return None, [Problem(shown, 1, 1, "yaml-syntax", params={"detail": str(exc)})]
    if node is None:
        return None, [Problem(shown, 1, 1, "empty-file")]
    doc = Document(shown, None)
    builder = _Builder(doc)
    try:
        doc.data = builder.value(node, (), 0)
    except _Reject as exc:
        # Name the top-level field being read: an alias's own mark may point anywhere.
        line, col = doc.keys.get(exc.path[:1]) or _pos(exc.mark)
        return None, [Problem(shown, line, col, exc.code, _field(exc.path), exc.params)]
    if not isinstance(doc.data, dict):
        got = {list: ("một danh sách", "a list")}.get(type(doc.data), ("một giá trị đơn", "a single value"))
        return None, [Problem(shown, 1, 1, "not-mapping", params={"got": got})]
    return doc, builder.problems


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark)
    problem = exc.problem or ""
    if "expected a single document" in str(exc) or "but found another document" in str(exc):
        return Problem(shown, line, col, "multiple-documents")
    if "'\\t'" in problem or "\t" in problem:
        return Problem(shown, line, col, "yaml-tab")
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(col, 1)]:
        return Problem(shown, line, lines[line - 1].index("\t") + 1, "yaml-tab")
    detail = problem if not exc.context else f"{problem} ({exc.context})"
    return Problem(shown, line, col, "yaml-syntax", params={"detail": detail})


def _field(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


field_name = _field


class _Builder:
    """Turns a composed node graph into plain values, recording positions as it goes."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.count = 0
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def value(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Reject("too-complex", node.start_mark, {"limit": MAX_NODES}, path)
        if depth > MAX_DEPTH:
            raise _Reject("too-deep", node.start_mark, {"limit": MAX_DEPTH}, path)
        self.doc.positions.setdefault(path, _pos(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in (_STD + "seq", _STD + "map"):
            raise _Reject("forbidden-tag", node.start_mark, {"tag": node.tag}, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                got = ("một danh sách hoặc ánh xạ", "a list or mapping")
                raise _Reject("bad-key", key_node.start_mark, {"got": got}, path)
            key = unicodedata.normalize("NFC", key_node.value.strip())
            sub = (*path, key)
            if key in result:
                first = self.doc.keys[sub][0]
                line, col = _pos(key_node.start_mark)
                self.problems.append(
                    Problem(self.doc.file, line, col, "duplicate-key", _field(sub), {"key": key, "first": first})
                )
                continue
            self.doc.keys[sub] = _pos(key_node.start_mark)
            result[key] = self.value(value_node, sub, depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Reject("forbidden-tag", node.start_mark, {"tag": node.tag}, path)
        if node.tag == _STD + "str":
            text = unicodedata.normalize("NFC", node.value).strip()
            for i, ch in enumerate(text):
                if ch in _HIDDEN:
                    line, col = _pos(node.start_mark)
                    self.problems.append(
                        Problem(self.doc.file, line, col, "hidden-character", _field(path), {"codepoint": f"{ord(ch):04X}"})
                    )
                    text = text[:i] + "".join(c for c in text[i:] if c not in _HIDDEN)
                    break
            return text
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            line, col = _pos(node.start_mark)
            code = "bad-date" if node.tag == _STD + "timestamp" else "invalid"
            self.problems.append(
                Problem(self.doc.file, line, col, code, _field(path), {"value": node.value, "detail": node.value})
            )
            return _Invalid(node.value)


class _Invalid(str):
    """A scalar the loader already reported; validation stays quiet about it."""

"""Bytes to plain values, with the line and column of every value.

The loader knows nothing about needs or stories. It refuses what PyYAML would accept
silently or dangerously (duplicate keys, tabs, foreign tags, alias bombs, huge files), turns
every string into NFC without stray whitespace, and remembers where each value was written
so that later problems can name the line.
"""

from __future__ import annotations

import errno
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .languages import msg
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
_HIDDEN |= {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {chr(c) for c in range(0x7F, 0xA0)}
# YAML 1.1 reads 012 as 10, 0x12 as 18 and 1:30 as 90: only plain decimal numbers are accepted.
_PLAIN_NUMBER = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))"
)
_OTHER_BASE = re.compile(r"[-+]?0[0-9_]")
_HIDDEN_RE = re.compile("[" + "".join(map(re.escape, sorted(_HIDDEN))) + "]")
# What the site's front-matter reader (PyYAML's Reader: printable characters only) refuses, or
# reads as the end of a line inside a value: noncharacters, LINE and PARAGRAPH SEPARATOR, halves
# of surrogate pairs. Never in any text, keys included.
_NONCHARACTERS = {chr(c) for c in range(0xFDD0, 0xFDF0)} | {chr(p << 16 | e) for p in range(17) for e in (0xFFFE, 0xFFFF)}
_REFUSED = _NONCHARACTERS | {"\u2028", "\u2029"} | {chr(c) for c in range(0xD800, 0xE000)}
_REFUSED_RE = re.compile("[" + "".join(map(re.escape, sorted(_REFUSED))) + "]")
_LINE_BREAKS = {"\u2028", "\u2029", "\x85"}
# Written raw, these end a line for the YAML reader (or stop it): before parsing each becomes a
# noncharacter of a private plane, so that lines stay as an editor counts them and the value that
# holds it is named. The problem then names the character as written.
_STAND_INS = {"\u2028": "\U000dfffe", "\u2029": "\U000dffff", "\x85": "\U000efffe", "\ufffe": "\U000effff",
              "\uffff": "\U000ffffe"}
_WRITTEN = {v: k for k, v in _STAND_INS.items()}
_RAW_REFUSED_RE = re.compile("[\u2028\u2029\x85\ufffe\uffff]")
INVISIBLE = {chr(c) for c in (0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, *range(0x200B, 0x200E),
                              *range(0x2060, 0x2065), 0x3164, 0xFEFF, 0xFFA0)}
"""Invisible characters: zero-width spaces and joiners, word joiner, soft hyphen, byte-order mark,
Hangul fillers. Nothing to see, yet an e-mail address, a link or an id holding one is broken, and a
title made only of them looks present. Removed from every text; the validator, which knows what
each field is, refuses them in identifiers and warns in prose."""
_INVISIBLE_RE = re.compile("[" + "".join(map(re.escape, sorted(INVISIBLE))) + "]")
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ODD_INDENT_RE = re.compile(f"(?m)^[ ]*([{_ODD_SPACES}])")
"""A line indented with a space that is not one (no-break, em, ideographic…): YAML reads it as text."""
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"
"""Quotes Word types for ``"`` and ``'``: text to YAML, never quotes."""
_NO_SPACE_RE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):(?=[^\s:/])(.*)$")
"""``email:x@y``: a key whose colon is not followed by a space."""
_COMPOSE_SAFELY = 1000
"""Nesting that composing certainly survives (libyaml's composer recurses and crashes near 30,000)."""


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
    reported: set[str] = field(default_factory=set)
    """Fields whose value the loader already reported (a bad date, a hidden character…)."""
    invisible: dict[Path_, str] = field(default_factory=dict)
    """Path of a text → the first invisible character removed from it (the validator decides)."""
    numbers: dict[Path_, str] = field(default_factory=dict)
    """Path of a number → the number as written (`250.000` is read as 250.0)."""

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
    raw, problems = read_bytes(path, shown)
    return (None, problems) if raw is None else parse(raw, shown)


def read_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one file, or None with the problem that stopped the reading."""
    try:
        info = path.stat()
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            why = msg("not a regular file")
            return None, [Problem(shown, 0, 0, "bad-path", params={"value": shown, "why": why})]
        if size > MAX_BYTES:
            return None, [Problem(shown, 1, 1, "file-too-large", params={"size": size, "limit": MAX_BYTES})]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(shown, 0, 0, "unreadable", params=unreadable(exc, folder=False))]


_REASONS = {
    errno.EACCES: msg("permission denied"),
    errno.EPERM: msg("permission denied"),
    errno.ELOOP: msg("a link loop"),
    errno.ENOENT: msg("it no longer exists"),
    errno.EIO: msg("a disk read error"),
    errno.ENAMETOOLONG: msg("the name is too long"),
}


def unreadable(exc: OSError, *, folder: bool) -> dict[str, Any]:
    """The params of an ``unreadable`` problem: what could not be read, and why (put into words per language)."""
    what = msg("folder") if folder else msg("file")
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return {"what": what, "reason": reason}


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
    doc = Document(shown, None)
    odd_indent = _ODD_INDENT_RE.search(text)
    if odd_indent is not None:  # YAML takes a no-break space for text: the line would land in the wrong field
        line = text.count("\n", 0, odd_indent.start()) + 1
        char = odd_indent.group(1)
        detail = msg("line {line} is indented with U+{codepoint} ({name}), which looks like a space but is not one "
                     "(it comes with text pasted from Word or a web page); delete the indentation and type it again "
                     "with the space bar", line=line, codepoint=f"{ord(char):04X}", name=char_name(char))
        column = odd_indent.start(1) - odd_indent.start() + 1
        return None, [Problem(shown, line, column, "yaml-syntax", params={"detail": detail})]
    raw_refused = _RAW_REFUSED_RE.search(text)
    if raw_refused is not None:
        text = _RAW_REFUSED_RE.sub(lambda m: _STAND_INS[m.group()], text)
    try:
        _check_nesting(text)
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return None, [Problem(shown, 1, 1, "empty-file")]
        builder = _Builder(doc)
        doc.data = builder.value(node, (), 0)
    except yaml.reader.ReaderError as exc:  # a raw control character: the reader gives a byte offset
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        return None, [Problem(shown, line, col, "hidden-character", params={"codepoint": f"{exc.character:04X}"})]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, shown)]
    except _Reject as exc:
        if exc.code in ("too-deep", "too-complex"):
            # Name the top-level field being read: inside expanded aliases a mark may point anywhere.
            line, col = doc.keys.get(exc.path[:1]) or _pos(exc.mark)
            return None, [Problem(shown, line, col, exc.code, _field(exc.path[:1]), exc.params)]
        return None, [Problem(shown, *_pos(exc.mark), exc.code, _field(exc.path), exc.params)]
    if not isinstance(doc.data, dict):
        got = {list: msg("a list")}.get(type(doc.data), msg("a single value"))
        return None, [Problem(shown, 1, 1, "not-mapping", params={"got": got})]
    if raw_refused is not None and not any(p.code in _CHARACTER_CODES for p in builder.problems):
        builder.problems.append(_raw_character_problem(shown, text, raw_refused.start(), raw_refused.group()))
    codes = ("bad-date", "invalid", *_CHARACTER_CODES)
    doc.reported = {p.field for p in builder.problems if p.code in codes and p.severity == "error"}
    return doc, builder.problems


_CHARACTER_CODES = ("hidden-character", "bad-character", "invisible-in-identifier")


def character_problem(file: str, line: int, col: int, where: str, char: str) -> Problem:
    """A character that must not be in any text, named as written."""
    char = _WRITTEN.get(char, char)
    codepoint = f"{ord(char):04X}"
    if char in _HIDDEN:
        return Problem(file, line, col, "hidden-character", where, {"codepoint": codepoint})
    if char in _LINE_BREAKS:
        why = msg("it is a special line break the site's page reader refuses; remove it and use an ordinary line break")
    else:
        why = msg("it is not a character at all (usually left by a damaged copy); remove it")
    name = unicodedata.name(char, "noncharacter" if char in _NONCHARACTERS else "surrogate")
    params = {"codepoint": codepoint, "name": name, "why": why}
    return Problem(file, line, col, "bad-character", where, params)


def _raw_character_problem(shown: str, text: str, offset: int, char: str) -> Problem:
    """A refused character outside any value (in a comment): named by its line and column only."""
    line = text.count("\n", 0, offset) + 1
    return character_problem(shown, line, offset - (text.rfind("\n", 0, offset) + 1) + 1, "", char)


def char_name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}")


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _check_nesting(text: str) -> None:
    """Refuse what the builder would refuse anyway, reading only the event stream, so nothing recurses.

    Raises the same ``too-deep`` or ``too-complex`` as :class:`_Builder`, naming the top-level field.
    Every key has a value, so more than twice MAX_NODES nodes is more than MAX_NODES values.

    Skipped for the usual file, which cannot nest deeply (each flow level needs a bracket, and
    every two block levels move at least one column right) and is too short to hold many values.
    """
    longest = max(map(len, text.splitlines()), default=0)
    if 2 * (longest + 1) + text.count("[") + text.count("{") < _COMPOSE_SAFELY and len(text) <= MAX_BYTES // 4:
        return
    depth, items, root_is_map, nodes = 0, 0, False, 0
    top: tuple[Path_, Any] = ((), None)  # the top-level key being read, and where it is
    for event in yaml.parse(text, Loader=_Loader):
        nodes += isinstance(event, yaml.NodeEvent)
        if nodes > 2 * MAX_NODES + 1:
            raise _Reject("too-complex", top[1] or event.start_mark, {"limit": MAX_NODES}, top[0])
        if isinstance(event, yaml.CollectionStartEvent):
            if depth == 0:
                root_is_map, items, top = isinstance(event, yaml.MappingStartEvent), 0, ((), None)
            depth += 1
            if depth > MAX_DEPTH + 1:
                raise _Reject("too-deep", top[1] or event.start_mark, {"limit": MAX_DEPTH}, top[0])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            items += depth == 1
        elif isinstance(event, yaml.NodeEvent) and depth == 1:
            if root_is_map and items % 2 == 0 and isinstance(event, yaml.ScalarEvent):
                top = ((unicodedata.normalize("NFC", event.value.strip()),), event.start_mark)
            items += 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    context = exc.context or ""
    problem = exc.problem or ""
    # An unclosed quote or bracket, or a key without its colon, is reported where it began.
    opened = any(w in context for w in ("quoted scalar", "flow", "simple key")) or "end of stream" in problem
    mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
    line, col = _pos(mark)
    if "expected a single document" in str(exc) or "but found another document" in str(exc):
        return Problem(shown, line, col, "multiple-documents")
    if "'\\t'" in problem or "\t" in problem:
        return Problem(shown, line, col, "yaml-tab")
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(col, 1)]:
        return Problem(shown, line, lines[line - 1].index("\t") + 1, "yaml-tab")
    curly = _curly_quote(lines, exc)
    if curly is not None:
        at, char = curly
        detail: Any = msg("line {line} has the curly quote {quote} (Word types it for a straight one), which YAML "
                          "does not take for a quote; put the text between straight double quotes \"…\", or remove "
                          "the quotes", line=at[0], quote=char)
        return Problem(shown, *at, "yaml-syntax", params={"detail": detail})
    for number in dict.fromkeys(n for n in (line, (exc.context_mark.line + 1) if exc.context_mark else 0) if n):
        found = _NO_SPACE_RE.match(lines[number - 1]) if 0 < number <= len(lines) else None
        if found is not None:
            key, rest = found.groups()
            detail = msg("`{name}:` needs a space after the colon: write `{name}: {rest}`", name=key, rest=rest.strip())
            return Problem(shown, number, lines[number - 1].index(":") + 1, "yaml-syntax", params={"detail": detail})
    quote = _open_quote(text, exc.problem_mark) if exc.problem_mark is not None and not opened else None
    if quote is not None:
        start, stop = quote.line + 1, exc.problem_mark.line + 1
        detail = msg("the quote opened on line {start} is probably not closed: the quoted text runs on to line {stop}",
                     start=start, stop=stop)
        return Problem(shown, *_pos(quote), "yaml-syntax", params={"detail": detail})
    started = exc.context_mark.line + 1 if exc.context_mark is not None else line
    if "mapping values are not allowed" in problem:
        detail = msg("a `: ` (colon and space) inside a text on this line; put the whole text between straight "
                     "double quotes \"…\", or, if this line is a field of its own, indent it like the lines above")
    elif "expected ',' or '}'" in problem:
        detail = msg("the `{{` opened on line {started} is not closed with `}}`, or a value in it holds a `,` or a "
                     "`: `; close it, or put that value between straight double quotes \"…\"", started=started)
    elif "expected ',' or ']'" in problem:
        detail = msg("the list `[` opened on line {started} is not closed with `]`, or an item in it holds a `,` "
                     "or a `: `; close it, or put that item between straight double quotes \"…\"", started=started)
    elif "did not find expected key" in problem or "expected <block end>" in problem:
        detail = msg("this line is not in line with the lines above it; give it the same indentation (the same "
                     "number of spaces) as the other fields of its group")
    elif "end of stream" in problem and "quoted" in context:
        detail = msg("the quote opened on line {started} is never closed; end the text with the same quote mark",
                     started=started)
    elif "could not find expected ':'" in problem:
        detail = msg("line {started} has no `key: value`; a field needs a colon and a space after its name, and "
                     "text that runs onto the next line must be indented further", started=started)
    elif context and exc.context_mark is not None:
        detail = msg("{problem} ({context} that starts on line {started})", problem=problem, context=context,
                     started=started)
    elif context:
        detail = f"{problem} ({context})"
    else:
        detail = problem
    return Problem(shown, line, col, "yaml-syntax", params={"detail": detail})


def _curly_quote(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[tuple[int, int], str] | None:
    """Where a curly quote stands on the lines of a syntax error (from the one where the trouble began)."""
    marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
    if not marks:
        return None
    first, last = min(m.line for m in marks), max(m.line for m in marks)
    for number in range(first, min(last, first + 20) + 1):
        text = lines[number] if number < len(lines) else ""
        for i, char in enumerate(text):
            if char in _CURLY:
                return (number + 1, i + 1), char
    return None


def _open_quote(text: str, mark: Any) -> Any:
    """Where a quoted text began, when it ran over several lines right up to a syntax error."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.end_mark.line, token.end_mark.column) > (mark.line, mark.column):
                break
            last = token
    except yaml.YAMLError:
        pass
    if isinstance(last, yaml.ScalarToken) and last.style in ('"', "'") and last.start_mark.line < last.end_mark.line:
        return last.start_mark
    return None


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
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STD + "merge":
                raise _Reject("forbidden-tag", key_node.start_mark, {"tag": "<< (merge)"}, path)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                got = msg("a list or mapping")
                raise _Reject("bad-key", key_node.start_mark, {"got": got}, path)
            key = self.text(key_node, path, key=True)
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

    def text(self, node: yaml.ScalarNode, path: Path_, *, key: bool = False) -> str:
        """A string in NFC without surrounding space; hidden characters are reported and dropped.

        For a key, ``path`` is the mapping's and the problem names the key as cleaned.
        """
        text = node.value
        refused = _REFUSED_RE.search(text)
        if refused is not None:  # before anything else: strip() would drop a LINE SEPARATOR unseen
            text = _REFUSED_RE.sub("", text)
        hidden = _HIDDEN_RE.search(text)  # before strip(), which drops U+0085 and U+001C–U+001F unseen
        text = unicodedata.normalize("NFC", text).strip()
        invisible = _INVISIBLE_RE.search(text)
        if refused is None and hidden is None and invisible is None:
            return text
        clean = _INVISIBLE_RE.sub("", _HIDDEN_RE.sub("", text)).strip()
        line, col = _pos(node.start_mark)
        where = _field((*path, clean) if key else path)
        if refused is not None or hidden is not None:
            char = refused.group() if refused is not None else hidden.group()  # type: ignore[union-attr]
            self.problems.append(character_problem(self.doc.file, line, col, where, char))
        elif key and invisible is not None:  # a field name is an identifier: refused here
            char = invisible.group()
            params = {"codepoint": f"{ord(char):04X}", "name": char_name(char), "what": msg("field name")}
            self.problems.append(Problem(self.doc.file, line, col, "invisible-in-identifier", where, params))
        elif invisible is not None:
            self.doc.invisible[path] = invisible.group()
        return clean

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Reject("forbidden-tag", node.start_mark, {"tag": node.tag}, path)
        if node.tag == _STD + "str":
            return self.text(node, path)
        if node.tag in (_STD + "int", _STD + "float"):
            self.doc.numbers[path] = node.value
        if node.tag in (_STD + "int", _STD + "float") and (
            not _PLAIN_NUMBER.fullmatch(node.value) or (node.tag == _STD + "int" and _OTHER_BASE.match(node.value))
        ):
            line, col = _pos(node.start_mark)
            detail = msg("`{value}` is not a plain decimal number; YAML reads a leading 0, 0x, 0b or a `:` as another "
                         "base, so write digits only (e.g. 12)", value=node.value)
            self.problems.append(Problem(self.doc.file, line, col, "invalid", _field(path), {"detail": detail}))
            return _Invalid(node.value)
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            line, col = _pos(node.start_mark)
            if node.tag == _STD + "timestamp":
                params = {"value": node.value, "detail": date_detail(node.value)}
                self.problems.append(Problem(self.doc.file, line, col, "bad-date", _field(path), params))
            else:
                params = {"value": node.value, "detail": node.value}
                self.problems.append(Problem(self.doc.file, line, col, "invalid", _field(path), params))
            return _Invalid(node.value)


_DAY_FIRST = re.compile(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*")
_YEAR_FIRST = re.compile(r"\s*(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*")
_MONTH_ONLY = re.compile(r"\s*(?:th[aá]ng\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})\s*", re.IGNORECASE)


def date_detail(value: str) -> Any:
    """What to write instead of ``value``, a date the program cannot read, and why (a message)."""
    import calendar

    value = str(value)
    day_first, year_first, month_only = (r.fullmatch(value) for r in (_DAY_FIRST, _YEAR_FIRST, _MONTH_ONLY))
    if day_first:
        day, month, year = (int(g) for g in day_first.groups())
    elif year_first:
        year, month, day = (int(g) for g in year_first.groups())
    elif month_only:
        month, year = (int(g) for g in month_only.groups())
        if 1 <= month <= 12:
            return msg("a date needs its day too; for a month alone write its first day, `{right}` (year-month-day)",
                       right=f"{year:04d}-{month:02d}-01")
        day = 1
    else:
        return msg("write it year-month-day, for example `2027-03-15`")
    if not 1 <= month <= 12:
        return msg("there is no month {month}; a date is written year-month-day, for example `2027-03-15`", month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return msg("month {month} of {year} has {days} days; check the day and the month (year-month-day)",
                   month=month, year=year, days=days)
    right = f"{year:04d}-{month:02d}-{day:02d}"
    if year_first and value.strip() == right:  # a real date, quoted: YAML then reads text
        return msg("remove the quotes: a date is written without them, as `{right}`", right=right)
    if day_first:
        return msg("write it `{right}`: year, month, day, in that order, with two digits for the month and the day, "
                   "the only order the program reads, so that a day is never taken for a month", right=right)
    return msg("write it `{right}`: year-month-day, with two digits for the month and the day", right=right)


class _Invalid(str):
    """A scalar the loader already reported; validation stays quiet about it."""

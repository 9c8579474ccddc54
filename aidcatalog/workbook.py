"""Spreadsheets read back: an Excel (``.xlsx``) or LibreOffice (``.ods``) workbook as plain cells.

The proposal form and the review sheet come back from people who work in Excel or LibreOffice
Calc. Both are read here into one small shape: the workbook's defined names (a field path → its
sheet and cell), and each cell as a :class:`Cell` that says what was typed — text, a number, a
date, true/false, a formula, an error value or nothing — never a guess. Merged ranges are kept so
that a form whose input cells were merged can be refused with the cell named.

``.xlsx`` is read with openpyxl; ``.ods`` (a zip of XML) is read here, with the standard library.
A file that is not a workbook, too large, or damaged raises :class:`NotAWorkbook`, never a
traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

MAX_BYTES = 20 * 1024 * 1024
"""A workbook larger than this is refused (a filled form is about 30 KiB)."""
MAX_UNPACKED = 200 * 1024 * 1024
"""What its zip may unpack to at most (stops zip bombs)."""
SUFFIXES = (".xlsx", ".xlsm", ".ods")


class NotAWorkbook(Exception):
    """The file cannot be read as a workbook; ``reason`` is a label key (see :mod:`aidcatalog.labels`)."""

    def __init__(self, reason: str, **params: Any):
        super().__init__(reason)
        self.reason, self.params = reason, params


@dataclass(frozen=True)
class Cell:
    """What one cell holds. ``kind``: empty, text, number, date, bool, formula or error."""

    kind: str
    value: Any = None

    @property
    def empty(self) -> bool:
        return self.kind == "empty" or (self.kind == "text" and not str(self.value).strip())


EMPTY = Cell("empty")


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    """(row, column), 1-based → the cell; empty cells are left out."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first row, first column, last row, last column)."""
    hidden: bool = False

    def cell(self, row: int, col: int) -> Cell:
        return self.cells.get((row, col), EMPTY)

    def merged_range(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range that covers (row, col) and is larger than one cell."""
        for r1, c1, r2, c2 in self.merged:
            if r1 <= row <= r2 and c1 <= col <= c2 and (r1, c1) != (r2, c2):
                return (r1, c1, r2, c2)
        return None

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)


@dataclass
class Book:
    path: Path
    sheets: dict[str, Sheet]
    names: dict[str, tuple[str, int, int] | None]
    """Defined name → (sheet, row, column) of its first cell; None when it points nowhere (deleted cells)."""

    def sheet(self, name: str) -> Sheet | None:
        return self.sheets.get(name)


def ref(row: int, col: int) -> str:
    """(12, 3) → ``C12``."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def parse_ref(text: str) -> tuple[int, int] | None:
    """``$C$12`` or ``C12`` → (12, 3)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})", text.strip())
    if not m:
        return None
    col = 0
    for ch in m[1].upper():
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def read(path: Path) -> Book:
    """The workbook at ``path`` (``.xlsx``, ``.xlsm`` or ``.ods``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise NotAWorkbook("wb.suffix", suffix=path.suffix or "—")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise NotAWorkbook("wb.unreadable", reason=path)
    except OSError as exc:
        raise NotAWorkbook("wb.unreadable", reason=exc.strerror or exc) from None
    if size > MAX_BYTES:
        raise NotAWorkbook("wb.too_large", size=size // 1024 // 1024, limit=MAX_BYTES // 1024 // 1024)
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise NotAWorkbook("wb.damaged")
            if suffix == ".ods":
                return _read_ods(path, archive)
    except NotAWorkbook:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, ElementTree.ParseError):
        raise NotAWorkbook("wb.damaged") from None
    return _read_xlsx(path)


# --- .xlsx -------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> Book:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions it drops
            wb = openpyxl.load_workbook(path, data_only=False, keep_links=False, keep_vba=False)
    except Exception:  # openpyxl raises many kinds for a damaged file; none may escape as a traceback
        raise NotAWorkbook("wb.damaged") from None
    sheets: dict[str, Sheet] = {}
    for ws in wb.worksheets:
        sheet = Sheet(ws.title, hidden=ws.sheet_state != "visible")
        for row in ws.iter_rows():
            for c in row:
                cell = _xlsx_cell(c)
                if cell.kind != "empty":
                    sheet.cells[(c.row, c.column)] = cell
        sheet.merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        sheets[ws.title] = sheet
    names: dict[str, tuple[str, int, int] | None] = {}
    scoped = [(n, d) for ws in wb.worksheets for n, d in ws.defined_names.items()]
    for name, defined in [*wb.defined_names.items(), *scoped]:
        names[name] = _destination(defined.attr_text or "", sheets)
    return Book(path, sheets, names)


def _xlsx_cell(c: Any) -> Cell:
    value = c.value
    if value is None:
        return EMPTY
    if c.data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return Cell("formula", str(getattr(value, "text", value)))
    if c.data_type == "e":
        return Cell("error", str(value))
    if isinstance(value, bool):
        return Cell("bool", value)
    if isinstance(value, dt.datetime):
        return Cell("date", value.date() if value.time() == dt.time() else value)
    if isinstance(value, dt.date):
        return Cell("date", value)
    if isinstance(value, dt.time | dt.timedelta):
        return Cell("text", str(value))
    if isinstance(value, int | float):
        return Cell("number", value)
    return Cell("text", str(value))


def _destination(text: str, sheets: dict[str, Sheet]) -> tuple[str, int, int] | None:
    """``'Đề xuất'!$C$12`` (Excel) or ``$'Đề xuất'.$C$12`` (ODF) → (sheet, row, column); None if broken."""
    text = text.strip().lstrip("=").lstrip("$")
    if "#REF" in text.upper():
        return None
    m = re.fullmatch(r"(?:'((?:[^']|'')+)'|([^'!.]+))[!.](\$?[A-Za-z]{1,3}\$?[0-9]{1,7})(?::\S+)?", text)
    if not m:
        return None
    sheet = (m[1].replace("''", "'") if m[1] is not None else m[2]).strip()
    where = parse_ref(m[3])
    if where is None or sheet not in sheets:
        return None
    return (sheet, *where)


# --- .ods --------------------------------------------------------------------------------

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _read_ods(path: Path, archive: zipfile.ZipFile) -> Book:
    raw = archive.read("content.xml")
    if b"<!DOCTYPE" in raw[:2000] or b"<!ENTITY" in raw:
        raise NotAWorkbook("wb.damaged")  # ODF needs no DTD; one could hold an entity bomb
    root = ElementTree.fromstring(raw)
    body = root.find(f"{_q('office', 'body')}/{_q('office', 'spreadsheet')}")
    if body is None:
        raise NotAWorkbook("wb.damaged")
    sheets: dict[str, Sheet] = {}
    for table in body.findall(_q("table", "table")):
        sheet = _ods_sheet(table)
        sheets[sheet.name] = sheet
    names: dict[str, tuple[str, int, int] | None] = {}
    for expressions in body.iter(_q("table", "named-expressions")):
        for item in expressions:
            name = item.get(_q("table", "name"))
            if name:
                names[name] = _destination(item.get(_q("table", "cell-range-address")) or "", sheets)
    return Book(path, sheets, names)


def _ods_sheet(table: ElementTree.Element) -> Sheet:
    sheet = Sheet(table.get(_q("table", "name")) or "")
    covered: set[tuple[int, int]] = set()
    row = 0
    for row_el in table.iter(_q("table", "table-row")):
        repeat_rows = int(row_el.get(_q("table", "number-rows-repeated"), "1"))
        has_content = any(len(c) or c.get(_q("office", "value-type")) or c.get(_q("table", "formula"))
                          or c.get(_q("table", "number-columns-spanned")) or c.get(_q("table", "number-rows-spanned"))
                          for c in row_el)
        if not has_content:
            row += repeat_rows
            continue
        for _ in range(min(repeat_rows, 1000)):
            row += 1
            col = 0
            for cell_el in row_el:
                repeat = int(cell_el.get(_q("table", "number-columns-repeated"), "1"))
                if cell_el.tag == _q("table", "covered-table-cell"):
                    for k in range(repeat):
                        covered.add((row, col + 1 + k))
                    col += repeat
                    continue
                if cell_el.tag != _q("table", "table-cell"):
                    continue
                cell = _ods_cell(cell_el)
                span_c = int(cell_el.get(_q("table", "number-columns-spanned"), "1"))
                span_r = int(cell_el.get(_q("table", "number-rows-spanned"), "1"))
                for k in range(min(repeat, 16384) if cell.kind != "empty" else 0):
                    sheet.cells[(row, col + 1 + k)] = cell
                if span_c > 1 or span_r > 1:
                    sheet.merged.append((row, col + 1, row + span_r - 1, col + span_c))
                col += repeat
    return sheet


def _ods_cell(el: ElementTree.Element) -> Cell:
    formula = el.get(_q("table", "formula"))
    if formula:
        return Cell("formula", formula)
    kind = el.get(_q("office", "value-type"))
    if kind in ("float", "percentage", "currency"):
        number = float(el.get(_q("office", "value"), "0"))
        return Cell("number", int(number) if number.is_integer() and abs(number) < 2**53 else number)
    if kind == "date":
        value = el.get(_q("office", "date-value"), "")
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return Cell("text", value)
        return Cell("date", when.date() if when.time() == dt.time() else when)
    if kind == "boolean":
        return Cell("bool", el.get(_q("office", "boolean-value")) == "true")
    if kind == "time":
        return Cell("text", el.get(_q("office", "time-value"), ""))
    text = "\n".join(_ods_text(p) for p in el.findall(_q("text", "p")))
    if kind == "string" or text:
        return Cell("text", text)
    return EMPTY


def _ods_text(el: ElementTree.Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag == _q("text", "s"):
            parts.append(" " * int(child.get(_q("text", "c"), "1")))
        elif child.tag == _q("text", "tab"):
            parts.append("\t")
        elif child.tag == _q("text", "line-break"):
            parts.append("\n")
        else:
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)

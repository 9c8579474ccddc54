"""The proposal form: a workbook for one need, generated from the schema (``aidcatalog form``).

Communes and departments propose needs in Excel or LibreOffice. The form is made from
:class:`aidcatalog.model.Need` and the catalogue's vocabularies, so it cannot drift from them:

- every input cell carries a **defined name equal to its field path** (``title.vi``,
  ``budget.total``, ``locations.1.commune``), so import never depends on where a cell is and the
  form may be restyled or rearranged freely;
- every text has one cell per declared language (the default language's is required at intake,
  the others may wait for the translation);
- a vocabulary field is a drop-down of its terms (communes with their former district), a number
  or date cell is typed and checked in the sheet, each label and help text is the schema's own
  description in the form's language;
- a hidden sheet records what the workbook is and the **schema version** it was made for, a hash
  of the fields' paths and kinds: a form made before the schema changed is refused by name.

:func:`fields` is the one description of the form's cells; :mod:`aidcatalog.intake` reads filled
forms back with it, and :mod:`aidcatalog.review` uses the same cells for its review sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from . import languages, model
from .catalogue import Catalogue
from .labels import t
from .languages import Language, Languages
from .text import closest
from .workbook import Cell, ref

FORM_KIND = "aidcatalog-need-form"
META_SHEET = "_aidcatalog"
"""A hidden sheet: what the workbook is, the schema version it was made for, its language."""

SKIP = ("id", "photos", "documents", "related_stories", "related_needs", "featured", "last_reviewed", "funding")
"""Fields a proposer does not fill in: the id is made at import, files and links to other entries are
added by the department, last_reviewed is the day of import, funding is recorded by the department."""
SLOTS = {"themes": 6, "sdgs": 6, "locations": 5, "objectives": 5, "activities": 8, "expected_results": 5,
         "beneficiaries.groups": 6}
"""How many cells a list gets when the schema sets no smaller maximum."""
DEFAULT_SLOTS = 4
IMPLIED_VOCABULARY = {"sdgs": "sdgs"}
"""List fields whose values are ids of a vocabulary file though the schema checks them as numbers."""
PREFILLED = {"status": "draft"}
"""Values the form starts with besides the schema's defaults."""
SECTIONS: dict[str, tuple[str, ...]] = {
    "form.section.general": ("title", "summary", "status", "sectors", "themes", "sdgs", "modality"),
    "form.section.places": ("locations",),
    "form.section.content": ("context", "objectives", "activities", "expected_results"),
    "form.section.beneficiaries": ("beneficiaries",),
    "form.section.budget": ("budget", "duration_months", "planned_start"),
    "form.section.people": ("proposer", "owner", "contact"),
    "form.section.readiness": ("readiness", "policy_markers"),
}
"""The form's sections; a field of the schema listed in none goes to the last, ``form.section.other``."""

Kind = Literal["text", "longtext", "choice", "whole", "number", "money", "date", "bool"]


@dataclass(frozen=True)
class Field:
    """One input cell of the form: a scalar of the schema at one path."""

    name: str
    """The defined name: the field path, list positions counted from 0 (``locations.1.commune``)."""
    path: tuple[str | int, ...]
    kind: Kind
    info: Any
    """The pydantic field the value belongs to (for its descriptions and bounds)."""
    vocabulary: str | None = None
    """A vocabulary file (``sectors``, ``localities``…), or ``literal`` for the schema's own set of values."""
    literal: tuple[Any, ...] = ()
    lang: Language | None = None
    needed: bool = False
    """Must be filled in at intake (when its container is filled in at all)."""
    container: tuple[str | int, ...] | None = None
    """The optional group or list item this cell belongs to: its needed cells are needed only if any
    cell of the group is filled in."""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    max_length: int | None = None
    index: int | None = None
    """Position in its list, for the label (``#2``)."""

    @property
    def top(self) -> str:
        return str(self.path[0])

    @property
    def dotted(self) -> str:
        """The schema's field, without positions or language: ``locations[].commune``."""
        parts: list[str] = []
        for part in (self.path[:-1] if self.lang else self.path):
            if isinstance(part, int):
                parts[-1] += "[]"
            else:
                parts.append(part)
        return ".".join(parts)


def fields(declared: Languages, cls: type[BaseModel] = model.Need, *, skip: tuple[str, ...] = SKIP) -> list[Field]:
    """Every input cell of the form, in the schema's order."""
    return list(_walk(cls, (), declared, needed=True, container=None, skip=skip))


def _walk(cls: type[BaseModel], prefix: tuple, declared: Languages, *, needed: bool, container: tuple | None,
          skip: tuple[str, ...]) -> Iterator[Field]:
    for name, info in cls.model_fields.items():
        path = (*prefix, name)
        dotted = ".".join(str(p) for p in path if not isinstance(p, int))
        if dotted in skip:
            continue
        required = needed and info.is_required()
        annotation = info.annotation
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = type(None) in get_args(annotation)
        is_list = get_origin(annotation) is list or any(get_origin(a) is list for a in args)
        inner = _inner(annotation)
        if is_list:
            bounds = _bounds(info)
            slots = min(int(bounds.get("max_length") or 99), SLOTS.get(dotted, DEFAULT_SLOTS))
            least = int(bounds.get("min_length") or 0)
            for i in range(slots):
                item_needed = required and i < least
                item_container = container if item_needed else (*path, i)
                yield from _value((*path, i), inner, info, declared, needed=item_needed or (not required or i >= least),
                                  container=item_container, skip=skip, index=i, list_item=True)
        else:
            own_container = (*path,) if optional and isinstance(inner, type) and issubclass(inner, BaseModel) \
                and not issubclass(inner, model.Text) else container
            yield from _value(path, inner, info, declared, needed=required or (own_container != container),
                              container=own_container, skip=skip)


def _value(path: tuple, inner: Any, info: Any, declared: Languages, *, needed: bool, container: tuple | None,
           skip: tuple[str, ...], index: int | None = None, list_item: bool = False) -> Iterator[Field]:
    name = ".".join(str(p) for p in path)
    if isinstance(inner, type) and issubclass(inner, model.Text):
        long = not issubclass(inner, model.ShortText)
        for lang in declared:
            yield Field(f"{name}.{lang.code}", (*path, lang.code), "longtext" if long else "text", info, lang=lang,
                        needed=needed and lang == declared.default, container=container,
                        max_length=inner.MAX_LENGTH, index=index)
        return
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        yield from _walk(inner, path, declared, needed=needed, container=container, skip=skip)
        return
    marks = model.annotations_of(info) if not list_item else model.annotations_of(inner)
    if list_item:
        marks += model.annotations_of(info)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    dotted = ".".join(str(p) for p in path if not isinstance(p, int))
    vocabulary = extra.get("x-vocabulary") or IMPLIED_VOCABULARY.get(dotted)
    bounds = _bounds(inner) if list_item else _bounds(info)
    common: dict[str, Any] = {"info": info, "needed": needed, "container": container, "index": index}
    if vocabulary:
        yield Field(name, path, "choice", vocabulary=vocabulary, **common)
        return
    literal = next((m for m in marks if get_origin(m) is Literal), None)
    if literal is not None:
        yield Field(name, path, "choice", vocabulary="literal", literal=get_args(literal), **common)
        return
    if bool in marks:
        kind: Kind = "bool"
    elif dt.date in marks:
        kind = "date"
    elif model.MONEY in marks:
        kind = "money"
    elif int in marks:
        kind = "whole"
    elif float in marks:
        kind = "number"
    else:
        kind = "text"
    lo = bounds.get("ge", bounds.get("gt"))
    yield Field(name, path, kind, lo=lo, hi=bounds.get("le", bounds.get("lt")), lo_open="gt" in bounds and "ge" not in bounds,
                max_length=bounds.get("max_length"), **common)


def _inner(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    if len(args) == 1 and get_origin(annotation) is not Literal and not hasattr(annotation, "__metadata__"):
        return _inner(args[0])
    return annotation


def _bounds(info: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    marks = model.annotations_of(info)
    marks += [m for mark in marks if type(mark).__name__ == "FieldInfo" for m in mark.metadata]
    for mark in marks:
        for key in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            value = getattr(mark, key, None)
            if value is not None and not isinstance(mark, type):
                found.setdefault(key, value)
    return found


def schema_version(declared: Languages) -> str:
    """A hash of the form's cells (paths and kinds, languages left out): changes when the schema does."""
    parts = sorted(f"{f.name.rsplit('.', 1)[0] if f.lang else f.name}:{f.kind}:{f.vocabulary or ''}"
                   for f in fields(declared))
    return "need-" + hashlib.sha256("\n".join(dict.fromkeys(parts)).encode()).hexdigest()[:12]


# --- words --------------------------------------------------------------------------------


def description(info: Any, lang: str) -> str:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    text = extra.get(f"x-description-{languages.resolve(lang).code}") or extra.get(f"x-description-{languages.SOURCE}")
    return str(text or info.description or "").strip()


def label(f: Field, lang: str) -> str:
    """What a person reads beside the cell: the schema's description, its position, its language."""
    text = description(f.info, lang).rstrip(".")
    text = re.sub(r"\s*\((?:mã|id|ids|YYYY-MM-DD)[^)]*\)", "", text).strip() or text
    text = re.sub(r",\s*(?:ví dụ|e\.g\.)\s.*$", "", text).strip() or text
    if f.index is not None:
        text = f"{text} #{f.index + 1}"
    if f.lang is not None:
        text = f"{text} ({f.lang.name})"
    return text + (" *" if f.needed and f.container is None else "")


def hint(f: Field, lang: str) -> str:
    """What the cell takes, in words: the rule the sheet itself checks."""
    n = _number
    if f.kind == "choice":
        return t("form.hint.choice", lang)
    if f.kind == "bool":
        return t("form.hint.bool", lang, yes=t("form.yes", lang), no=t("form.no", lang))
    if f.kind == "date":
        return t("form.hint.date", lang)
    if f.kind in ("whole", "money", "number"):
        key = {"whole": "form.hint.whole", "money": "form.hint.money", "number": "form.hint.number"}[f.kind]
        words = t(key, lang)
        if f.lo is not None and f.hi is not None and f.hi < 1e12:
            words += " " + t("form.hint.between", lang, lo=n(f.lo), hi=n(f.hi))
        elif f.lo is not None:
            words += " " + t("form.hint.more_than" if f.lo_open else "form.hint.at_least", lang, lo=n(f.lo))
        return words
    if f.max_length and f.kind == "text":
        return t("form.hint.text", lang, max=f.max_length)
    return ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- choices ---------------------------------------------------------------------------


@dataclass
class Choices:
    """A vocabulary as the form shows it: labels in a language, and back to ids."""

    vocabulary: str
    items: list[tuple[Any, str]] = field(default_factory=list)
    """(id, label), in the vocabulary's order."""

    def label_of(self, ident: Any) -> str:
        for key, text in self.items:
            if key == ident:
                return text
        return str(ident)

    def lookup(self, value: Any) -> tuple[Any, str | None]:
        """(the id, None) for a label, a bracketed id or a bare id; (None, nearest label or None) otherwise."""
        text = unicodedata.normalize("NFC", str(value)).strip()
        by_id = {str(key): key for key, _ in self.items}
        m = re.search(r"\[([^\[\]]+)\]\s*$", text)
        if m and m[1].strip() in by_id:
            return by_id[m[1].strip()], None
        for key, shown in self.items:
            if shown.casefold() == text.casefold():
                return key, None
        if text in by_id:
            return by_id[text], None
        near = closest(text, [shown for _, shown in self.items] + list(by_id))
        return None, near


def choices(cat: Catalogue, vocabulary: str, lang: str, literal: tuple[Any, ...] = ()) -> Choices:
    """The terms of a vocabulary with their labels in ``lang``: ``Xã Cao Sơn (huyện Đà Bắc cũ) [cao-son]``."""
    found = Choices(vocabulary)
    if vocabulary == "literal":
        found.items = [(v, str(v)) for v in literal]
    elif vocabulary == "localities":
        for ident, unit in cat.localities.items():
            name = languages.plain(languages.text(unit.name, lang))
            if unit.former is not None:
                district = languages.plain(languages.text(unit.former.district, lang))
                name = t("form.commune", lang, name=name, district=district)
            found.items.append((ident, f"{name} [{ident}]"))
    elif vocabulary == "bool":
        found.items = [(True, t("form.yes", lang)), (False, t("form.no", lang))]
    elif vocabulary in cat.vocab:
        for ident, term in cat.vocab[vocabulary].items():
            found.items.append((ident, f"{languages.plain(languages.text(term.name, lang))} [{ident}]"))
    elif vocabulary == "languages":
        found.items = [(code, code) for code in cat.languages.codes]
    return found


def choices_for(cat: Catalogue, f: Field, lang: str) -> Choices | None:
    if f.kind == "bool":
        return choices(cat, "bool", lang)
    if f.kind == "choice" and f.vocabulary:
        return choices(cat, f.vocabulary, lang, f.literal)
    return None


# --- reading a cell -------------------------------------------------------------------------

BLANK = object()
"""An empty cell."""


@dataclass(frozen=True)
class CellProblem:
    """What is wrong with one cell's value: a code and the label key of its message."""

    code: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


_AMOUNT_WORDS = {"tỷ": 10**9, "tỉ": 10**9, "ty": 10**9, "triệu": 10**6, "trieu": 10**6, "tr": 10**6,
                 "nghìn": 10**3, "ngàn": 10**3, "nghin": 10**3, "ngan": 10**3, "k": 10**3}


def _guess_amount(text: str) -> int | float | None:
    """What a person meant by ``1.200.000.000``, ``5 tỷ`` or ``2,5 triệu`` (only said back to them, never used)."""
    s = unicodedata.normalize("NFC", text).strip().lower()
    s = re.sub(r"\s*(đồng|dong|vnđ|vnd|đ|usd|us\$|\$)\s*$", "", s).strip()
    if re.fullmatch(r"[0-9]{1,3}([.,  ][0-9]{3})+", s):
        return int(re.sub(r"[^0-9]", "", s))
    m = re.fullmatch(r"([0-9]+(?:[.,][0-9]+)?)\s*([^\s0-9]+)", s)
    if m and m[2] in _AMOUNT_WORDS:
        number = float(m[1].replace(",", "."))
        value = number * _AMOUNT_WORDS[m[2]]
        return round(value) if abs(value - round(value)) < 1e-6 else value
    if re.fullmatch(r"[0-9]+[.,][0-9]+", s):
        return None  # 1,5 or 1.500: a decimal or thousands? say nothing rather than guess
    return None


def _guess_date(text: str) -> dt.date | None:
    s = text.strip()
    for pattern, order in ((r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", "ymd"), (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", "dmy")):
        m = re.fullmatch(pattern, s)
        if m:
            parts = dict(zip(order, map(int, m.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def read_cell(f: Field, cell: Cell, options: Choices | None) -> tuple[Any, CellProblem | None]:
    """A cell's value as the schema wants it, or what is wrong with it. ``BLANK`` for an empty cell."""
    if cell.kind == "formula":
        return None, CellProblem("formula", "intake.formula", {"formula": cell.value})
    if cell.kind == "error":
        return None, CellProblem("cell-error", "intake.cell_error", {"value": cell.value})
    if cell.empty:
        return BLANK, None
    value = cell.value
    if f.kind in ("text", "longtext"):
        if cell.kind == "number":
            return _number(value), None
        if cell.kind == "date":
            return value.isoformat(), None
        if cell.kind == "bool":
            return None, CellProblem("wrong-type", "intake.not_text", {"value": value})
        text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
        return (text if f.kind == "longtext" else re.sub(r"\s*\n\s*", " ", text)), None
    if f.kind in ("choice", "bool"):
        assert options is not None
        raw = _number(value) if cell.kind == "number" else value
        if cell.kind == "bool" and f.kind == "bool":
            return bool(value), None
        found, near = options.lookup(raw)
        if found is None:
            params = {"value": raw, "near": near or ""}
            return None, CellProblem("not-in-vocabulary", "intake.not_in_list_near" if near else "intake.not_in_list", params)
        return found, None
    if f.kind in ("whole", "money", "number"):
        if cell.kind == "number":
            number = value
            if f.kind == "whole" and not float(number).is_integer():
                return None, CellProblem("wrong-type", "intake.not_whole", {"value": value})
            if float(number).is_integer() and f.kind in ("whole", "money"):
                number = int(number)
            return number, None
        if cell.kind == "text":
            text = str(value).strip()
            if re.fullmatch(r"[0-9]{1,15}", text):
                return int(text), None
            guess = _guess_amount(text)
            code = "amount-as-text" if f.kind == "money" else "number-as-text"
            if guess is not None:
                return None, CellProblem(code, "intake.number_as_text_guess", {"value": text, "digits": _number(guess)})
            return None, CellProblem(code, "intake.number_as_text", {"value": text})
        return None, CellProblem("wrong-type", "intake.not_a_number", {"value": value})
    if f.kind == "date":
        if cell.kind == "date":
            return (value.date() if isinstance(value, dt.datetime) else value), None
        if cell.kind == "text":
            guess = _guess_date(str(value))
            if guess is not None:
                return None, CellProblem("date-as-text", "intake.date_as_text_guess",
                                         {"value": str(value).strip(), "date": guess.isoformat()})
            return None, CellProblem("date-as-text", "intake.date_as_text", {"value": str(value).strip()})
        return None, CellProblem("wrong-type", "intake.not_a_date", {"value": value})
    return None, CellProblem("wrong-type", "intake.not_text", {"value": value})


# --- writing the form ---------------------------------------------------------------------------


def defaults(f: Field) -> Any:
    """What a cell starts with: the schema's default for a plain value, or :data:`PREFILLED`."""
    if f.name in PREFILLED:
        return PREFILLED[f.name]
    if f.lang is not None or f.index is not None:
        return None
    default = getattr(f.info, "default", None)
    if default is None or default == [] or isinstance(default, BaseModel) or repr(default) == "PydanticUndefined":
        return None
    return default


def section_of(top: str) -> str:
    return next((key for key, tops in SECTIONS.items() if top in tops), "form.section.other")


def write_form(cat: Catalogue, lang: Language, out: Path, *, today: dt.date | None = None) -> None:
    """Write the proposal form for ``cat`` in ``lang`` to ``out`` (``.xlsx``)."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    declared = cat.languages
    cells = fields(declared)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _sheet_title(t("form.sheet", lang))
    guide = wb.create_sheet(_sheet_title(t("form.instructions_sheet", lang)))
    lists = wb.create_sheet(_sheet_title(t("form.lists_sheet", lang)))
    meta = wb.create_sheet(META_SHEET)

    bold = Font(bold=True)
    grey = Font(color="777777", size=8)
    thin = Side(style="thin", color="B7B7B7")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="FFF8D6")
    heading_fill = PatternFill("solid", fgColor="1F4E79")
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, width in (("A", 44), ("B", 22), ("C", 58), ("D", 42)):
        ws.column_dimensions[col].width = width

    ws["A1"] = t("form.title", lang, catalogue=languages.plain(languages.text(cat.site.name, lang)))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = t("form.intro", lang, instructions=guide.title)
    ws["A2"].alignment = wrap
    ws.merge_cells("A2:D2")
    ws.row_dimensions[2].height = 45
    for col, key in (("A", "form.head.field"), ("B", "form.head.path"), ("C", "form.head.value"), ("D", "form.head.help")):
        ws[f"{col}3"] = t(key, lang)
        ws[f"{col}3"].font = bold
    ws.freeze_panes = "A4"

    # The vocabularies, one column each, on their own sheet: the drop-downs point at them.
    list_ranges: dict[tuple[str, tuple], str] = {}
    column = 0
    for f in cells:
        options = choices_for(cat, f, lang)
        if options is None or (options.vocabulary, f.literal) in list_ranges:
            continue
        column += 1
        letter = ref(1, column)[:-1]
        lists.cell(1, column, options.vocabulary).font = bold
        for i, (_, shown) in enumerate(options.items, start=2):
            lists.cell(i, column, shown)
        lists.column_dimensions[letter].width = 48
        list_ranges[(options.vocabulary, f.literal)] = f"'{lists.title}'!${letter}$2:${letter}${len(options.items) + 1}"

    validations: dict[tuple, DataValidation] = {}

    def validation(f: Field) -> DataValidation:
        if f.kind in ("choice", "bool"):
            vocab = "bool" if f.kind == "bool" else f.vocabulary
            key: tuple = ("list", vocab, f.literal)
            make = lambda: DataValidation(type="list", formula1=list_ranges[(vocab, f.literal)])  # noqa: E731
            error = t("form.error.choice", lang)
        elif f.kind == "date":
            key = ("date",)
            make = lambda: DataValidation(type="date", operator="between", formula1="36526", formula2="73415")  # noqa: E731
            error = t("form.hint.date", lang)
        elif f.kind in ("whole", "money", "number"):
            lo = f.lo if f.lo is not None else 0
            hi = f.hi if f.hi is not None else 1e15
            kind = "whole" if f.kind in ("whole", "money") and float(lo).is_integer() else "decimal"
            if f.kind == "money":
                kind = "decimal"
            key = (kind, lo, hi, f.lo_open)
            lo_text = _number(lo + (1 if f.lo_open and kind == "whole" else 0))
            make = lambda: DataValidation(type=kind, operator="between", formula1=lo_text, formula2=_number(hi))  # noqa: E731
            error = hint(f, lang)
        elif f.max_length:
            key = ("length", f.max_length)
            make = lambda: DataValidation(type="textLength", operator="lessThanOrEqual",  # noqa: E731
                                          formula1=str(f.max_length))
            error = t("form.error.length", lang, max=f.max_length)
        else:
            key = ("none",)
            make = lambda: None  # type: ignore[assignment,return-value]  # noqa: E731
            error = ""
        if key not in validations:
            dv = make()
            if dv is not None:
                dv.allow_blank = True
                dv.showErrorMessage = True
                dv.errorTitle = t("form.error.title", lang)[:32]
                dv.error = error[:255]
                ws.add_data_validation(dv)
            validations[key] = dv
        return validations[key]

    row = 4
    current_section = None
    current_group: tuple | None = None
    for f in sorted(cells, key=lambda c: _order(c)):
        section = section_of(f.top)
        if section != current_section:
            row += 1
            ws.cell(row, 1, t(section, lang)).font = Font(bold=True, color="FFFFFF", size=12)
            for col in range(1, 5):
                ws.cell(row, col).fill = heading_fill
            current_section, row = section, row + 1
        group = _group(f)
        if group != current_group and group is not None:
            info, index = group[1], group[2]
            title = description(info, lang).rstrip(".") + (f" #{index + 1}" if index is not None else "")
            ws.cell(row, 1, title).font = Font(bold=True, italic=True)
            row += 1
        current_group = group
        ws.cell(row, 1, label(f, lang)).alignment = wrap
        ws.cell(row, 2, f.name).font = grey
        ws.cell(row, 2).alignment = wrap
        target = ws.cell(row, 3)
        start = defaults(f)
        options = choices_for(cat, f, lang)
        if start is not None:
            target.value = options.label_of(start) if options is not None else start
        target.fill, target.border, target.alignment = fill, box, wrap
        if f.kind == "date":
            target.number_format = "yyyy-mm-dd"
        elif f.kind == "money":
            target.number_format = "#,##0"
        elif f.kind in ("text", "longtext"):
            target.number_format = "@"
        note = hint(f, lang)
        if f.needed and f.container is None:
            note = t("form.required", lang) + (f"; {note}" if note else "")
        ws.cell(row, 4, note).alignment = wrap
        ws.cell(row, 4).font = Font(color="555555", size=9)
        lines = max(-(-len(ws.cell(row, 1).value) // 42), -(-len(note) // 40), 1)
        ws.row_dimensions[row].height = 60 if f.kind == "longtext" else 15 * lines
        dv = validation(f)
        if dv is not None:
            dv.add(target.coordinate)
        wb.defined_names[f.name] = DefinedName(f.name, attr_text=f"{_quoted(ws.title)}!${ref(row, 3)[0]}${row}")
        row += 1

    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    guide.column_dimensions["A"].width = 110
    guide["A1"] = t("form.instructions_title", lang)
    guide["A1"].font = Font(bold=True, size=14)
    steps = [t(f"form.instructions.{i}", lang, sheet=ws.title, lists=lists.title) for i in range(1, 8)]
    for i, text in enumerate(steps, start=3):
        guide.cell(i, 1, text).alignment = wrap
        guide.row_dimensions[i].height = 48

    lists.sheet_state = "hidden"
    meta.sheet_state = "hidden"
    for i, (key, value) in enumerate((("kind", FORM_KIND), ("schema", schema_version(declared)), ("lang", lang.code),
                                      ("made", (today or dt.date.today()).isoformat())), start=1):
        meta.cell(i, 1, key)
        meta.cell(i, 2, value)
    wb.active = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)


def _order(f: Field) -> tuple[int, int]:
    keys = list(SECTIONS)
    section = section_of(f.top)
    position = keys.index(section) if section in keys else len(keys)
    return (position, SECTIONS.get(section, ()).index(f.top) if f.top in SECTIONS.get(section, ()) else 99)


def _group(f: Field) -> tuple | None:
    """The list item or group a cell belongs to, for a sub-heading (``Địa bàn #2``)."""
    for i, part in enumerate(f.path):
        if isinstance(part, int) and i + 1 < len(f.path) and not (f.lang and i + 2 == len(f.path)):
            return (f.path[: i + 1], f.info if i + 1 == len(f.path) else _info_at(f.path[:i]), part)
    return None


def _info_at(path: tuple) -> Any:
    cls: Any = model.Need
    info = None
    for part in path:
        if isinstance(part, int):
            continue
        info = cls.model_fields[part]
        cls = _inner(info.annotation)
    return info


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31]


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"

"""The review sheet: one row per need for the review meeting, written back into the YAML files.

``aidcatalog review-sheet --out ra-soat.xlsx`` exports the fields a review meeting updates —
status, amount requested, counterpart funding (with the funding gap computed beside it), planned
start, date of review, contact — one row per need, the id and title beside them (read-only).
``--apply ra-soat.xlsx`` writes the cells that were changed back into the files, value by value
(:mod:`aidcatalog.yamledit`): comments, key order and layout stay as the staff wrote them.

Nothing is written unless every row is right: each cell is read as the form's cells are
(:func:`aidcatalog.form.read_cell`), the changed files are validated with the whole catalogue, and a
file changed since the sheet was exported is a conflict, not overwritten. Problems are located in
the sheet (``ra-soat.xlsx!Rà soát!F7: …``); the changes are printed as a diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import form, load, model, yamledit
from .catalogue import Catalogue
from .form import BLANK, META_SHEET, Field
from .intake import Issue
from .labels import t
from .languages import Language, Languages
from .validate import validate
from .workbook import NotAWorkbook, read, ref

REVIEW_KIND = "aidcatalog-review-sheet"
EXPORTED_SHEET = "_exported"
"""A hidden sheet with the values as exported: a cell differs from it only where the meeting changed it."""
EDITABLE = ("status", "budget.requested", "budget.counterpart.cash", "budget.counterpart.in_kind", "planned_start",
            "last_reviewed", "contact.name", "contact.role", "contact.email", "contact.phone")
"""What a review meeting updates (a text has one column per declared language)."""
GAP = "funding_gap"
"""A computed column: total cost less counterpart funding, the part that must come from donors."""
HEAD_ROWS = 2
"""Row 1: the labels; row 2: the field paths, by which columns are read (so they may be moved)."""


def columns(declared: Languages) -> tuple[list[Field], list[Field]]:
    """(read-only fields shown, editable fields), in the sheet's order."""
    every = {f.name: f for f in form.fields(declared, skip=("photos", "documents"))}
    shown = [every["id"], every[f"title.{declared.default.code}"], every["budget.currency"], every["budget.total"]]
    editable = [f for name in EDITABLE for f in every.values()
                if f.name == name or (f.lang is not None and f.name.rsplit(".", 1)[0] == name)]
    return shown, editable


def version(declared: Languages) -> str:
    shown, editable = columns(declared)
    text = "\n".join(f"{f.name}:{f.kind}:{f.vocabulary or ''}" for f in [*shown, *editable])
    return "review-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _needs(cat: Catalogue) -> list[tuple[str, Path, str]]:
    """(id, path, path as shown) of every need, published or not, by file."""
    base = Path(os.path.abspath(cat.root.parent))
    found = []
    for ident, shown in cat.sources.items():
        path = base / shown
        if ident in cat.raw and path.is_relative_to(Path(os.path.abspath(cat.root)) / "needs"):
            found.append((ident, path, shown))
    return sorted(found, key=lambda item: item[2])


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        if (isinstance(data, dict) and part in data) or (isinstance(data, list) and isinstance(part, int) and part < len(data)):
            data = data[part]
        else:
            return BLANK
    return BLANK if data is None else data


# --- export -----------------------------------------------------------------------------------------


def write_sheet(cat: Catalogue, lang: Language, out: Path, *, today: dt.date | None = None) -> int:
    """Write the review sheet; returns the number of needs in it."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    shown, editable = columns(cat.languages)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = t("review.sheet", lang)[:31]
    lists = wb.create_sheet(t("form.lists_sheet", lang)[:31])
    exported = wb.create_sheet(EXPORTED_SHEET)
    meta = wb.create_sheet(META_SHEET)
    grey = PatternFill("solid", fgColor="EDEDED")
    yellow = PatternFill("solid", fgColor="FFF8D6")
    small = Font(color="777777", size=8)
    every = [*shown, *editable]
    order: list[Field | None] = [*shown, None, *editable]
    options = {f.name: form.choices_for(cat, f, lang) for f in every}

    lists_col = 0
    validations: dict[str, DataValidation] = {}
    for f in editable:
        opts = options[f.name]
        if opts is not None and opts.vocabulary not in validations:
            lists_col += 1
            letter = ref(1, lists_col)[:-1]
            lists.cell(1, lists_col, opts.vocabulary)
            for i, (_, text) in enumerate(opts.items, start=2):
                lists.cell(i, lists_col, text)
            dv = DataValidation(type="list", formula1=f"'{lists.title}'!${letter}$2:${letter}${len(opts.items) + 1}")
            validations[opts.vocabulary] = dv
        elif f.kind == "date" and "date" not in validations:
            validations["date"] = DataValidation(type="date", operator="between", formula1="36526", formula2="73415")
        elif f.kind == "money" and "money" not in validations:
            validations["money"] = DataValidation(type="decimal", operator="between", formula1="0", formula2="10000000000000")
    for dv in validations.values():
        dv.allow_blank, dv.showErrorMessage = True, True
        dv.errorTitle = t("form.error.title", lang)[:32]
        dv.error = t("form.error.choice", lang)[:255]
        ws.add_data_validation(dv)

    letters: dict[str, str] = {}
    for col, f in enumerate(order, start=1):
        letter = ref(1, col)[:-1]
        name = f.name if f is not None else GAP
        letters[name] = letter
        head = ws.cell(1, col, form.label(f, lang).rstrip(" *") if f is not None else t("review.gap", lang))
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(2, col, name).font = small
        ws.column_dimensions[letter].width = 34 if f is not None and f.name.startswith("title") else 18
        exported.cell(1, col, name)
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = ws.cell(HEAD_ROWS + 1, 3)

    needs = _needs(cat)
    for row, (ident, _, _) in enumerate(needs, start=HEAD_ROWS + 1):
        data = cat.raw[ident]
        for col, f in enumerate(order, start=1):
            cell = ws.cell(row, col)
            if f is None:
                total, cash, kind = letters["budget.total"], letters["budget.counterpart.cash"], \
                    letters["budget.counterpart.in_kind"]
                cell.value = f"=N({total}{row})-N({cash}{row})-N({kind}{row})"
                cell.fill, cell.number_format = grey, "#,##0"
                continue
            value = _get(data, f.path)
            if value is not BLANK:
                opts = options[f.name]
                cell.value = opts.label_of(value) if opts is not None else value
                exported.cell(row, col, value if not isinstance(value, bool) else str(value).lower())
            if f.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif f.kind == "money":
                cell.number_format = "#,##0"
            elif f.kind == "text":
                cell.number_format = "@"
            if f in shown:
                cell.fill = grey
            else:
                cell.fill = yellow
                opts = options[f.name]
                key = opts.vocabulary if opts is not None else f.kind
                if key in validations:
                    validations[key].add(cell.coordinate)
    for sheet in (lists, exported, meta):
        sheet.sheet_state = "hidden"
    for i, (key, value) in enumerate((("kind", REVIEW_KIND), ("schema", version(cat.languages)), ("lang", lang.code),
                                      ("sheet", ws.title), ("made", (today or dt.date.today()).isoformat())), start=1):
        meta.cell(i, 1, key)
        meta.cell(i, 2, value)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)
    return len(needs)


# --- apply -------------------------------------------------------------------------------------------


@dataclass
class Change:
    ident: str
    path: Path
    shown: str
    field: Field
    old: Any
    new: Any
    sheet: str
    cell: str


@dataclass
class Applied:
    issues: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    diff: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def _same(a: Any, b: Any) -> bool:
    if a is BLANK or b is BLANK:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def apply(path: Path, shown_name: str, cat: Catalogue, lang: Language, *, dry_run: bool = False) -> Applied:
    """Write a filled review sheet's changed cells back into the catalogue's files."""
    result = Applied()

    def whole(key: str, code: str, **params: Any) -> Applied:
        result.issues.append(Issue(shown_name, "", "", code, "", key, params))
        return result

    try:
        book = read(path)
    except NotAWorkbook as exc:
        return whole(exc.reason, "not-a-review-sheet", **exc.params)
    meta = book.sheet(META_SHEET)
    values = {str(meta.cell(r, 1).value): meta.cell(r, 2).value for r in range(1, meta.max_row + 1)} if meta else {}
    if values.get("kind") != REVIEW_KIND:
        return whole("review.not_a_sheet", "not-a-review-sheet")
    expected = version(cat.languages)
    if values.get("schema") != expected:
        return whole("intake.old_version", "form-version", found=values.get("schema") or "?", expected=expected)
    sheet = book.sheet(str(values.get("sheet")))
    exported = book.sheet(EXPORTED_SHEET)
    if sheet is None or exported is None:
        return whole("review.not_a_sheet", "not-a-review-sheet")
    _shown, editable = columns(cat.languages)
    by_name = {f.name: f for f in editable}
    cols = {str(sheet.cell(HEAD_ROWS, c).value): c for c in range(1, sheet.max_col + 1)
            if sheet.cell(HEAD_ROWS, c).kind == "text"}
    ex_cols = {str(exported.cell(1, c).value): c for c in range(1, exported.max_col + 1)}
    if "id" not in cols or "id" not in ex_cols:
        return whole("review.no_id", "not-a-review-sheet")
    ex_rows = {str(exported.cell(r, ex_cols["id"]).value): r for r in range(2, exported.max_row + 1)
               if not exported.cell(r, ex_cols["id"]).empty}
    needs = {ident: (p, s) for ident, p, s in _needs(cat)}
    made_in = str(values.get("lang") or "")
    labels_lang = cat.languages.get(made_in) if made_in in cat.languages else lang
    options = {f.name: form.choices_for(cat, f, labels_lang) for f in editable}
    seen: dict[str, int] = {}
    for row in range(HEAD_ROWS + 1, sheet.max_row + 1):
        id_cell = sheet.cell(row, cols["id"])
        if id_cell.empty:
            if any(not sheet.cell(row, c).empty for name, c in cols.items() if name in by_name):
                result.issues.append(Issue(shown_name, sheet.name, ref(row, cols["id"]), "unknown-id", "id",
                                           "review.no_row_id"))
            continue
        ident = str(id_cell.value).strip()
        if ident not in needs or ident not in ex_rows:
            result.issues.append(Issue(shown_name, sheet.name, ref(row, cols["id"]), "unknown-id", "id",
                                       "review.unknown_id", {"id": ident}))
            continue
        if ident in seen:
            result.issues.append(Issue(shown_name, sheet.name, ref(row, cols["id"]), "duplicate-id", "id",
                                       "review.twice", {"id": ident, "row": seen[ident]}))
            continue
        seen[ident] = row
        file_path, file_shown = needs[ident]
        for name, f in by_name.items():
            if name not in cols:
                continue
            col = cols[name]
            where = ref(row, col)
            if sheet.merged_range(row, col) is not None:
                result.issues.append(Issue(shown_name, sheet.name, where, "merged-cell", name, "intake.merged",
                                           {"range": where}))
                continue
            new, problem = form.read_cell(f, sheet.cell(row, col), options[name])
            if problem is not None:
                result.issues.append(Issue(shown_name, sheet.name, where, problem.code, name, problem.key,
                                           {**problem.params, "vocabulary": f.vocabulary or ""}))
                continue
            before = BLANK
            if name in ex_cols:
                before, _ = form.read_cell(f, exported.cell(ex_rows[ident], ex_cols[name]), options[name])
                before = BLANK if before is None else before
            current = _get(cat.raw[ident], f.path)
            if _same(new, before) or _same(new, current):
                continue
            if not _same(current, before):
                result.issues.append(Issue(shown_name, sheet.name, where, "conflict", name, "review.conflict",
                                           {"file": file_shown, "now": _show(current, lang), "sheet": _show(new, lang)}))
                continue
            result.changes.append(Change(ident, file_path, file_shown, f, current, new, sheet.name, where))
    if not result.ok or not result.changes:
        return result

    texts: dict[Path, tuple[str, str]] = {}
    for change in result.changes:
        if change.path not in texts:
            original = change.path.read_bytes().decode("utf-8")
            texts[change.path] = (original, original)
        old_text, text = texts[change.path]
        try:
            text = yamledit.set_value(text, change.field.path, yamledit.DELETE if change.new is BLANK else change.new,
                                      before=_before)
        except yamledit.CannotEdit:
            result.issues.append(Issue(shown_name, change.sheet, change.cell, "cannot-edit", change.field.name,
                                       "review.cannot_edit", {"file": change.shown}))
            continue
        texts[change.path] = (old_text, text)
    for change in result.changes:  # the edit did what was meant, and nothing else
        if change.path not in texts:
            continue
        doc, _ = load.parse(texts[change.path][1].encode("utf-8"), change.shown)
        got = _get(doc.data, change.field.path) if doc is not None else None
        if doc is None or not _same(got, change.new):
            result.issues.append(Issue(shown_name, change.sheet, change.cell, "cannot-edit", change.field.name,
                                       "review.cannot_edit", {"file": change.shown}))
    if not result.ok:
        return result

    with tempfile.TemporaryDirectory(prefix="aidcatalog-review-") as tmp:
        root = Path(os.path.abspath(cat.root))
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".*"))
        for file_path, (_, text) in texts.items():
            (copy / file_path.relative_to(root)).write_text(text, encoding="utf-8")
        report = validate(copy, shown_from=Path(tmp))
    changed = {(Path(root.name) / p.relative_to(root)).as_posix(): p for p in texts}
    for problem in report.problems:
        if problem.severity != "error" and problem.file not in changed:
            continue
        where = (f"{problem.file}:{problem.line}:{problem.column}", "", "")
        if problem.file in changed:
            ident = next(c.ident for c in result.changes if c.path == changed[problem.file])
            col = _column_of(problem.field, cols) or cols["id"]
            where = (shown_name, sheet.name, ref(seen[ident], col))
        result.issues.append(Issue(*where, problem.code, problem.field, problem=problem, severity=problem.severity))
    if not result.ok:
        return result

    diff = []
    for change_path, (old_text, new_text) in texts.items():
        shown_file = next(c.shown for c in result.changes if c.path == change_path)
        diff.extend(difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True), f"a/{shown_file}",
                                         f"b/{shown_file}", n=0))
    result.diff = "".join(diff)
    if not dry_run:
        _write_all({p: new for p, (_, new) in texts.items()}, {p: old for p, (old, _) in texts.items()})
        result.written = True
    return result


def _before(path: tuple) -> list[str]:
    """The keys the schema puts before the last one of ``path``, in order."""
    cls: Any = model.Need
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        info = cls.model_fields.get(part) if hasattr(cls, "model_fields") else None
        cls = form._inner(info.annotation) if info is not None else None
    names = list(getattr(cls, "model_fields", {}))
    last = path[-1]
    return names[: names.index(last)] if last in names else []


def _column_of(dotted: str, cols: dict[str, int]) -> int | None:
    if dotted in cols:
        return cols[dotted]
    inside = [c for name, c in cols.items() if name.startswith(dotted + ".")]
    if inside:
        return inside[0]
    parts = dotted.split(".")
    while parts:
        parts.pop()
        if ".".join(parts) in cols:
            return cols[".".join(parts)]
    return None


def _show(value: Any, lang: str) -> str:
    if value is BLANK:
        return t("review.empty", lang)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _write_all(new: dict[Path, str], old: dict[Path, str]) -> None:
    """Replace every file, each atomically; if one cannot be written, put back those already written."""
    done: list[Path] = []
    try:
        for path, text in new.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                    out.write(text)
                shutil.copymode(path, tmp)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
            done.append(path)
    except BaseException:
        for path in done:
            path.write_text(old[path], encoding="utf-8")
        raise



"""Filled proposal forms → draft entries (``aidcatalog import``).

Each workbook is read through its defined names (:mod:`aidcatalog.form`), never by cell position.
What cannot be taken as it is — a formula, a date typed as text, ``5 tỷ`` in an amount cell, a
merged or deleted input cell, a form made for an older schema — is reported with its workbook,
sheet and cell, ``de-xuat.xlsx!Đề xuất!C12: amount-as-text: budget.total: …``, and that workbook
writes nothing. A workbook read cleanly becomes a commented YAML file with ``status: draft`` and a
fresh id, in the folder of its first sector, validated as a draft together with the whole
catalogue before it is written; the file is created whole or not at all, and never replaces
another.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import form, languages, model
from .catalogue import Catalogue
from .form import BLANK, FORM_KIND, META_SHEET, Field
from .labels import t
from .languages import Language
from .problems import Problem
from .text import slugify
from .validate import validate
from .workbook import NotAWorkbook, read, ref


@dataclass(frozen=True)
class Issue:
    """A problem located in a workbook: ``file!sheet!cell: code: field: message``."""

    file: str
    sheet: str
    cell: str
    code: str
    field: str
    key: str = ""
    """A label key (the message is the program's own)…"""
    params: dict[str, Any] | None = None
    problem: Problem | None = None
    """…or a validator's problem, whose message it prints."""
    severity: str = "error"

    def format(self, lang: str) -> str:
        where = "!".join(part for part in (self.file, self.sheet, self.cell) if part)
        message = self.problem.message(lang) if self.problem is not None else t(self.key, lang, **(self.params or {}))
        label = t("intake.warning", lang) + ": " if self.severity == "warning" else ""
        return f"{where}: {self.code}: {label}{self.field + ': ' if self.field else ''}{message}"


@dataclass
class Draft:
    """One workbook's need, as read."""

    source: str
    data: dict[str, Any]
    origin: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Field path of the data (``sectors.0``) → (sheet, cell) it came from."""
    proposed_status: Any = None
    path: Path | None = None
    text: str = ""


@dataclass
class Outcome:
    issues: list[Issue] = field(default_factory=list)
    written: list[tuple[str, Path]] = field(default_factory=list)
    """(workbook, the new file): written, or that would be written in a dry run."""

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def read_form(path: Path, shown: str, cat: Catalogue, lang: Language) -> tuple[Draft | None, list[Issue]]:
    """One filled form → its need as data, or the issues that stop it."""

    def whole(key: str, code: str, **params: Any) -> list[Issue]:
        return [Issue(shown, "", "", code, "", key, params)]

    try:
        book = read(path)
    except NotAWorkbook as exc:
        return None, whole(exc.reason, "not-a-form", **exc.params)
    meta = book.sheet(META_SHEET)
    values = {str(meta.cell(r, 1).value): meta.cell(r, 2).value for r in range(1, meta.max_row + 1)} if meta else {}
    if values.get("kind") != FORM_KIND:
        return None, whole("intake.not_a_form", "not-a-form")
    expected = form.schema_version(cat.languages)
    if values.get("schema") != expected:
        return None, whole("intake.old_version", "form-version", found=values.get("schema") or "?", expected=expected)

    # Labels are read in the language the form was made in, whatever the language of the messages.
    made_in = str(values.get("lang") or "")
    labels_lang = cat.languages.get(made_in) if made_in in cat.languages else lang
    issues: list[Issue] = []
    cells: dict[str, tuple[Field, Any, str, str]] = {}
    for f in form.fields(cat.languages):
        where = book.names.get(f.name, ...)
        if where is ...:
            issues.append(Issue(shown, "", "", "deleted-cell", f.name, "intake.no_name"))
            continue
        if where is None:
            issues.append(Issue(shown, "", "", "deleted-cell", f.name, "intake.deleted"))
            continue
        sheet_name, row, col = where
        sheet = book.sheets[sheet_name]
        merged = sheet.merged_range(row, col)
        if merged is not None:
            issues.append(Issue(shown, sheet_name, ref(row, col), "merged-cell", f.name, "intake.merged",
                                {"range": f"{ref(merged[0], merged[1])}:{ref(merged[2], merged[3])}"}))
            continue
        options = form.choices_for(cat, f, labels_lang)
        value, problem = form.read_cell(f, sheet.cell(row, col), options)
        if problem is not None:
            params = {**problem.params, "vocabulary": f.vocabulary or ""}
            issues.append(Issue(shown, sheet_name, ref(row, col), problem.code, f.name, problem.key, params))
            continue
        cells[f.name] = (f, value, sheet_name, ref(row, col))
    if issues:
        return None, issues

    filled = {name for name, (_, value, _, _) in cells.items() if value is not BLANK}
    for _name, (f, value, sheet_name, cell) in cells.items():
        if value is not BLANK or not f.needed:
            continue
        group = ".".join(str(p) for p in f.container) + "." if f.container is not None else None
        if group is None or any(other.startswith(group) for other in filled):
            key = "intake.required_text" if f.lang is not None else "intake.required"
            issues.append(Issue(shown, sheet_name, cell, "missing-field", f.name, key,
                                {"language": f.lang.name if f.lang is not None else ""}))
    if issues:
        return None, issues

    draft = Draft(shown, {})
    for f, value, _, _ in cells.values():
        if value is not BLANK:
            _place(draft.data, f.path, value)
    _compact(draft.data, ())
    # Where each value ended up, once empty list slots are closed up: for the validator's problems.
    for f, value, sheet_name, cell in cells.values():
        if value is not BLANK:
            draft.origin[_final(f.path, cells)] = (sheet_name, cell)
    draft.proposed_status = draft.data.get("status")
    return draft, []


def _place(data: dict, path: tuple, value: Any) -> None:
    """Set a value at its path; list positions are keys until :func:`_compact` makes lists of them."""
    node: Any = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _compact(node: Any, at: tuple) -> Any:
    """Lists were filled as {position: value}: make them lists, empty positions closed up."""
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _compact(node[key], (*at, key))
        if node and all(isinstance(k, int) for k in node):
            return [node[k] for k in sorted(node)]
    return node


def _final(path: tuple, cells: dict[str, tuple]) -> str:
    """``locations.3.commune`` → ``locations.1.commune`` when slots 1 and 2 were left empty."""
    out: list[str] = []
    for i, part in enumerate(path):
        if isinstance(part, int):
            prefix = ".".join(str(p) for p in path[:i])
            used = sorted({int(name[len(prefix) + 1:].split(".")[0]) for name, (_, v, _, _) in cells.items()
                           if v is not BLANK and name.startswith(prefix + ".")
                           and name[len(prefix) + 1:].split(".")[0].isdigit()})
            out.append(str(used.index(part)) if part in used else str(part))
        else:
            out.append(str(part))
    return ".".join(out)


# --- the YAML file ----------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key and short lists of ids on one line, as the staff write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list) -> Any:
    flat = all(isinstance(v, str | int) and "\n" not in str(v) and len(str(v)) < 40 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def render(draft: Draft, ident: str, cat: Catalogue, today: dt.date) -> str:
    """The draft as a commented YAML file in the catalogue's default language."""
    lang = cat.languages.default
    data = dict(draft.data)
    data["id"] = ident
    data["status"] = "draft"
    data["last_reviewed"] = today
    title = languages.plain(languages.text(data.get("title"), lang)) if data.get("title") else ident
    lines = [
        f"# {t('intake.yaml.title', lang, title=title)}",
        f"# {t('intake.yaml.imported', lang, source=Path(draft.source).name, date=today.isoformat())}",
        f"# {t('intake.yaml.next', lang)}",
    ]
    proposed = draft.proposed_status
    if proposed and proposed != "draft":
        lines.append(f"# {t('intake.yaml.proposed_status', lang, status=proposed)}")
    for name, info in model.Need.model_fields.items():
        if name not in data:
            continue
        lines.append(f"# {form.description(info, lang)}")
        block = yaml.dump({name: data[name]}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
        lines.append(block.rstrip("\n"))
    return "\n".join(lines) + "\n"


def fresh_id(title: str, taken: set[str], root: Path) -> str:
    base = slugify(title) if title else "de-xuat"
    ident, n = base, 2
    while ident in taken or any(root.glob(f"needs/**/{ident}.yaml")) or any(root.glob(f"stories/**/{ident}.yaml")):
        ident, n = f"{base}-{n}", n + 1
    return ident


# --- the whole import ------------------------------------------------------------------------


def run(paths: list[Path], cat: Catalogue, lang: Language, *, dry_run: bool = False,
        today: dt.date | None = None) -> Outcome:
    """Import every workbook in ``paths`` into ``cat``'s folder (nothing is written with ``dry_run``)."""
    today = today or dt.date.today()
    outcome = Outcome()
    drafts: list[Draft] = []
    taken = set(cat.sources) | set(cat.unpublished) | set(cat.raw)
    for path in paths:
        shown = str(path)
        draft, issues = read_form(path, shown, cat, lang)
        outcome.issues.extend(issues)
        if draft is None:
            continue
        sectors = draft.data.get("sectors") or []
        title = draft.data.get("title", {}).get(cat.languages.default.code, "")
        ident = fresh_id(title, taken, cat.root)
        taken.add(ident)
        draft.path = cat.root / "needs" / str(sectors[0]) / f"{ident}.yaml"
        draft.text = render(draft, ident, cat, today)
        drafts.append(draft)
    if not drafts:
        return outcome

    # Validate the new files as drafts, with the whole catalogue, in a copy of it.
    with tempfile.TemporaryDirectory(prefix="aidcatalog-import-") as tmp:
        copy = Path(tmp) / cat.root.resolve().name
        shutil.copytree(cat.root, copy, ignore=shutil.ignore_patterns(".*"))
        shown_new: dict[str, Draft] = {}
        for draft in drafts:
            assert draft.path is not None
            target = copy / draft.path.relative_to(cat.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(draft.text, encoding="utf-8")
            shown_new[(Path(copy.name) / draft.path.relative_to(cat.root)).as_posix()] = draft
        report = validate(copy, shown_from=Path(tmp))
    failed: set[int] = set()
    for problem in report.problems:
        draft = shown_new.get(problem.file)
        if draft is None:
            continue
        sheet, cell = _locate(draft, problem.field)
        outcome.issues.append(Issue(draft.source, sheet, cell, problem.code, problem.field, problem=problem,
                                    severity=problem.severity))
        if problem.severity == "error":
            failed.add(id(draft))
    for draft in drafts:
        if id(draft) in failed:
            continue
        assert draft.path is not None
        if dry_run:
            outcome.written.append((draft.source, draft.path))
            continue
        try:
            _create(draft.path, draft.text)
        except OSError as exc:
            outcome.issues.append(Issue(draft.source, "", "", "not-written", "", "intake.not_written",
                                        {"path": draft.path, "reason": exc.strerror or exc}))
            continue
        outcome.written.append((draft.source, draft.path))
    return outcome


def _locate(draft: Draft, dotted: str) -> tuple[str, str]:
    """The cell a validator's field path came from: itself, else the first cell inside it."""
    if dotted in draft.origin:
        return draft.origin[dotted]
    inside = [name for name in draft.origin if name.startswith(dotted + ".")] if dotted else []
    if inside:
        return draft.origin[inside[0]]
    parts = dotted.split(".")
    while parts:
        parts.pop()
        if ".".join(parts) in draft.origin:
            return draft.origin[".".join(parts)]
    return ("", "")


def _create(path: Path, text: str) -> None:
    """Write a new file whole, or not at all; never over an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, path)  # fails if the file exists: never overwrite
    finally:
        os.unlink(tmp)

"""The proposal form, its import and the review sheet (issue 14).

The form is filled through its defined names only (never by cell position), imported, validated;
a corpus of broken forms gives each its exact cell and code; the review sheet round trip changes
exactly the values changed in the sheet and keeps every comment.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from catalog_helpers import copy_catalog, run
from site_helpers import require

from aidcatalog import form, languages, model
from aidcatalog.validate import validate

TODAY = dt.date.today()

ANSWERS: dict[str, Any] = {
    "title.vi": "Nâng cấp trạm y tế xã Cao Sơn",
    "title.en": "Upgrading the Cao Sơn commune health station",
    "summary.vi": "Sửa chữa trạm y tế và trang bị thiết bị khám chữa bệnh cơ bản.",
    "sectors.0": "health",
    "sectors.1": "water-sanitation",
    "themes.0": "ethnic-minorities",
    "sdgs.0": 3,
    "sdgs.1": 6,
    "locations.0.commune": "cao-son",
    "locations.0.detail.vi": "Trạm y tế xã",
    "locations.1.commune": "da-bac",
    "context.vi": "Trạm xuống cấp.\nThiếu thiết bị.",
    "objectives.0.vi": "Cải thiện chăm sóc sức khoẻ ban đầu.",
    "activities.0.vi": "Sửa chữa nhà trạm.",
    "activities.1.vi": "Mua thiết bị.",
    "expected_results.0.indicator.vi": "Lượt khám mỗi năm",
    "expected_results.0.target": 5000,
    "expected_results.0.unit.vi": "lượt",
    "beneficiaries.groups.0": "women",
    "beneficiaries.direct": 4200,
    "beneficiaries.women_share": 51.5,
    "budget.total": 2_500_000_000,
    "budget.currency": "VND",
    "budget.requested": 2_000_000_000,
    "budget.counterpart.cash": 300_000_000,
    "duration_months": 18,
    "planned_start": dt.date(2027, 4, 1),
    "proposer.vi": "UBND xã Cao Sơn",
    "contact.name": "Nguyễn Thị Lan",
    "contact.role.vi": "Trưởng trạm y tế",
    "contact.email": "tramyte@example.gov.vn",
    "contact.phone": "+84 218 3800 000",
    "readiness.concept_note": True,
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    """The form, made once from the shipped catalogue."""
    folder = tmp_path_factory.mktemp("form")
    out = folder / "de-xuat.xlsx"
    assert run_quiet("form", str(copy_catalog(folder)), "--out", str(out)) == 0
    return out


def run_quiet(*argv: str) -> int:
    from aidcatalog.cli import main

    return main(list(argv))


def destination(wb: openpyxl.Workbook, name: str) -> tuple[str, str]:
    (sheet, coord), = wb.defined_names[name].destinations
    return sheet, coord.replace("$", "")


def fill(blank: Path, out: Path, answers: dict[str, Any], labels: bool = True) -> Path:
    """Fill a copy of the form through its defined names; choices by label as a person picks them."""
    wb = openpyxl.load_workbook(blank)
    lang = languages.DEFAULT.default
    cat = validate(blank.parent / "catalog").catalogue
    cells = {f.name: f for f in form.fields(cat.languages)}
    for name, value in answers.items():
        sheet, coord = destination(wb, name)
        options = form.choices_for(cat, cells[name], lang)
        if labels and options is not None:
            value = options.label_of(value)
        wb[sheet][coord] = value
    wb.save(out)
    return out


def imported(cat: Path) -> list[Path]:
    return sorted(p for p in cat.glob("needs/*/*.yaml") if "Nhập từ biểu mẫu" in p.read_text(encoding="utf-8"))


def at(data: Any, name: str) -> Any:
    for part in name.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


# --- the form and the schema agree ------------------------------------------------------------------


def test_every_field_of_the_schema_has_its_named_cell_and_every_name_is_a_field(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    names = {n for n in wb.defined_names}
    cat = validate(blank.parent / "catalog").catalogue
    expected = {f.name for f in form.fields(cat.languages)}
    assert names == expected
    # Every leaf of the schema (but those the department fills) is there, once per declared language for texts.
    from aidcatalog.validate import iter_fields

    for dotted, info, _ in iter_fields(model.Need):
        top = dotted.split(".")[0].rstrip("[]")
        if top in form.SKIP or info.annotation is None:
            continue
        pattern = re.escape(dotted).replace(r"\[\]", r"\.[0-9]+")
        assert any(re.fullmatch(pattern + r"(\.[0-9]+)?(\.[a-z_]+)*", n) for n in names), dotted
    for lang in cat.languages:
        assert f"title.{lang.code}" in names


def test_drop_downs_hold_every_term_of_every_vocabulary(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    cat = validate(blank.parent / "catalog").catalogue
    lang = cat.languages.default
    ws = wb.worksheets[0]
    lists = wb[wb.sheetnames[2]]
    columns = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                        if lists.cell(r, c).value is not None] for c in range(1, lists.max_column + 1)}
    assert len(columns["localities"]) == len(cat.localities) == 148
    assert "Xã Cao Sơn (trước đây thuộc Huyện Đà Bắc) [cao-son]" in columns["localities"]
    for name in ("sectors", "themes", "statuses", "beneficiary_groups", "modalities", "sdgs"):
        assert len(columns[name]) == len(cat.vocab[name]), name
    # Each vocabulary cell has a list validation pointing at its column; numbers and dates are typed.
    kinds: dict[str, str] = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                kinds[f"C{row}"] = dv.type
    cells = form.fields(cat.languages)
    for f in cells:
        coord = destination(wb, f.name)[1]
        expected = {"choice": "list", "bool": "list", "date": "date", "whole": "whole", "money": "decimal",
                    "number": "decimal"}.get(f.kind)
        if expected:
            assert kinds.get(coord) == expected, (f.name, coord, kinds.get(coord))
    assert ws[destination(wb, "planned_start")[1]].number_format == "yyyy-mm-dd"
    assert form.label(next(f for f in cells if f.name == "budget.total"), lang).startswith("Tổng kinh phí dự án")
    meta = wb[form.META_SHEET]
    assert meta["B2"].value == form.schema_version(cat.languages)


# --- import -------------------------------------------------------------------------------------------


def test_a_filled_form_becomes_a_draft_that_validates_and_carries_those_values(blank: Path, tmp_path: Path,
                                                                               capsys) -> None:
    cat = copy_catalog(tmp_path)
    filled = fill(blank, tmp_path / "de-xuat.xlsx", ANSWERS)
    code, out, err = run(capsys, "import", str(filled), "--catalog", str(cat))
    assert code == 0, err
    [path] = imported(cat)
    assert path.parent.name == "health" and path.name == "nang-cap-tram-y-te-xa-cao-son.yaml"
    assert "Đã ghi" in out and str(path.relative_to(tmp_path)) in out
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["status"] == "draft" and data["last_reviewed"] == TODAY
    for name, value in ANSWERS.items():
        assert at(data, name) == value, name
    report = validate(cat)
    assert report.ok, [p.format("en") for p in report.problems if p.severity == "error"]
    assert [p for p in report.problems if p.file.endswith(path.name)] == []
    # A second import of the same form makes a second draft; the first is never replaced.
    before = path.read_text(encoding="utf-8")
    code, out, err = run(capsys, "import", str(filled), "--catalog", str(cat))
    assert code == 0, err
    assert path.read_text(encoding="utf-8") == before
    assert {p.name for p in imported(cat)} == {path.name, "nang-cap-tram-y-te-xa-cao-son-2.yaml"}, out


def test_dry_run_writes_nothing(blank: Path, tmp_path: Path, capsys) -> None:
    cat = copy_catalog(tmp_path)
    filled = fill(blank, tmp_path / "de-xuat.xlsx", ANSWERS)
    code, out, _ = run(capsys, "import", str(filled), "--catalog", str(cat), "--dry-run", "--lang", "en")
    assert code == 0 and "Would write" in out
    assert imported(cat) == []


def test_a_libreoffice_copy_imports_the_same(blank: Path, tmp_path: Path, capsys) -> None:
    soffice = require("soffice", "apt-get install libreoffice-calc-nogui")
    filled = fill(blank, tmp_path / "de-xuat.xlsx", ANSWERS)
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "ods",
                           "--outdir", str(tmp_path / "ods"), str(filled)], capture_output=True, text=True, timeout=180)
    ods = tmp_path / "ods" / "de-xuat.ods"
    assert ods.is_file(), done.stderr
    results = []
    for source in (filled, ods):
        cat = copy_catalog(tmp_path / source.suffix.strip("."))
        code, _, err = run(capsys, "import", str(source), "--catalog", str(cat))
        assert code == 0, err
        [path] = imported(cat)
        text = path.read_text(encoding="utf-8")
        results.append(re.sub(r"^# Nhập từ.*\n", "", text, flags=re.M))
    assert results[0] == results[1]


# --- broken forms: each problem with its cell and code -------------------------------------------------


def _break(case: str, wb: openpyxl.Workbook) -> None:
    ws = wb.worksheets[0]

    def cell(name: str):
        return ws[destination(wb, name)[1]]

    if case == "amount-billions-in-words":
        cell("budget.total").value = "5 tỷ"
    elif case == "amount-with-dots":
        cell("budget.requested").value = "1.200.000.000"
    elif case == "date-as-text":
        cell("planned_start").value = "01/04/2027"
    elif case == "formula":
        cell("budget.total").value = "=2000000000+500000000"
    elif case == "merged":
        coord = destination(wb, "contact.email")[1]
        ws.merge_cells(f"{coord}:D{coord[1:]}")
    elif case == "deleted":
        wb.defined_names["duration_months"].attr_text = "#REF!"
    elif case == "name-removed":
        del wb.defined_names["proposer.vi"]
    elif case == "not-in-list":
        cell("sectors.0").value = "Y tế công cộng"
    elif case == "required-empty":
        cell("title.vi").value = None
    elif case == "invalid-email":
        cell("contact.email").value = "tramyte(at)example"
    elif case == "old-version":
        wb[form.META_SHEET]["B2"].value = "need-000000000000"
    elif case == "not-a-form":
        del wb[form.META_SHEET]


CORPUS = [
    # case, code, field whose cell is named (None: the whole workbook)
    ("amount-billions-in-words", "amount-as-text", "budget.total"),
    ("amount-with-dots", "amount-as-text", "budget.requested"),
    ("date-as-text", "date-as-text", "planned_start"),
    ("formula", "formula", "budget.total"),
    ("merged", "merged-cell", "contact.email"),
    ("deleted", "deleted-cell", None),
    ("name-removed", "deleted-cell", None),
    ("not-in-list", "not-in-vocabulary", "sectors.0"),
    ("required-empty", "missing-field", "title.vi"),
    ("invalid-email", "bad-format", "contact.email"),
    ("old-version", "form-version", None),
    ("not-a-form", "not-a-form", None),
]


@pytest.mark.parametrize(("case", "code", "name"), CORPUS, ids=[c[0] for c in CORPUS])
def test_a_broken_form_names_its_cell_and_writes_nothing(blank: Path, tmp_path: Path, capsys, case: str, code: str,
                                                        name: str | None) -> None:
    cat = copy_catalog(tmp_path)
    filled = fill(blank, tmp_path / "de-xuat.xlsx", ANSWERS)
    wb = openpyxl.load_workbook(filled)
    cell = destination(wb, name)[1] if name else None
    _break(case, wb)
    wb.save(filled)
    exit_code, out, err = run(capsys, "import", str(filled), "--catalog", str(cat))
    assert exit_code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines, out
    if cell:
        assert lines[0].startswith(f"{filled}!Đề xuất!{cell}: {code}: {name}: "), lines
    else:
        assert re.match(rf"{re.escape(str(filled))}: {code}: ", lines[0]), lines
    assert imported(cat) == [] and not list(cat.glob("needs/**/.*"))


def test_messages_in_english_and_the_amount_guessed_back(blank: Path, tmp_path: Path, capsys) -> None:
    cat = copy_catalog(tmp_path)
    filled = fill(blank, tmp_path / "de-xuat.xlsx", {**ANSWERS, "budget.total": "5 tỷ", "budget.requested": "1.200.000.000"},
                  labels=True)
    _, _, err = run(capsys, "import", str(filled), "--catalog", str(cat), "--lang", "en")
    assert "`5 tỷ` is text, not a number: type digits only, e.g. 5000000000" in err
    assert "e.g. 1200000000" in err


def test_not_a_workbook_at_all(tmp_path: Path, capsys) -> None:
    cat = copy_catalog(tmp_path)
    fake = tmp_path / "de-xuat.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    word = tmp_path / "de-xuat.docx"
    word.write_bytes(b"PK")
    code, _, err = run(capsys, "import", str(fake), str(word), "--catalog", str(cat))
    assert code == 1 and "Traceback" not in err
    assert f"{fake}: not-a-form: " in err and f"{word}: not-a-form: " in err


# --- the review sheet ----------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    git = require("git", "apt-get install git")
    return subprocess.run([git, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    cat = copy_catalog(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "catalogue")
    return cat


def _sheet_cells(path: Path) -> tuple[openpyxl.Workbook, dict[str, int], dict[str, int]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cols = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, cols["id"]).value: r for r in range(3, ws.max_row + 1)}
    return wb, cols, rows


def test_review_sheet_round_trip_changes_exactly_three_values_and_keeps_comments(repo: Path, tmp_path: Path,
                                                                                 capsys) -> None:
    sheet = tmp_path / "ra-soat.xlsx"
    code, out, _ = run(capsys, "review-sheet", str(repo), "--out", str(sheet))
    assert code == 0
    wb, cols, rows = _sheet_cells(sheet)
    needs = sorted(repo.glob("needs/*/*.yaml"))
    assert len(rows) == len(needs)
    ws = wb.worksheets[0]
    cat = validate(repo).catalogue
    status = form.choices(cat, "statuses", "vi").label_of("on-hold")
    ws.cell(rows["health-station-tien-phong"], cols["status"]).value = status
    ws.cell(rows["health-station-tien-phong"], cols["budget.requested"]).value = 220000
    ws.cell(rows["first-1000-days-yen-lap"], cols["last_reviewed"]).value = dt.date(2026, 11, 30)
    wb.save(sheet)
    comments_before = {p: [ln for ln in p.read_text(encoding="utf-8").splitlines() if "#" in ln] for p in needs}

    code, out, err = run(capsys, "review-sheet", str(repo), "--apply", str(sheet))
    assert code == 0, err
    assert "-status: calling\n+status: on-hold" in out
    assert "Đã đổi 3 giá trị trong 2 tệp." in out
    diff = _git(repo.parent, "diff", "-U0", "--no-color")
    removed = [ln for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    added = [ln for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    assert len(removed) == 3 and "-status: calling" in removed and "-  requested: 225000" in removed
    assert sorted(added) == sorted(["+status: on-hold", "+  requested: 220000", "+last_reviewed: 2026-11-30"])
    assert _git(repo.parent, "diff", "--stat").count("|") == 2
    for path, lines in comments_before.items():
        now = path.read_text(encoding="utf-8").splitlines()
        assert [ln for ln in now if "#" in ln] == lines
    assert validate(repo).ok
    # Applying the same sheet again changes nothing.
    code, out, _ = run(capsys, "review-sheet", str(repo), "--apply", str(sheet))
    assert code == 0 and "Không có thay đổi" in out


def test_one_invalid_cell_changes_no_file(repo: Path, tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "ra-soat.xlsx"
    assert run(capsys, "review-sheet", str(repo), "--out", str(sheet))[0] == 0
    wb, cols, rows = _sheet_cells(sheet)
    ws = wb.worksheets[0]
    ws.cell(rows["health-station-tien-phong"], cols["budget.requested"]).value = 220000  # fine
    bad_row = rows["first-1000-days-yen-lap"]
    ws.cell(bad_row, cols["budget.requested"]).value = 10**12  # more than the total
    tea_start = ws.cell(rows["tea-cooperative-long-coc"], cols["planned_start"]).value
    ws.cell(rows["tea-cooperative-long-coc"], cols["planned_start"]).value = "15/03/2027"  # a date as text
    wb.save(sheet)
    code, _out, err = run(capsys, "review-sheet", str(repo), "--apply", str(sheet), "--lang", "en")
    assert code == 1 and "Traceback" not in err
    assert f"{sheet}!Review!" not in err  # the sheet's name is the one it was made with
    tea = rows["tea-cooperative-long-coc"]
    assert f"{sheet}!Rà soát!{openpyxl.utils.get_column_letter(cols['planned_start'])}{tea}: date-as-text: planned_start:" \
        in err
    assert "Nothing was changed" in err
    assert _git(repo.parent, "status", "--porcelain", "--", "catalog") == ""
    # With the date fixed, the amount over the total is found by the validator, located in its cell.
    ws.cell(rows["tea-cooperative-long-coc"], cols["planned_start"]).value = tea_start
    wb.save(sheet)
    code, _, err = run(capsys, "review-sheet", str(repo), "--apply", str(sheet), "--lang", "en")
    assert code == 1
    col = openpyxl.utils.get_column_letter(cols["budget.requested"])
    assert re.search(rf"!Rà soát!{col}{bad_row}: budget-mismatch: budget", err), err
    assert _git(repo.parent, "status", "--porcelain", "--", "catalog") == ""


def test_a_file_changed_since_the_export_is_a_conflict(repo: Path, tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "ra-soat.xlsx"
    assert run(capsys, "review-sheet", str(repo), "--out", str(sheet))[0] == 0
    wb, cols, rows = _sheet_cells(sheet)
    wb.worksheets[0].cell(rows["health-station-tien-phong"], cols["budget.requested"]).value = 230000
    wb.save(sheet)
    path = repo / "needs" / "health" / "health-station-tien-phong.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("requested: 225000", "requested: 220000"), encoding="utf-8")
    code, _, err = run(capsys, "review-sheet", str(repo), "--apply", str(sheet))
    assert code == 1 and ": conflict: budget.requested: " in err
    assert "requested: 220000" in path.read_text(encoding="utf-8")


def test_the_yaml_edit_keeps_everything_else() -> None:
    from aidcatalog import yamledit

    text = "a: 1   # note\nb: {vi: x, en: \"y, z\"}\nc:\n  d: 2\n"
    assert yamledit.set_value(text, ("a",), 5) == "a: 5   # note\nb: {vi: x, en: \"y, z\"}\nc:\n  d: 2\n"
    assert yamledit.set_value(text, ("b", "en"), "w") == "a: 1   # note\nb: {vi: x, en: \"w\"}\nc:\n  d: 2\n"
    assert yamledit.set_value(text, ("c", "e"), dt.date(2027, 1, 2)) == text + "  e: 2027-01-02\n"
    assert yamledit.set_value(text, ("a",), yamledit.DELETE) == "b: {vi: x, en: \"y, z\"}\nc:\n  d: 2\n"
    assert yamledit.set_value("s: a\n", ("s",), "2027") == 's: "2027"\n'


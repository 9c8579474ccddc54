"""The validator as staff meet it: exact messages, places, codes and exit statuses."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from catalog_helpers import CATALOG, GOOD_NEED, copy_catalog, line_of, run

from aidcatalog.load import MAX_BYTES, MAX_NODES
from aidcatalog.validate import validate

NEED = "catalog/needs/health/test-health-post.yaml"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    return copy_catalog(tmp_path)


def write_need(cat: Path, text: str | bytes, name: str = "test-health-post.yaml", folder: str = "health") -> Path:
    path = cat / "needs" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_for(cat: Path, file: str = NEED) -> list:
    report = validate(cat)
    return [p for p in report.problems if p.file == file]


def only(cat: Path, file: str = NEED):
    found = problems_for(cat, file)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


# --- the shipped catalogue ---------------------------------------------------------------

def test_shipped_catalogue_is_clean(capsys):
    code, out, _ = run(capsys, "validate", str(CATALOG), "--lang", "en")
    assert code == 0, out
    files = len(list(CATALOG.rglob("*.yaml")))
    assert out.strip().splitlines()[-1] == f"No problems: {files} files checked."


def test_good_need_is_accepted(cat):
    write_need(cat, GOOD_NEED)
    report = validate(cat)
    assert report.ok, [p.format() for p in report.problems]
    assert "test-health-post" in report.catalogue.needs


# --- one mistake, one exact message ------------------------------------------------------

CASES = [
    # (name, old, new, code, field, message, needle for the line)
    ("misspelled key", "summary:", "sumary:", "unknown-field", "sumary",
     "unknown field `sumary`; did you mean `summary`?", "sumary:"),
    ("missing translation", "  en: Upgrading the Đà Bắc commune health post\n", "", "missing-translation", "title.en",
     "the English text is missing", "title:"),
    ("empty translation", "  en: Upgrading the Đà Bắc commune health post", "  en: ''", "missing-translation",
     "title.en", "the English text is missing", "  en: ''"),
    ("not in vocabulary", "sectors: [health]", "sectors: [helth]", "not-in-vocabulary", "sectors[0]",
     "`helth` is not in the sectors vocabulary; did you mean `health`?", "sectors:"),
    ("money with commas", "total: 2500000000", 'total: "250,000 USD"', "wrong-type", "budget.total",
     "expected a number, found text; write digits only, no dots, commas, spaces or units (e.g. 250000000)", "total:"),
    ("negative number", "direct: 5000", "direct: -5", "out-of-range", "beneficiaries.direct",
     "`-5` must be at least 0", "direct:"),
    ("absurd duration", "duration_months: 18", "duration_months: 600", "out-of-range", "duration_months",
     "`600` must be at most 120", "duration_months"),
    ("impossible date", "last_reviewed: 2026-10-01", "last_reviewed: 2026-02-30", "bad-date", "last_reviewed",
     "the date `2026-02-30` cannot be read: month 2 of 2026 has 28 days; check the day and the month (year-month-day)",
     "last_reviewed"),
    ("quoted date", "planned_start: 2027-04-01", 'planned_start: "2027-04-01"', "bad-date", "planned_start",
     "the date `2027-04-01` cannot be read: remove the quotes: a date is written without them, as `2027-04-01`",
     "planned_start"),
    ("unknown commune", "commune: da-bac", "commune: da-bak", "unknown-reference", "locations[0].commune",
     "there is no commune with the id `da-bak`; did you mean `da-bac`?", "commune:"),
    ("unknown story", "last_reviewed: 2026-10-01", "last_reviewed: 2026-10-01\nrelated_stories: [no-such-story]",
     "unknown-reference", "related_stories[0]", "there is no model project with the id `no-such-story`",
     "related_stories"),
    ("bad currency", "currency: VND", "currency: EUR", "not-allowed", "budget.currency",
     "`EUR` is not allowed; use one of: VND, USD", "currency:"),
    ("requested above total", "requested: 2000000000", "requested: 3000000000", "budget-mismatch",
     "budget.requested",
     "requested (3,000,000,000) plus counterpart (500,000,000) is more than the total (2,500,000,000)", "requested:"),
    ("text instead of translations", "proposer: {vi: UBND xã Đà Bắc, en: Đà Bắc Commune People's Committee}",
     "proposer: UBND xã Đà Bắc", "wrong-type", "proposer",
     "expected Vietnamese and English texts, found text; write it as {vi: ..., en: ...}", "proposer:"),
    ("bad email", "email: tramyte@example.gov.vn", "email: tramyte at example", "bad-format", "contact.email",
     "`tramyte at example` is not a valid e-mail address", "email:"),
    ("bad id", "id: test-health-post", "id: Test_Health", "bad-format", "id",
     "`Test_Health` is not a valid id (lower-case ASCII words joined by hyphens, e.g. `clean-water-da-bac`)", "id:"),
    ("sdg out of range", "sdgs: [3]", "sdgs: [18]", "out-of-range", "sdgs[0]", "`18` must be at most 17", "sdgs:"),
    ("missing field", "duration_months: 18\n", "", "missing-field", "duration_months",
     "a required field is missing", "id:"),
    ("scalar instead of list", "sectors: [health]", "sectors: health", "wrong-type", "sectors",
     "expected a list, found text; one item per line starting with `- `", "sectors:"),
]


@pytest.mark.parametrize(("old", "new", "code", "field", "message", "needle"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_is_named_exactly(cat, capsys, old, new, code, field, message, needle):
    assert old in GOOD_NEED
    text = GOOD_NEED.replace(old, new, 1)
    write_need(cat, text)
    problem = only(cat)
    assert (problem.code, problem.field) == (code, field)
    assert problem.message("en") == message
    assert problem.line == line_of(text, needle)
    status, out, _ = run(capsys, "validate", str(cat), "--lang", "en")
    assert status == 1
    assert f"{NEED}:{problem.line}:{problem.column}: {code}: {field}: {message}" in out.splitlines()


def test_vietnamese_messages(cat, capsys):
    write_need(cat, GOOD_NEED.replace("summary:", "sumary:"))
    status, out, _ = run(capsys, "validate", str(cat), "--lang", "vi")
    assert status == 1
    line = line_of(GOOD_NEED, "summary:")
    assert f"{NEED}:{line}:1: unknown-field: sumary: trường lạ `sumary`; có phải ý bạn là `summary`?" in out
    files = len(list((cat).rglob("*.yaml")))
    assert out.strip().splitlines()[-1] == f"1 lỗi, 0 cảnh báo trong 1 tệp (đã kiểm tra {files} tệp)."


def test_language_defaults_to_the_catalogue(cat, capsys):
    write_need(cat, GOOD_NEED.replace("summary:", "sumary:"))
    _, out, _ = run(capsys, "validate", str(cat))
    assert "trường lạ `sumary`" in out


def test_every_problem_is_reported_not_only_the_first(cat):
    text = GOOD_NEED.replace("summary:", "sumary:").replace("sectors: [health]", "sectors: [helth]")
    text = text.replace("duration_months: 18", "duration_months: 0")
    write_need(cat, text)
    codes = sorted(p.code for p in problems_for(cat))
    assert codes == ["not-in-vocabulary", "out-of-range", "unknown-field"]


# --- what PyYAML would let through silently ----------------------------------------------

def test_duplicate_key_names_both_lines(cat):
    text = GOOD_NEED + "budget:\n  total: 1\n  currency: USD\n  requested: 1\n"
    write_need(cat, text)
    problem = only(cat)
    first = line_of(text, "budget:")
    assert problem.code == "duplicate-key"
    assert problem.line == len(GOOD_NEED.splitlines()) + 1
    assert problem.message("en") == f"the key `budget` appears twice (first on line {first}); remove one"


def test_tab_indentation(cat):
    text = GOOD_NEED.replace("  direct: 5000", "\tdirect: 5000")
    write_need(cat, text)
    problem = only(cat)
    assert problem.code == "yaml-tab"
    assert problem.line == line_of(text, "\tdirect")


def test_syntax_error_has_a_line(cat):
    text = GOOD_NEED.replace("  name: Nguyễn Thị Lan", '  name: "Nguyễn Thị Lan')
    write_need(cat, text)
    problem = only(cat)
    assert problem.code == "yaml-syntax"
    assert problem.line >= line_of(text, '"Nguyễn')
    assert "YAML syntax error" in problem.message("en")


@pytest.mark.parametrize(("raw", "code", "line"), [
    (b"", "empty-file", 1),
    (b"# only a comment\n\n", "empty-file", 1),
    (b"- a\n- b\n", "not-mapping", 1),
    ("id: x\ntitle: \xe9t\xe9\n".encode("latin-1"), "not-utf8", 2),
    (b"id: x\n---\nid: y\n", "multiple-documents", 2),
    (b"id: !!python/object/apply:os.system ['echo hi']\n", "forbidden-tag", 1),
    (b"a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n", "too-complex", 5),
    (b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "too-deep", 1),
    (b"a: &x [*x]\n", "too-deep", 1),
], ids=["empty", "comments only", "a list", "latin-1", "two documents", "python tag", "alias bomb",
        "too deep", "recursive alias"])
def test_hostile_or_broken_files(cat, raw, code, line):
    write_need(cat, raw)
    problem = only(cat)
    assert (problem.code, problem.line) == (code, line), problem.format()


def test_alias_bomb_limit_is_stated(cat):
    write_need(cat, b"a: &a [1,1,1,1,1,1,1,1,1,1]\nb: [" + b",".join([b"*a"] * 3000) + b"]\n")
    assert only(cat).message("en") == f"too many values once aliases are expanded (the limit is {MAX_NODES})"


def test_gigantic_file_is_refused_unread(cat):
    write_need(cat, b"id: x\nnotes: '" + b"x" * (MAX_BYTES + 10) + b"'\n")
    problem = only(cat)
    assert problem.code == "file-too-large"
    assert f"the limit is {MAX_BYTES}" in problem.message("en")


def test_byte_order_mark_and_crlf_are_harmless(cat):
    write_need(cat, b"\xef\xbb\xbf" + GOOD_NEED.replace("\n", "\r\n").encode())
    assert problems_for(cat) == []


def test_duplicate_ids_name_both_files(cat):
    write_need(cat, GOOD_NEED)
    write_need(cat, GOOD_NEED, folder="education")
    problem = only(cat, "catalog/needs/health/test-health-post.yaml")
    assert problem.code == "duplicate-id"
    assert problem.message("en") == \
        "the id `test-health-post` is already used in catalog/needs/education/test-health-post.yaml"


def test_file_name_must_match_id(cat):
    write_need(cat, GOOD_NEED, name="other-name.yaml")
    problem = only(cat, "catalog/needs/health/other-name.yaml")
    assert problem.code == "id-mismatch"


def test_hidden_direction_characters_are_reported(cat):
    write_need(cat, GOOD_NEED.replace("Nâng cấp trạm", "Nâng \u202ecấp trạm"))
    problem = only(cat)
    assert (problem.code, problem.field) == ("hidden-character", "title.vi")
    assert "U+202E" in problem.message("en")


def test_link_out_of_the_catalogue_is_refused(cat, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(GOOD_NEED)
    (cat / "needs" / "health").mkdir(exist_ok=True)
    (cat / "needs" / "health" / "test-health-post.yaml").symlink_to(outside)
    problem = only(cat)
    assert problem.code == "bad-path"
    assert "leads outside catalog/" in problem.message("en")


# --- normalisation and drafts ------------------------------------------------------------

def test_decomposed_text_is_normalised(cat):
    decomposed = unicodedata.normalize("NFD", "Nâng cấp trạm y tế xã Đà Bắc")
    write_need(cat, GOOD_NEED.replace("Nâng cấp trạm y tế xã Đà Bắc", "  " + decomposed + "  "))
    need = validate(cat).catalogue.needs["test-health-post"]
    assert need.title.vi == "Nâng cấp trạm y tế xã Đà Bắc"
    assert unicodedata.is_normalized("NFC", need.title.vi)


def test_draft_may_be_incomplete_and_is_not_published(cat):
    draft = "id: test-health-post\ntitle: {vi: Dự án mới}\nstatus: draft\nsectors: [health]\nlast_reviewed: 2026-11-01\n"
    write_need(cat, draft)
    report = validate(cat)
    assert report.ok, [p.format() for p in report.problems]
    assert "test-health-post" not in report.catalogue.needs
    assert report.catalogue.unpublished["test-health-post"] == "draft"


def test_draft_still_gets_real_mistakes(cat):
    write_need(cat, "id: test-health-post\ntitle: {vi: Dự án mới}\nstatus: draft\nsectors: [health]\ndurtion: 3\n")
    assert only(cat).code == "unknown-field"


# --- output formats and exit statuses ----------------------------------------------------

def test_json_format(cat, capsys):
    write_need(cat, GOOD_NEED.replace("summary:", "sumary:"))
    status, out, _ = run(capsys, "validate", str(cat), "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert status == 1
    assert data["problems"] == [{
        "file": NEED, "line": line_of(GOOD_NEED, "summary:"), "column": 1, "code": "unknown-field",
        "field": "sumary", "severity": "error", "message": "unknown field `sumary`; did you mean `summary`?",
    }]


def test_github_format(cat, capsys):
    write_need(cat, GOOD_NEED.replace("sectors: [health]", "sectors: [helth]"))
    status, out, _ = run(capsys, "validate", str(cat), "--format", "github", "--lang", "en")
    line = line_of(GOOD_NEED, "sectors:")
    assert status == 1
    assert out.splitlines()[0] == (
        f"::error file={NEED},line={line},col=11,title=not-in-vocabulary::sectors[0]: "
        "`helth` is not in the sectors vocabulary; did you mean `health`?"
    )


def test_usage_errors_exit_2(capsys):
    status, _, err = run(capsys, "validate", "--format", "xml")
    assert status == 2
    assert "invalid choice" in err


def test_missing_catalogue_exits_1(tmp_path, capsys):
    status, out, _ = run(capsys, "validate", str(tmp_path / "nowhere"), "--lang", "en")
    assert status == 1
    assert "missing-catalogue" in out


def test_module_entry_point(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "aidcatalog", "validate", str(CATALOG), "--lang", "en"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr

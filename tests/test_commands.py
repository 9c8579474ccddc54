"""Staff commands besides validate: new, stats, status, schema, fields."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from catalog_helpers import CATALOG, copy_catalog, run

from aidcatalog.schema import json_schema
from aidcatalog.validate import validate


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    return copy_catalog(tmp_path)


def test_new_need_writes_a_draft_that_validates(cat, capsys):
    status, out, _ = run(capsys, "new", "need", str(cat), "--sector", "health", "--title",
                         "Nâng cấp trạm y tế xã Cao Sơn", "--lang", "en")
    path = cat / "needs" / "health" / "nang-cap-tram-y-te-xa-cao-son.yaml"
    assert status == 0
    assert out.strip() == f"Created {path}"
    text = path.read_text(encoding="utf-8")
    assert "id: nang-cap-tram-y-te-xa-cao-son" in text
    assert "status: draft" in text
    assert "# Nhu cầu: Nâng cấp trạm y tế xã Cao Sơn" in text
    report = validate(cat)
    assert report.ok, [p.format() for p in report.problems]
    assert report.catalogue.unpublished["nang-cap-tram-y-te-xa-cao-son"] == "draft"
    # the comments start in one column (34), whatever the id's length
    columns = {line.index(" # ") + 1 for line in text.splitlines()[4:24] if " # " in line and not line.startswith("#")}
    assert columns == {34}, [line for line in text.splitlines()[4:24] if " # " in line]


def test_new_need_without_a_title_says_where_it_goes(cat, capsys):
    assert run(capsys, "new", "need", str(cat), "--sector", "health")[0] == 0
    [path] = [p for p in (cat / "needs" / "health").glob("health-*.yaml") if p.stem[7:].isdigit()]
    assert path.read_text(encoding="utf-8").startswith("# Nhu cầu: (chưa có tên: điền ở trường `title`)\n")


def test_new_need_never_overwrites_and_picks_a_fresh_id(cat, capsys):
    for _ in range(2):
        assert run(capsys, "new", "need", str(cat), "--sector", "health", "--title", "Trạm y tế")[0] == 0
    assert (cat / "needs" / "health" / "tram-y-te.yaml").exists()
    assert (cat / "needs" / "health" / "tram-y-te-2.yaml").exists()
    assert "id: tram-y-te-2" in (cat / "needs" / "health" / "tram-y-te-2.yaml").read_text(encoding="utf-8")


def test_new_need_rejects_an_unknown_sector(cat, capsys):
    status, _, err = run(capsys, "new", "need", str(cat), "--sector", "helth", "--lang", "en")
    assert status == 2
    assert err.startswith("aidcatalog: unknown sector: helth (known: agriculture, health")


def test_stats_counts_and_money(capsys):
    status, out, _ = run(capsys, "stats", str(CATALOG), "--lang", "en", "--today", "2026-11-28")
    cat = validate(CATALOG).catalogue
    assert status == 0
    assert out.startswith(f"Published needs: {len(cat.needs)} · ")
    for title in ("By main sector", "By status", "By place (former province)"):
        assert title in out
    assert "Education" in out and "Seeking funding" in out and "Hòa Bình" in out
    assert "Total requested (converted): US$" in out


def test_status_lists_what_needs_attention(capsys):
    status, out, _ = run(capsys, "status", str(CATALOG), "--lang", "en", "--today", "2026-11-28",
                         "--format", "markdown")
    assert status == 0
    assert out.startswith("## Entries that need attention (")
    assert ("| `ncd-screening-tam-dao` | catalog/needs/health/ncd-screening-tam-dao.yaml | review due (over 12 months) "
            "| 2025-10-20 |") \
        in out
    assert "| `rescue-equipment-commune-teams` |" in out and "planned start has passed while still calling" in out
    assert "draft, not published | title.en" in out


def test_status_in_vietnamese_as_a_table(capsys):
    status, out, _ = run(capsys, "status", str(CATALOG), "--today", "2026-11-28")
    assert status == 0
    assert out.splitlines()[0].split() == ["Tệp", "Việc", "cần", "làm", "Chi", "tiết"]  # the file names the entry
    assert "quá hạn rà soát (quá 12 tháng)" in out
    assert max(len(line) for line in out.splitlines()) <= 130


def test_stats_on_an_invalid_catalogue_prints_problems(cat, capsys):
    (cat / "needs" / "health" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    status, out, err = run(capsys, "stats", str(cat), "--lang", "en")
    assert status == 1 and out == ""
    assert "catalog/needs/health/broken.yaml:2:1: yaml-syntax:" in err


def _as_json(value):
    return json.loads(json.dumps(value, default=str))


def test_json_schema_accepts_the_shipped_entries():
    cat = validate(CATALOG).catalogue
    for kind, folder in (("need", "needs"), ("story", "stories"), ("partner", "partners")):
        schema = json_schema(kind, cat)
        for path in sorted((CATALOG / folder).rglob("*.yaml")):
            data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
            if data.get("status") == "draft" or data.get("draft"):
                continue
            jsonschema.Draft202012Validator(schema).validate(data)
    jsonschema.Draft202012Validator(json_schema("site", cat)).validate(
        _as_json(yaml.safe_load((CATALOG / "site.yaml").read_text(encoding="utf-8"))))


def test_json_schema_rejects_broken_entries_and_knows_the_vocabularies():
    cat = validate(CATALOG).catalogue
    schema = json_schema("need", cat)
    validator = jsonschema.Draft202012Validator(schema)
    good = _as_json(yaml.safe_load(next((CATALOG / "needs" / "health").glob("*.yaml")).read_text(encoding="utf-8")))
    assert not list(validator.iter_errors(good))
    for change in ({"sumary": "x"}, {"sectors": ["helth"]}, {"budget": {"total": "250,000 USD", "currency": "USD",
                                                                        "requested": 1}}):
        assert list(validator.iter_errors({**good, **change})), change
    assert "health" in schema["properties"]["sectors"]["items"]["enum"]
    assert schema["properties"]["summary"]["description"] == "Tóm tắt 2–3 câu."


def test_field_reference_covers_every_field(capsys):
    status, out, _ = run(capsys, "fields", "need", "--lang", "vi")
    assert status == 0
    assert out.startswith("| Trường | Bắt buộc | Kiểu | Ý nghĩa |")
    from aidcatalog.model import Need

    for name in Need.model_fields:
        assert f"| `{name}` |" in out
    assert "| `budget.total` | có | số | Tổng kinh phí dự án (số, không có dấu phẩy hay đơn vị). |" in out


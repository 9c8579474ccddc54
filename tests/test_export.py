"""Open data: needs.json (and its schema), needs.csv with its data package, needs.xlsx, iati-activities.xml,
the Atom feeds, the data page and ``aidcatalog export``.

Made in-process from the validated example catalogue (and a copy of it with a hostile entry and a
draft); only the last test reads the session's example build, to see the files in the built site.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import feedparser
import frictionless
import jsonschema
import openpyxl
import pytest
from catalog_helpers import CATALOG, REPO, copy_catalog, run
from lxml import etree

from aidcatalog import datasite, feeds, iati, opendata, site
from aidcatalog.select import Filters, select
from aidcatalog.validate import validate

XSD = Path(__file__).parent / "iati" / "iati-activities-schema.xsd"
SITE_URL = "https://aid.example.org/"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")"
DRAFTS = ("workers-childcare-phuc-yen", "pomelo-cold-storage-doan-hung", "reading-corners-song-lo")
"""The example catalogue's drafts (two needs, one model project): in no file."""


@pytest.fixture(scope="module")
def cat():
    report = validate(CATALOG)
    assert report.catalogue is not None
    return report.catalogue


@pytest.fixture(scope="module")
def files(cat) -> dict[str, bytes]:
    return datasite.files(cat, SITE_URL)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    """The example catalogue with a title that is a spreadsheet formula, and one more draft."""
    root = copy_catalog(tmp_path_factory.mktemp("hostile"))
    path = root / "needs" / "health" / "first-1000-days-yen-lap.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  vi: Cải thiện dinh dưỡng.*$", "  vi: " + json.dumps(FORMULA, ensure_ascii=False), text, count=1)
    text = text.replace("summary:\n  vi: >-\n", "summary:\n  vi: >-\n    @SUM(A1:A9) -2+3 ", 1)
    path.write_text(text, encoding="utf-8")
    draft = root / "needs" / "health" / "secret-draft.yaml"
    draft.write_text("id: secret-draft\ntitle: {vi: Bản nháp bí mật, en: Secret draft}\nstatus: draft\n"
                     "sectors: [health]\nlast_reviewed: 2026-01-01\n", encoding="utf-8")
    report = validate(root)
    assert report.catalogue is not None, [p.format("en") for p in report.problems if p.severity == "error"]
    assert "secret-draft" in report.catalogue.unpublished
    return report.catalogue


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Vietnamese right
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_needs_json_validates_against_its_committed_schema_and_holds_exactly_the_published_needs(cat, files):
    document = json.loads(files["data/needs.json"])
    schema = json.loads((REPO / "schemas" / opendata.SCHEMA_NAME).read_text(encoding="utf-8"))
    assert schema == opendata.json_schema(cat), "run `aidcatalog schema --out schemas`"
    assert json.loads(files[f"data/{opendata.SCHEMA_NAME}"]) == schema
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["version"] == opendata.VERSION
    assert [n["id"] for n in document["needs"]] == list(cat.needs)
    assert [s["id"] for s in document["stories"]] == list(cat.stories)
    meta = document["catalogue"]
    assert meta["licence"] == {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0 International",
                               "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert meta["usd_to_vnd"] == 26300 and meta["sources_date"] == max(
        e.last_reviewed for e in [*cat.needs.values(), *cat.stories.values()]).isoformat()
    need = next(n for n in document["needs"] if n["id"] == "first-1000-days-yen-lap")
    assert need["budget"] == {"currency": "VND", "total": 6800000000, "requested": 5900000000,
                              "counterpart_cash": 500000000, "counterpart_in_kind": 400000000,
                              "counterpart_source": need["budget"]["counterpart_source"],
                              "total_usd": round(6800000000 / 26300, 2), "requested_usd": round(5900000000 / 26300, 2)}
    assert need["title"] == dict(cat.needs["first-1000-days-yen-lap"].title.items())
    assert need["planned_start"] == "2027-01-01"
    assert need["page"]["en"] == SITE_URL + "en/needs/first-1000-days-yen-lap/"
    assert b"\\u" not in files["data/needs.json"]  # Vietnamese as UTF-8, not escapes
    one = json.loads(files["data/needs/first-1000-days-yen-lap.json"])
    assert one["need"] == need and one["version"] == opendata.VERSION


def test_csv_has_one_row_per_published_need_and_round_trips_money_and_vietnamese(cat, files):
    rows = csv_rows(files["data/needs.csv"])
    assert [r["id"] for r in rows] == list(cat.needs)
    codes = cat.languages.codes
    for row in rows:
        need = cat.needs[row["id"]]
        assert float(row["total"]) == need.budget.total and float(row["requested"]) == need.budget.requested
        assert row["currency"] == need.budget.currency
        assert float(row["requested_usd"]) == round(need.budget.requested / (26300 if need.budget.currency == "VND"
                                                                              else 1), 2)
        for code in codes:
            assert row[f"title_{code}"] == need.title.get(code)
            assert unicodedata.is_normalized("NFC", row[f"title_{code}"])
        assert row["sectors"] == "; ".join(need.sectors)
    assert not any(re.search(r"\d,\d{3}", r["total"]) for r in rows)  # no thousands separators


def test_the_data_package_describes_the_csv(files, tmp_path: Path):
    for name in ("needs.csv", "datapackage.json"):
        (tmp_path / name).write_bytes(files[f"data/{name}"])
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(files["data/datapackage.json"])
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields == next(csv.reader(io.StringIO(files["data/needs.csv"].decode("utf-8-sig"))))


def test_xlsx_is_the_same_table_with_frozen_header_money_formats_and_a_sheet_of_columns(cat, files):
    book = openpyxl.load_workbook(io.BytesIO(files["data/needs.xlsx"]))
    assert book.sheetnames == ["needs", "columns"]
    sheet = book["needs"]
    assert sheet.freeze_panes == "B2"
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["id"] for r in rows] == list(cat.needs)
    total = header.index("total") + 1
    for i, row in enumerate(rows, start=2):
        need = cat.needs[row["id"]]
        assert row["total"] == need.budget.total and row["requested"] == need.budget.requested
        assert sheet.cell(i, total).number_format == ("#,##0" if need.budget.currency == "VND" else "#,##0.00")
        first = cat.languages.default.code
        assert row[f"title_{first}"] == need.title.get(first)
        assert row["planned_start"] in (None, dt.datetime.combine(need.planned_start, dt.time()) if need.planned_start
                                        else None)
    assert sheet.column_dimensions["A"].width > 10
    columns = book["columns"]
    assert [c.value for c in columns[1]] == ["column", *(lang.name for lang in cat.languages)]
    assert [r[0].value for r in columns.iter_rows(min_row=2)] == header
    assert all(cell.value for row in columns.iter_rows(min_row=2) for cell in row)


def iati_rules(root: etree._Element, cat, org: str) -> None:
    """The IATI rules the XSD does not enforce."""
    for activity in root.iter("iati-activity"):
        ident = activity.findtext("iati-identifier")
        assert ident.startswith(org + "-"), ident
        assert activity.find("reporting-org").get("ref") == org
        for element in ("title", "description"):
            for node in activity.findall(element):
                langs = [n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in node.findall("narrative")]
                assert len(langs) == len(set(langs)) and set(langs) <= set(cat.languages.codes), (ident, element)
        title_langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in activity.find("title")}
        assert title_langs == {lang.code for lang in cat.languages.required}
        by_vocabulary: dict[str, int] = {}
        for sector in activity.findall("sector"):
            by_vocabulary[sector.get("vocabulary")] = by_vocabulary.get(sector.get("vocabulary"), 0) + int(
                sector.get("percentage"))
        assert by_vocabulary and all(total == 100 for total in by_vocabulary.values()), (ident, by_vocabulary)
        dates = {d.get("type"): dt.date.fromisoformat(d.get("iso-date")) for d in activity.findall("activity-date")}
        assert dates["1"] < dates["3"]
        need = cat.needs[ident[len(org) + 1:]]
        assert activity.find("activity-status").get("code") == str(cat.term("statuses", need.status).iati)
        assert activity.find("recipient-country").get("code") == "VN"
        assert [loc.get("ref") for loc in activity.findall("location")] == [
            f"VN-ADM-{cat.localities[loc.commune].code}" for loc in need.locations]
        budgets = activity.findall("budget")
        spent = 0.0
        previous_end = None
        for budget in budgets:
            start = dt.date.fromisoformat(budget.find("period-start").get("iso-date"))
            end = dt.date.fromisoformat(budget.find("period-end").get("iso-date"))
            assert start <= end and (end - start).days < 366  # a budget period is at most a year
            assert previous_end is None or start == previous_end + dt.timedelta(days=1)
            assert dates["1"] <= start and end <= dates["3"]
            value = budget.find("value")
            assert value.get("currency") == need.budget.currency and value.get("value-date") == start.isoformat()
            spent += float(value.text)
            previous_end = end
        assert spent == pytest.approx(need.budget.total, abs=0.001)


def test_iati_file_validates_against_the_xsd_and_meets_the_rules_beyond_it(cat, files):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    root = etree.fromstring(files["data/iati-activities.xml"])
    assert schema.validate(root.getroottree()), schema.error_log
    assert root.get("version") == "2.03"
    assert len(root.findall("iati-activity")) == len(cat.needs)
    iati_rules(root, cat, cat.site.open_data.iati_org)
    calling = root.find(f"iati-activity[iati-identifier='{cat.site.open_data.iati_org}-first-1000-days-yen-lap']")
    assert calling.find("activity-status").get("code") == "1"  # in discussion, still seeking funding: pipeline
    assert {t.get("code") for t in calling.findall("tag[@vocabulary='2']")} == {"2", "3", "5"}
    assert [n.text for n in calling.find("location").find("name")] == ["Xã Yên Lập", "Yên Lập Commune"]


def test_budget_periods_split_the_total_exactly():
    periods = iati.yearly(1000000001, dt.date(2027, 3, 1), 30, "VND")
    assert [(p[0].isoformat(), p[1].isoformat()) for p in periods] == [
        ("2027-03-01", "2028-02-29"), ("2028-03-01", "2029-02-28"), ("2029-03-01", "2029-08-31")]
    assert sum(p[2] for p in periods) == 1000000001
    assert iati.shares(3) == [34, 33, 33] and sum(iati.shares(7)) == 100


def test_feeds_parse_and_link_to_pages_that_exist(cat, files):
    for lang in cat.languages:
        parsed = feedparser.parse(files[feeds.feed_path(lang)])
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.feed.language == lang.code if "language" in parsed.feed else True
        pages = {site.page_url(rel) for rel in site.pages(cat, lang)}
        prefix = SITE_URL + cat.languages.prefix(lang)
        links = [e.link for e in parsed.entries]
        assert len(links) == len(cat.needs) + len(cat.stories)
        for link in links:
            assert link.startswith(prefix) and link[len(prefix):] in pages, link
        days = [e.updated for e in parsed.entries]
        assert days == sorted(days, reverse=True)
    english = feedparser.parse(files["data/feed-en.xml"])
    assert english.entries[0].title in {n.title.get("en") for n in cat.needs.values()} | {
        s.title.get("en") for s in cat.stories.values()}


def test_a_formula_in_a_text_comes_out_inert(hostile):
    made = datasite.files(hostile, SITE_URL)
    row = next(r for r in csv_rows(made["data/needs.csv"]) if r["id"] == "first-1000-days-yen-lap")
    first = hostile.languages.default.code
    assert row[f"title_{first}"] == "'" + FORMULA and row[f"summary_{first}"].startswith("'@SUM(A1:A9)")
    book = openpyxl.load_workbook(io.BytesIO(made["data/needs.xlsx"]))
    sheet = book["needs"]
    header = [c.value for c in sheet[1]]
    cells = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "first-1000-days-yen-lap")
    title = cells[header.index(f"title_{hostile.languages.default.code}")]
    assert title.data_type == "s" and title.value == FORMULA  # a string cell, exactly the text; never a formula
    with zipfile.ZipFile(io.BytesIO(made["data/needs.xlsx"])) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    need = next(n for n in json.loads(made["data/needs.json"])["needs"] if n["id"] == "first-1000-days-yen-lap")
    assert need["title"][hostile.languages.default.code] == FORMULA  # JSON and XML carry the text as it is


def test_drafts_are_absent_from_every_file(hostile):
    made = datasite.files(hostile, SITE_URL)
    hidden = [*DRAFTS, "secret-draft", "Bản nháp bí mật"]
    for name, content in made.items():
        texts = [content]
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                texts = [z.read(n) for n in z.namelist()]
        for text in texts:
            for word in hidden:
                assert word.encode("utf-8") not in text, (name, word)
    assert not any("secret-draft" in name for name in made)


def test_two_exports_of_the_same_sources_are_byte_identical(files):
    again = validate(CATALOG).catalogue
    assert datasite.files(again, SITE_URL) == files
    with zipfile.ZipFile(io.BytesIO(files["data/needs.xlsx"])) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_export_command_writes_the_selection_a_pdf_would_have(cat, capsys, tmp_path: Path):
    out = tmp_path / "clearwater.csv"
    code, stdout, err = run(capsys, "export", str(CATALOG), "--format", "csv", "--partner", "clearwater-asia",
                            "--out", str(out), "--lang", "en")
    assert code == 0, err
    from aidcatalog.pdfcli import merge
    from aidcatalog.select import partner_filters

    chosen = select(cat, merge(partner_filters(cat.partners["clearwater-asia"]), Filters()))
    assert [r["id"] for r in csv_rows(out.read_bytes())] == [n.id for n in chosen.needs]
    assert stdout.strip() == f"Wrote {out} ({len(chosen.needs)} projects)."
    for fmt in ("json", "xlsx", "iati"):
        path = tmp_path / f"health.{fmt}"
        code, _, err = run(capsys, "export", str(CATALOG), "--format", fmt, "--sector", "health", "--out", str(path))
        assert code == 0, err
        assert path.stat().st_size > 0
    root = etree.parse(str(tmp_path / "health.iati"))
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(root)
    assert {a.findtext("iati-identifier").split("-PTDFA-")[1] for a in root.iter("iati-activity")} == {
        n.id for n in select(cat, Filters(sectors=("health",))).needs}
    code, _, err = run(capsys, "export", str(CATALOG), "--sector", "helth", "--out", str(tmp_path / "x.json"),
                         "--lang", "en")
    assert code == 2 and "did you mean `health`" in err


def test_the_built_site_has_the_data_files_and_links_them(example_build):
    built = example_build.site
    for name in opendata.FILES:
        assert (built / "data" / name).is_file(), name
    default, *others = example_build_languages(built)
    need = "first-1000-days-yen-lap"
    for code in [default, *others]:
        prefix = "" if code == default else f"{code}/"
        assert (built / "data" / f"feed-{code}.xml").is_file()
        page = (built / prefix / "needs" / need / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'href="(\.\./)+data/needs/{need}\.json"', page)
        assert re.search(rf'<link rel="alternate" type="application/atom\+xml" href="[./]*data/feed-{code}\.xml"', page)
        data_page = (built / prefix / "open-data" / "index.html").read_text(encoding="utf-8")
        for name in ("needs.json", "needs.csv", "needs.xlsx", "datapackage.json", "iati-activities.xml"):
            assert f"data/{name}" in data_page
        assert "open-data/" in (built / prefix / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert (built / "data" / "needs" / f"{need}.json").is_file()


def example_build_languages(built: Path) -> list[str]:
    document = json.loads((built / "data" / "needs.json").read_text(encoding="utf-8"))
    return [lang["code"] for lang in document["catalogue"]["languages"]]

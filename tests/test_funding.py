"""Funding on needs, partners' registrations, the internal records and the yearly report (issue 13).

- every validation rule: exact message, file, line and column, in Vietnamese and English;
- the progress figures on the site and in the PDFs against hand-computed values;
- the registration warnings of ``aidcatalog pdf --partner`` and ``aidcatalog status``;
- the yearly report's figures against the example data;
- the boundary: a marker in every internal field reaches no file of the built site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import zipfile
from decimal import Decimal
from pathlib import Path

from catalog_helpers import CATALOG, GOOD_NEED, copy_catalog, line_of, run
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from site_helpers import MARK, Build, outline, page_texts, text_of

from aidcatalog import funding
from aidcatalog.report import year_report
from aidcatalog.validate import validate

TODAY = dt.date(2026, 12, 1)
RATE = 26300


def problems_of(catalog: Path, path: Path, text: str) -> list:
    path.write_text(text, encoding="utf-8")
    return validate(catalog, today=TODAY).problems


def need_with(tmp_path: Path, block: str, *, status: str = "calling") -> tuple[Path, Path, str]:
    """The test need, with ``block`` inserted before ``duration_months`` (and a status)."""
    catalog = copy_catalog(tmp_path)
    text = GOOD_NEED.replace("status: calling", f"status: {status}").replace("duration_months:", block + "duration_months:")
    path = catalog / "needs" / "health" / "test-health-post.yaml"
    return catalog, path, text


def one(problems: list, code: str):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [p.format() for p in problems]
    return found[0]


# --- validation rules -----------------------------------------------------------------------------

FUNDING = """\
funding:
  - partner: clearwater-asia
    amount: 1500000000
    currency: VND
    date: 2026-09-01
    stage: committed
  - organisation: Stiftung Brücke
    amount: 10000
    currency: USD
    date: 2026-10-01
    stage: pledged
"""


def test_valid_funding_is_quiet_and_figures_are_exact(tmp_path: Path) -> None:
    catalog, path, text = need_with(tmp_path, FUNDING)
    assert [p for p in problems_of(catalog, path, text) if p.file.endswith("test-health-post.yaml")] == []
    need = validate(catalog, today=TODAY).catalogue.needs["test-health-post"]
    found = funding.of(need, RATE)
    # requested 2,000,000,000 VND; committed 1,500,000,000; the pledge (US$10,000 = 263,000,000) is not counted
    assert (found.committed, found.pledged, found.gap, found.share) == (
        Decimal(1_500_000_000), Decimal(263_000_000), Decimal(500_000_000), 75)


def test_contributions_over_the_request(tmp_path: Path) -> None:
    block = FUNDING.replace("amount: 10000", "amount: 20000")  # 1.5 bn + US$20,000 (526 m) > 2 bn, pledges included
    catalog, path, text = need_with(tmp_path, block)
    problem = one(problems_of(catalog, path, text), "funding-exceeds")
    assert (problem.line, problem.column, problem.field) == (line_of(text, "amount: 20000"), 13, "funding[1].amount")
    assert problem.format("en") == (
        f"catalog/needs/health/test-health-post.yaml:{problem.line}:13: funding-exceeds: funding[1].amount: "
        "the contributions add up to VND 2,026,000,000, more than the VND 2,000,000,000 requested")
    assert problem.message("vi") == ("tổng các khoản tài trợ là 2.026.000.000 ₫, vượt số tiền đề nghị "
                                     "2.000.000.000 ₫")


def test_unknown_partner(tmp_path: Path) -> None:
    catalog, path, text = need_with(tmp_path, FUNDING.replace("clearwater-asia", "clearwater-asai"))
    problem = one(problems_of(catalog, path, text), "unknown-reference")
    assert (problem.line, problem.field) == (line_of(text, "clearwater-asai"), "funding[0].partner")
    assert problem.message("en") == "there is no partner with the id `clearwater-asai`; did you mean `clearwater-asia`?"
    assert problem.message("vi") == "không có đối tác nào mang mã `clearwater-asai`; có phải ý bạn là `clearwater-asia`?"


def test_disbursement_in_the_future(tmp_path: Path) -> None:
    block = FUNDING.replace("date: 2026-09-01\n    stage: committed", "date: 2027-01-15\n    stage: disbursed")
    catalog, path, text = need_with(tmp_path, block)
    problem = one(problems_of(catalog, path, text), "funding-future")
    assert (problem.line, problem.field) == (line_of(text, "2027-01-15"), "funding[0].date")
    assert problem.message("en") == ("a disbursement dated 2027-01-15, after today (2026-12-01): "
                                     "record it once the money is paid")
    assert problem.message("vi") == ("khoản giải ngân ghi ngày 2027-01-15, sau ngày hôm nay (2026-12-01): "
                                     "chỉ ghi `disbursed` khi tiền đã được chuyển")
    # a commitment may be dated later (a signing planned): not refused
    later = FUNDING.replace("date: 2026-09-01", "date: 2027-01-15")
    catalog2, path2, text2 = need_with(tmp_path / "b", later)
    assert not [p for p in problems_of(catalog2, path2, text2) if p.code == "funding-future"]


def test_committed_status_without_contribution_and_the_reverse(tmp_path: Path) -> None:
    catalog, path, text = need_with(tmp_path, FUNDING.replace("stage: committed", "stage: pledged"), status="committed")
    problem = one(problems_of(catalog, path, text), "funding-missing")
    assert (problem.line, problem.field, problem.severity) == (line_of(text, "status: committed"), "status", "error")
    assert problem.message("en") == ("the status `committed` needs a committed contribution in `funding` "
                                     "(stage: committed or disbursed)")
    assert problem.message("vi") == ("trạng thái `committed` cần có ít nhất một khoản tài trợ đã cam kết trong "
                                     "`funding` (stage: committed hoặc disbursed)")
    full = FUNDING.replace("amount: 1500000000", "amount: 2000000000").split("  - organisation:")[0]
    catalog2, path2, text2 = need_with(tmp_path / "b", full)  # fully committed, still `calling`
    problem = one(problems_of(catalog2, path2, text2), "funding-status")
    assert (problem.line, problem.severity) == (line_of(text2, "status: calling"), "warning")
    assert problem.message("en") == ("the contributions commit the whole amount requested, but the status "
                                     "`calling` still seeks funding")
    assert problem.message("vi") == ("các khoản đã cam kết đủ số tiền đề nghị nhưng trạng thái `calling` vẫn là "
                                     "đang kêu gọi tài trợ")
    assert not validate(catalog2, today=TODAY).catalogue.is_open(validate(catalog2, today=TODAY).catalogue.needs[
        "test-health-post"])


def test_partner_or_organisation(tmp_path: Path) -> None:
    block = FUNDING.replace("  - organisation: Stiftung Brücke\n", "  - partner: bright-futures\n    organisation: X Y\n")
    catalog, path, text = need_with(tmp_path, block)
    problem = one(problems_of(catalog, path, text), "contribution-source")
    assert (problem.line, problem.field) == (line_of(text, "partner: bright-futures"), "funding[1]")
    assert problem.message("en") == "give either `partner` (a partner's id) or `organisation` (a name), not both or neither"
    assert problem.message("vi") == "ghi `partner` (mã đối tác) hoặc `organisation` (tên tổ chức), chỉ một trong hai"


def test_registration_rules(tmp_path: Path) -> None:
    catalog = copy_catalog(tmp_path)
    path = catalog / "partners" / "clearwater-asia.yaml"
    text = path.read_text(encoding="utf-8").replace("valid_until: 2028-06-11", "valid_until: 2022-06-11").replace(
        "provinces: [hoa-binh-province, phu-tho-province, son-la]", "provinces: [son-la, dien-bien]")
    problems = problems_of(catalog, path, text)
    order = one(problems, "date-order")
    assert (order.line, order.field) == (line_of(text, "valid_until: 2022"), "registration.valid_until")
    assert order.message("vi") == "ngày kết thúc trước ngày bắt đầu" or order.message("en") == \
        "the end date is before the start date"
    area = one(problems, "registration-province")
    assert (area.line, area.severity) == (line_of(text, "provinces: [son-la"), "warning")
    assert area.format("en") == (
        f"catalog/partners/clearwater-asia.yaml:{area.line}:14: registration-province: warning: registration.provinces: "
        "the registration covers none of this catalogue's provinces "
        "(hoa-binh-province, phu-tho, phu-tho-province, vinh-phuc-province)")
    assert area.message("vi") == ("địa bàn đăng ký không có tỉnh nào của danh mục này "
                                  "(hoa-binh-province, phu-tho, phu-tho-province, vinh-phuc-province)")


def test_internal_records_are_checked_like_every_field(tmp_path: Path) -> None:
    block = ("internal:\n  contacts:\n    - date: 2026-05-02\n      partner: bright-futurez\n      kind: meeting\n"
             "      note: Gặp đối tác.\n      next_date: 2026-06-01\n    - date: 2026-05-03\n      kind: other\n"
             "      note: Ăn trưa.\n      organisation: Quỹ A\n")
    catalog, path, text = need_with(tmp_path, "")
    text = text + block
    problems = [p for p in problems_of(catalog, path, text) if p.file.endswith("test-health-post.yaml")]
    by_code = {p.code: p for p in problems}
    assert sorted(by_code) == ["missing-field", "unknown-reference"], [p.format() for p in problems]
    assert by_code["unknown-reference"].line == line_of(text, "bright-futurez")
    assert by_code["unknown-reference"].field == "internal.contacts[0].partner"
    assert by_code["missing-field"].field == "internal.contacts[0].next_step"
    assert by_code["missing-field"].message("vi") == "thiếu trường bắt buộc" or by_code["missing-field"].line
    text = text.replace("kind: other", "kind: lunch")
    problem = one(problems_of(catalog, path, text), "not-allowed")
    assert (problem.line, problem.field) == (line_of(text, "kind: lunch"), "internal.contacts[1].kind")
    assert problem.message("en").startswith("`lunch` is not allowed; use one of: catalogue-sent, meeting")


def test_internal_is_split_off_from_the_public_catalogue() -> None:
    found = validate(CATALOG, today=TODAY)
    cat = found.catalogue
    assert cat is not None and not hasattr(cat, "internal")
    assert "internal" not in cat.raw["school-wash-tan-son"]
    assert "internal" not in type(cat.needs["school-wash-tan-son"]).model_fields
    assert "internal" not in type(cat.partners["clearwater-asia"]).model_fields
    assert found.internal.needs["school-wash-tan-son"].contacts[1].kind == "pledge"
    assert found.internal.partners["bright-futures"].staff == "Lê Minh Tuấn"


# --- the example's figures ------------------------------------------------------------------------


def test_example_funding_figures() -> None:
    cat = validate(CATALOG, today=TODAY).catalogue
    # school-wash-tan-son: US$120,000 committed of US$170,000 (70.6% → 70); the US$20,000 pledge not counted
    # disability-jobs-viet-tri: 1,870,000,000 VND + US$100,000 × 26,300 = 4,500,000,000 = requested: fully committed
    # digital-classrooms-lap-thach: 1,315,000,000 VND = US$50,000 of US$150,000 (33%), still open
    expected = {
        "school-wash-tan-son": (Decimal(120000), Decimal(50000), 70, False),
        "disability-jobs-viet-tri": (Decimal(4_500_000_000), Decimal(0), 100, False),
        "digital-classrooms-lap-thach": (Decimal(50000), Decimal(100000), 33, True),
        "safe-classrooms-xuan-dai": (Decimal(260000), Decimal(0), 100, False),
        "first-1000-days-yen-lap": (Decimal(0), Decimal(5_900_000_000), 0, True),
    }
    for ident, (committed, gap, share, is_open) in expected.items():
        found = funding.of(cat.needs[ident], cat.site.usd_to_vnd)
        assert (found.committed, found.gap, found.share, cat.is_open(cat.needs[ident])) == (
            committed, gap, share, is_open), ident


def test_progress_on_the_site_and_in_the_pdfs(example_build) -> None:
    vi = example_build.html("needs/digital-classrooms-lap-thach/index.html")
    en = example_build.html("en/needs/digital-classrooms-lap-thach/index.html")
    assert '<progress max="100" value="33"' in vi
    assert "Đã có cam kết 50.000 US$ trên 150.000 US$" in vi and "Còn cần vận động: 100.000 US$" in vi
    assert "US$50,000 of US$150,000 committed" in en and "Still sought: US$100,000" in en
    full = example_build.html("en/needs/disability-jobs-viet-tri/index.html")
    assert "VND 4,500,000,000 of VND 4,500,000,000 committed" in full and "Still sought" not in full
    card = example_build.html("en/sectors/education/index.html")
    assert "US$50,000 of US$150,000 committed" in card
    assert "ac-progress" not in example_build.html("en/needs/first-1000-days-yen-lap/index.html")  # a pledge only
    brief = text_of(example_build.site / "pdf" / "en" / "briefs" / "digital-classrooms-lap-thach.pdf")
    assert "US$50,000 of US$150,000 committed · Still sought: US$100,000" in brief
    brief_vi = text_of(example_build.site / "pdf" / "vi" / "briefs" / "school-wash-tan-son.pdf")
    assert "Đã có cam kết 120.000 US$ trên 170.000 US$ · Còn cần vận động: 50.000 US$" in brief_vi


# --- registrations --------------------------------------------------------------------------------


def test_partner_pdf_warns_and_leaves_out_needs_outside_the_registration(capsys, tmp_path: Path) -> None:
    out = tmp_path / "cw.pdf"
    code, stdout, err = run(capsys, "pdf", "--partner", "clearwater-asia", str(CATALOG), "--out", str(out),
                            "--date", "2026-12-01", "--lang", "en")
    assert code == 0, err
    assert "aidcatalog pdf: health-station-tien-phong: outside the partner's registration (sectors: Health)" in err
    assert "aidcatalog pdf: 5 need(s) outside the registration left out; --include-outside-registration keeps them" in err
    assert "(13 pages, 2 projects)" in stdout  # needs follow each other, no page left near empty (was 17)
    titles = [title for _, title, _ in outline(out)]
    assert any("Đức Nhàn" in x for x in titles) and not any("Tiền Phong health station" in x for x in titles)
    code, stdout, err = run(capsys, "pdf", "--partner", "clearwater-asia", str(CATALOG), "--out", str(out),
                            "--date", "2026-12-01", "--include-outside-registration")
    assert code == 0 and " 7 dự án)" in stdout
    assert "ngoài phạm vi giấy đăng ký hoạt động của đối tác (lĩnh vực: Y tế)" in err and "đã bỏ" not in err


def test_status_lists_registrations_ending_within_90_days(capsys) -> None:
    code, out, _ = run(capsys, "status", str(CATALOG), "--today", "2026-12-01", "--lang", "en")
    assert code == 0
    line = next(x for x in out.splitlines() if "catalog/partners/bright-futures.yaml" in x)
    assert "registration ends within 90 days" in line and "2027-01-31 (312/CNV-HĐ)" in line
    assert "catalog/partners/clearwater-asia.yaml" not in out  # ends 2028
    code, out, _ = run(capsys, "status", str(CATALOG), "--today", "2027-02-01", "--lang", "en")
    assert "registration has ended" in out


# --- the yearly report ----------------------------------------------------------------------------


def test_report_figures_against_the_example() -> None:
    found = validate(CATALOG, today=TODAY)
    rep = year_report(found.catalogue, found.internal, 2026, "en", TODAY)
    assert [s.id for s in rep.signed] == ["disability-jobs-viet-tri", "school-wash-tan-son",
                                          "digital-classrooms-lap-thach"]
    assert (rep.target.projects_min, rep.target.projects_max) == (4, 6)
    # committed in 2026: 4,500,000,000 + 120,000 × 26,300 + 1,315,000,000; disbursed: 150,000 × 26,300
    assert rep.committed == Decimal(8_971_000_000) and rep.disbursed == Decimal(3_945_000_000)
    assert dict((name, (c, d)) for name, c, d in rep.by_partner)["Bright Futures Viet Nam"] == (0, Decimal(3_945_000_000))
    gap = {ident: g for ident, _, _, _, g in rep.open_needs}
    assert gap["digital-classrooms-lap-thach"] == Decimal(2_630_000_000)  # US$100,000 still sought
    assert "safe-classrooms-xuan-dai" not in gap and "disability-jobs-viet-tri" not in gap
    assert [(f.day.isoformat(), f.overdue) for f in rep.follow_ups] == [
        ("2026-11-15", True), ("2026-12-05", False), ("2026-12-10", False), ("2026-12-20", False)]
    assert rep.not_contacted == []
    later = year_report(found.catalogue, found.internal, 2027, "en", dt.date(2027, 6, 1))
    assert later.signed == [] and len(later.not_contacted) == 3 and later.target.projects_min == 5


def test_report_command_in_both_languages(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "report", str(CATALOG), "--year", "2026", "--today", "2026-12-01")
    assert code == 0
    assert out.startswith("# Kết quả vận động viện trợ phi chính phủ nước ngoài năm 2026\n")
    assert ("Năm 2026, tỉnh đã vận động, ký kết 3 chương trình, dự án mới, so với chỉ tiêu kế hoạch từ 4 đến 6: "
            "đạt 75% mức tối thiểu, cần thêm 1 dự án để hoàn thành chỉ tiêu.") in out
    assert "giá trị cam kết mới 8.971.000.000 ₫, giá trị giải ngân 3.945.000.000 ₫" in out
    assert "ngày 15 tháng 11 năm 2026 — **quá hạn**" in out
    code, out, _ = run(capsys, "report", str(CATALOG), "--year", "2026", "--today", "2026-12-01", "--lang", "en")
    assert "# Foreign non-governmental aid mobilised in 2026" in out
    assert "| **Total** | **VND 8,971,000,000** | **VND 3,945,000,000** |" in out
    xlsx = tmp_path / "r.xlsx"
    code, _, _ = run(capsys, "report", str(CATALOG), "--year", "2026", "--today", "2026-12-01", "--format", "xlsx",
                     "--out", str(xlsx), "--lang", "en")
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Projects signed"] == 3 and summary["Committed in the year (VND)"] == 8_971_000_000


# --- the boundary ---------------------------------------------------------------------------------

def _texts_of(path: Path) -> list[str]:
    """What a file holds, decompressed: its bytes, gzip members, zip members, and a PDF's text and streams."""
    data = path.read_bytes()
    found = [data.decode("utf-8", "replace")]
    if data[:2] == b"\x1f\x8b":
        found.append(gzip.decompress(data).decode("utf-8", "replace"))
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    if data[:5] == b"%PDF-":
        found += page_texts(data)
        reader = PdfReader(io.BytesIO(data))
        numbers = {(n, g) for g, entries in reader.xref.items() for n in entries} | {(n, 0) for n in reader.xref_objStm}
        for number, generation in sorted(numbers):
            try:
                obj = reader.get_object(IndirectObject(number, generation, reader))
            except Exception:  # a free or damaged entry
                continue
            if hasattr(obj, "get_data"):
                with contextlib.suppress(Exception):  # an image filter pypdf cannot undo
                    found.append(obj.get_data().decode("latin-1"))
    return found


def test_no_internal_field_reaches_any_output(example_build: Build) -> None:
    """Every text of the example's internal blocks carries a marker (conftest.example_build); no output holds one."""
    catalog = example_build.project / "catalog"
    count = sum(path.read_text(encoding="utf-8").count(MARK) for path in catalog.rglob("*.yaml"))
    assert count >= 30
    found = validate(catalog, today=TODAY)
    assert found.catalogue is not None, [p.format() for p in found.problems if p.severity == "error"]
    stored = repr(found.internal)
    assert all(f"{MARK}{n:03d}" in stored for n in range(1, count + 1))  # every marker was read
    site = example_build.site
    kinds = {p.suffix for p in site.rglob("*") if p.is_file()}
    assert {".html", ".pdf", ".json", ".csv", ".xlsx", ".xml"} <= kinds
    assert any(p.name.startswith("feed-") for p in (site / "data").iterdir())
    assert list(site.rglob("*.pf_fragment")) and (site / "sitemap.xml").is_file()
    leaks = [str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()
             and any(MARK in text for text in _texts_of(p))]
    assert leaks == []

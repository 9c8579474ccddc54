"""PDF briefs and catalogues, read back with pypdf: text, structure, selection, bounds, bytes, cache.

A small catalogue of our own (the shipped vocabularies and site.yaml, five needs, a model project
and a partner written here) is rendered once per test process. Bounds, and why:

- a brief is at most 2 pages (the issue: "one or two A4 pages") and under 300 KB, so that it
  can be e-mailed and forwarded freely; without photos a brief is ~30 KB (fonts subset), and
  with a 3 MB photo it stays small because photos are scaled to 150 dpi at their printed size;
- a catalogue entry takes at most 3 pages, the catalogue at most 4 + 3 x entries pages.

The example catalogue's own PDFs are checked against the same bounds in tests/test_example_data.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from site_helpers import BRIEF_MAX_BYTES, BRIEF_MAX_PAGES, assert_contents_match, flat, outline, text_of

from aidcatalog import fmt, languages, pdf
from aidcatalog.cli import main
from aidcatalog.select import Filters, check, select
from aidcatalog.validate import Catalogue, validate

REPO = Path(__file__).resolve().parent.parent
PRODUCED = pdf.production_time(dt.date(2026, 11, 28))
SITE_URL = "https://pdf-test.example.org/catalogue/"
ALPHABET = (
    "à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ đ è é ẻ ẽ ẹ ê ề ế ể ễ ệ ì í ỉ ĩ ị ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ "
    "ơ ờ ớ ở ỡ ợ ù ú ủ ũ ụ ư ừ ứ ử ữ ự ỳ ý ỷ ỹ ỵ Đ Ằ Ẫ Ệ Ỗ Ợ Ữ Ỹ"
)


def need(ident: str, sector: str, communes: list[str], *, total: float, requested: float, currency: str = "VND",
         status: str = "calling", title_vi: str, title_en: str, themes: list[str] | None = None,
         sdgs: list[int] | None = None, extra: str = "") -> dict:
    return {
        "id": ident,
        "title": {"vi": title_vi, "en": title_en},
        "summary": {"vi": f"Tóm tắt của dự án {title_vi}. {extra}", "en": f"Summary of {title_en}."},
        "status": status, "sectors": [sector], "themes": themes or [], "sdgs": sdgs or [],
        "locations": [{"commune": c} for c in communes],
        "context": {"vi": "Thực trạng: **thiếu** trang thiết bị.\n\nNgười dân phải đi xa.",
                    "en": "The problem: equipment is **lacking**.\n\nPeople travel far."},
        "objectives": [{"vi": "Cải thiện dịch vụ cơ bản.", "en": "Better basic services."}],
        "activities": [{"vi": "Sửa chữa, trang bị.", "en": "Repair and equip."},
                       {"vi": "Tập huấn cán bộ.", "en": "Train staff."}],
        "expected_results": [{"indicator": {"vi": "Số người được phục vụ", "en": "People served"},
                              "target": 5000, "unit": {"vi": "người", "en": "people"}}],
        "beneficiaries": {"groups": ["children", "women"], "direct": 5000, "indirect": 12000, "women_share": 52},
        "budget": {"total": total, "currency": currency, "requested": requested,
                   "counterpart": {"cash": (total - requested) / 2, "in_kind": (total - requested) / 2}},
        "duration_months": 24, "planned_start": dt.date(2027, 3, 1), "modality": "project",
        "proposer": {"vi": "UBND xã", "en": "Commune People's Committee"},
        "contact": {"name": f"Nguyễn Thị Hằng {ident[:3]}", "role": {"vi": "Cán bộ dự án", "en": "Project officer"},
                    "email": f"{ident}@example.gov.vn", "phone": "+84 210 3000 111"},
        "readiness": {"concept_note": True, "local_approval": True},
        "last_reviewed": dt.date(2026, 9, 1),
    }


def write_catalogue(root: Path) -> Path:
    """A small, valid catalogue: the shipped site.yaml and vocabularies, our own entries."""
    shutil.copytree(REPO / "catalog" / "vocabularies", root / "vocabularies")
    shutil.copy(REPO / "catalog" / "site.yaml", root / "site.yaml")
    localities = yaml.safe_load((root / "vocabularies" / "localities.yaml").read_text(encoding="utf-8"))
    former = {item["id"]: item["former"] for item in localities["items"]}
    needs = [
        need("health-yen-lap", "health", ["yen-lap", "thuong-long"], total=6.8e9, requested=5.9e9,
             title_vi="Trạm y tế xã Yên Lập: nâng cấp phòng khám và dụng cụ đỡ đẻ",
             title_en="Yên Lập health station: a better clinic and delivery kits",
             themes=["children-nutrition"], sdgs=[2, 3], extra=ALPHABET),
        need("health-da-bac", "health", ["da-bac"], total=150_000, requested=120_000, currency="USD",
             status="in-discussion", title_vi="Xuồng cứu thương cho các bản ven hồ Đà Bắc",
             title_en="A boat ambulance for the lakeside villages of Đà Bắc", sdgs=[3]),
        need("school-pa-co", "education", ["pa-co"], total=12e9, requested=10e9,
             title_vi="Điểm trường bán trú kiên cố cho học sinh người H'Mông ở Pà Cò",
             title_en="A permanent semi-boarding school for H'Mông pupils in Pà Cò",
             themes=["safe-schools", "ethnic-minorities"], sdgs=[4]),
        need("water-tan-son", "water-sanitation", ["tan-son"], total=300_000, requested=250_000, currency="USD",
             title_vi="Nước sạch tự chảy cho các thôn vùng cao Tân Sơn",
             title_en="Gravity-fed water for the upland villages of Tân Sơn", themes=["clean-water"], sdgs=[6]),
        need("draft-entry", "health", ["viet-tri"], total=1e9, requested=8e8, status="draft",
             title_vi="Bản nháp chưa đăng", title_en="An unpublished draft"),
    ]
    for item in needs:
        folder = root / "needs" / item["sectors"][0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{item['id']}.yaml").write_text(yaml.safe_dump(item, allow_unicode=True, sort_keys=False),
                                                  encoding="utf-8")
    story = {
        "id": "school-meals-story", "title": {"vi": "Bữa ăn bán trú ở Tân Sơn", "en": "School meals in Tân Sơn"},
        "summary": {"vi": "Bữa trưa đủ chất cho học sinh.", "en": "Nutritious lunches for pupils."},
        "sectors": ["education"], "locations": [{"commune": "tan-son"}],
        "story": {"problem": {"vi": "Học sinh đói.", "en": "Pupils were hungry."},
                  "intervention": {"vi": "Bếp ăn và vườn rau.", "en": "A kitchen and a garden."},
                  "change": {"vi": "Đi học đều hơn.", "en": "Better attendance."}},
        "donors": [{"name": "Example Foundation"}], "local_partner": {"vi": "Trường Tân Sơn", "en": "Tân Sơn school"},
        "period": {"start": dt.date(2022, 1, 1), "end": dt.date(2024, 6, 30)},
        "value": {"amount": 80_000, "currency": "USD"}, "beneficiaries_reached": 420,
        "results": [{"indicator": {"vi": "Tỷ lệ đi học", "en": "Attendance"}, "unit": {"vi": "%", "en": "%"},
                     "baseline": 81, "actual": 96, "year": 2024}],
        "scale_up_needs": ["school-pa-co"], "last_reviewed": dt.date(2026, 9, 1),
    }
    (root / "stories").mkdir()
    (root / "stories" / "school-meals-story.yaml").write_text(yaml.safe_dump(story, allow_unicode=True), "utf-8")
    partner = {
        "id": "friends-of-the-hills", "name": "Friends of the Hills e.V.", "language": "en",
        "sectors": ["health", "education"],
        "places": [former["yen-lap"]["district"]["id"], former["pa-co"]["district"]["id"]],
        "budget": {"min": 50_000, "max": 300_000, "currency": "USD"},
        "greeting": {"vi": "Kính gửi Quý tổ chức.", "en": "Thank you for your **long friendship** with Phú Thọ."},
        "contact_name": "Dr Anna Weber",
    }
    (root / "partners").mkdir()
    (root / "partners" / "friends-of-the-hills.yaml").write_text(yaml.safe_dump(partner, allow_unicode=True), "utf-8")
    return root


# --- helpers ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalogue(tmp_path_factory.mktemp("pdfcat") / "catalog")


@pytest.fixture(scope="session")
def cat(catalog_dir: Path) -> Catalogue:
    report = validate(catalog_dir)
    assert report.catalogue is not None, [p.format() for p in report.problems]
    return report.catalogue


@pytest.fixture(scope="session")
def briefs(cat: Catalogue) -> dict[tuple[str, str], pdf.Written]:
    return {(i, lang): pdf.render_brief(cat, i, lang, site_url=SITE_URL, produced=PRODUCED)
            for i in cat.needs for lang in languages.DEFAULT.codes}


@pytest.fixture(scope="session")
def catalogues(cat: Catalogue) -> dict[str, pdf.Written]:
    return {lang: pdf.render_catalogue(cat, lang, site_url=SITE_URL, produced=PRODUCED)[0] for lang in languages.DEFAULT.codes}


# --- briefs -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", languages.DEFAULT.codes)
def test_brief_has_title_budget_contact_in_its_language(cat: Catalogue, briefs: dict, lang: str) -> None:
    item = cat.needs["health-yen-lap"]
    text = text_of(briefs[item.id, lang].pdf)
    title = item.title.vi if lang == "vi" else item.title.en
    assert flat(title) in text
    for amount in (item.budget.total, item.budget.requested):
        assert flat(fmt.money(amount, item.budget.currency, lang)) in text
    assert flat(fmt.approx(item.budget.total, item.budget.currency, lang, cat.site.usd_to_vnd)) in text
    assert item.contact.name in text and item.contact.email in text
    assert ("Tổng kinh phí" in text) == (lang == "vi")
    assert ("Total cost" in text) == (lang == "en")
    assert pdf.need_url(SITE_URL, lang, item.id) in text


def test_brief_vietnamese_is_the_yaml_text_nfc(catalog_dir: Path, briefs: dict) -> None:
    source = yaml.safe_load((catalog_dir / "needs" / "health" / "health-yen-lap.yaml").read_text(encoding="utf-8"))
    text = text_of(briefs["health-yen-lap", "vi"].pdf)
    assert text == unicodedata.normalize("NFC", text)
    for value in (source["title"]["vi"], source["contact"]["name"], source["contact"]["role"]["vi"]):
        assert unicodedata.normalize("NFC", value) == value
        assert flat(value) in text
    assert ALPHABET in text  # every Vietnamese letter came out as itself: the font has them all


def test_brief_links_back_to_its_page(briefs: dict) -> None:
    reader = PdfReader(io.BytesIO(briefs["school-pa-co", "en"].pdf))
    uris = {annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])
            if "/URI" in annot.get_object().get("/A", {})}
    assert "https://pdf-test.example.org/catalogue/en/needs/school-pa-co/" in uris
    assert "mailto:school-pa-co@example.gov.vn" in uris


def test_briefs_stay_within_bounds(briefs: dict) -> None:
    for (ident, lang), written in briefs.items():
        assert written.pages <= BRIEF_MAX_PAGES, (ident, lang, written.pages)
        assert len(written.pdf) < BRIEF_MAX_BYTES, (ident, lang, len(written.pdf))
        assert len(PdfReader(io.BytesIO(written.pdf)).pages) == written.pages


def test_only_the_packaged_font_is_embedded(briefs: dict, catalogues: dict) -> None:
    for data in (briefs["health-yen-lap", "vi"].pdf, catalogues["en"].pdf):
        reader = PdfReader(io.BytesIO(data))
        fonts = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in descriptor, font["/BaseFont"]  # embedded
                fonts.add(font["/BaseFont"].split("+", 1)[1])
        assert fonts and all(name.startswith("Be-Vietnam-Pro") for name in fonts), fonts


def test_brief_metadata(briefs: dict, cat: Catalogue) -> None:
    reader = PdfReader(io.BytesIO(briefs["water-tan-son", "en"].pdf))
    assert reader.metadata.title == cat.needs["water-tan-son"].title.en
    assert reader.metadata.author == cat.site.office.name.en
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20261128000000+07'00"


def test_photos_are_scaled_down(tmp_path: Path, catalog_dir: Path) -> None:
    from PIL import Image

    root = tmp_path / "catalog"
    shutil.copytree(catalog_dir, root)
    (root / "media").mkdir()
    big = Image.effect_noise((3000, 2000), 60).convert("RGB")
    big.save(root / "media" / "site.jpg", quality=95)
    assert (root / "media" / "site.jpg").stat().st_size > 2_000_000
    path = root / "needs" / "water-sanitation" / "water-tan-son.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["photos"] = [{"file": "site.jpg", "caption": {"vi": "Đầu nguồn", "en": "The spring"},
                       "credit": "Sở Ngoại vụ", "consent": True}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = validate(root)
    assert report.catalogue is not None, [p.format() for p in report.problems]
    written = pdf.render_brief(report.catalogue, "water-tan-son", "en", site_url=SITE_URL, produced=PRODUCED)
    assert written.pages <= BRIEF_MAX_PAGES
    assert len(written.pdf) < BRIEF_MAX_BYTES, len(written.pdf)


def test_rendering_reads_only_fonts_and_media(cat: Catalogue) -> None:
    fetcher = pdf._local_fetcher((str(pdf.FONT_DIR), str(pdf.media_dir(cat))))
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/tracker.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch((pdf.FONT_DIR / "BeVietnamPro-Regular.ttf").as_uri())
    assert response is not None


# --- catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", languages.DEFAULT.codes)
def test_catalogue_contents_page_numbers_match_the_sections(catalogues: dict, cat: Catalogue, lang: str) -> None:
    data = catalogues[lang].pdf
    marks = outline(data)
    titles = [title for _, title, _ in marks]
    # cover, contents, introduction, 3 sectors with 4 needs, model projects with 1, contact
    assert len(marks) == 1 + 1 + 1 + 3 + 4 + 1 + 1 + 1, titles
    assert_contents_match(data)
    reader = PdfReader(io.BytesIO(data))
    footer = flat(reader.pages[-1].extract_text())
    pages = len(reader.pages)
    assert (f"Trang {pages} / {pages}" if lang == "vi" else f"Page {pages} of {pages}") in footer


def test_catalogue_structure_and_metadata(catalogues: dict, cat: Catalogue) -> None:
    data = catalogues["en"].pdf
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.author == cat.site.office.name.en
    assert cat.site.name.en in reader.metadata.title
    marks = outline(data)
    needs = [title for level, title, _ in marks if level == 2]
    assert needs == [n.title.en for n in select(cat, Filters()).needs] + [cat.stories["school-meals-story"].title.en]
    assert "An unpublished draft" not in text_of(data)
    # running header: the section's name on its pages
    health = next(page for level, title, page in marks if level == 1 and title == "Health")
    assert "Health Project catalogue 2027" in text_of(data, slice(health, health + 1))  # margin boxes come last
    assert catalogues["en"].pages <= 4 + 3 * len(cat.needs) + 3 * len(cat.stories)


def test_same_input_gives_identical_bytes(cat: Catalogue, briefs: dict, catalogues: dict) -> None:
    again = pdf.render_brief(cat, "health-yen-lap", "vi", site_url=SITE_URL, produced=PRODUCED)
    assert again.pdf == briefs["health-yen-lap", "vi"].pdf
    again_cat, _ = pdf.render_catalogue(cat, "vi", site_url=SITE_URL, produced=PRODUCED)
    assert again_cat.pdf == catalogues["vi"].pdf


def test_production_time_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    produced = pdf.production_time()
    assert produced == dt.datetime.fromtimestamp(1795000000, dt.UTC)
    assert produced.utcoffset() == dt.timedelta(hours=7)  # the date printed is Viet Nam's
    assert pdf.production_time(dt.date(2027, 1, 2)).date() == dt.date(2027, 1, 2)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setenv("SITE_URL", "https://elsewhere.example/")
    assert pdf.default_site_url() == "https://elsewhere.example/"
    assert pdf.need_url("https://x.example/a", "en", "n") == "https://x.example/a/en/needs/n/"
    assert pdf.need_url("https://x.example/a/", "vi", "n") == "https://x.example/a/needs/n/"


# --- selection ----------------------------------------------------------------------------


def test_filters(cat: Catalogue) -> None:
    def ids(**kw: object) -> list[str]:
        return [n.id for n in select(cat, Filters(**kw)).needs]  # type: ignore[arg-type]

    yen_lap = cat.localities["yen-lap"].former
    assert yen_lap is not None
    assert ids(sectors=("health",)) == ["health-yen-lap", "health-da-bac"]  # catalogue order: sector, title
    assert ids(sectors=("health", "education")) == ["health-yen-lap", "health-da-bac", "school-pa-co"]
    assert ids(places=("thuong-long",)) == ["health-yen-lap"]
    assert ids(places=(yen_lap.district.id,)) == ["health-yen-lap"]
    assert set(ids(places=(yen_lap.province.id,))) == {"health-yen-lap", "water-tan-son"}
    assert ids(sectors=("health",), statuses=("in-discussion",)) == ["health-da-bac"]
    assert set(ids(sdgs=(3, 6))) == {"health-yen-lap", "health-da-bac", "water-tan-son"}
    assert ids(themes=("clean-water",)) == ["water-tan-son"]
    # budget: the amount requested, converted (5.9 bn VND ≈ US$224k; 10 bn VND ≈ US$380k)
    assert set(ids(max_budget=230_000)) == {"health-yen-lap", "health-da-bac"}
    assert set(ids(min_budget=230_000, currency="USD")) == {"school-pa-co", "water-tan-son"}
    assert ids(min_budget=9e9, currency="VND") == ["school-pa-co"]
    assert ids(ids=("water-tan-son",)) == ["water-tan-son"]
    assert ids(ids=("draft-entry",)) == []
    assert cat.former[yen_lap.district.id] >= {"yen-lap", "thuong-long"}


def test_unknown_values_suggest_the_closest(cat: Catalogue) -> None:
    wrong = check(cat, Filters(sectors=("helth",), places=("yen-lapp",), sdgs=(18,)), partner="friends")
    assert [(w.option, w.value, w.suggestion) for w in wrong] == [
        ("--sector", "helth", "health"), ("--sdg", "18", "8"), ("--place", "yen-lapp", "yen-lap"),
        ("--partner", "friends", None),
    ]
    assert wrong[0].message("en") == "--sector: there is no `helth`; did you mean `health`?"
    assert wrong[0].message("vi") == "--sector: không có `helth`; có phải ý bạn là `health`?"


# --- the command ----------------------------------------------------------------------------


def test_command_tailored_catalogue_has_exactly_the_selection(capsys: pytest.CaptureFixture[str],
                                                              catalog_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "health.pdf"
    code, stdout, err = run(capsys, "pdf", catalog_dir, "--sector", "health", "--lang", "en", "--out", out,
                            "--site-url", SITE_URL, "--date", "2026-11-28")
    assert code == 0, err
    assert stdout.startswith(f"Wrote {out} (")
    titles = [title for level, title, _ in outline(out) if level == 2]
    assert titles == ["Yên Lập health station: a better clinic and delivery kits",
                      "A boat ambulance for the lakeside villages of Đà Bắc"]
    text = text_of(out)
    assert "Pà Cò" not in text and "Tân Sơn" not in text  # the other needs and the unrelated story
    assert "A SELECTION" in text and "Sectors: Health" in text

    out = tmp_path / "budget.pdf"
    code, _, err = run(capsys, "pdf", catalog_dir, "--place", "pa-co,tan-son", "--min-budget", "6000000000VND",
                       "--lang", "vi", "--out", out, "--date", "2026-11-28")
    assert code == 0, err
    titles = [title for level, title, _ in outline(out) if level == 2]
    assert titles == ["Điểm trường bán trú kiên cố cho học sinh người H'Mông ở Pà Cò",
                      "Nước sạch tự chảy cho các thôn vùng cao Tân Sơn", "Bữa ăn bán trú ở Tân Sơn"]


def test_command_partner_catalogue(capsys: pytest.CaptureFixture[str], catalog_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "partner.pdf"
    code, _, err = run(capsys, "pdf", catalog_dir, "--partner", "friends-of-the-hills", "--out", out,
                            "--date", "2026-11-28")
    assert code == 0, err
    # health + education, in the former Yên Lập or Mai Châu district, US$50k–300k requested:
    # Pà Cò's school (≈ US$380k) is out on budget, Đà Bắc (another district) on place. The
    # education model project comes along: the partner funds education.
    titles = [title for level, title, _ in outline(out) if level == 2]
    assert titles == ["Yên Lập health station: a better clinic and delivery kits", "School meals in Tân Sơn"]
    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "en"  # the partner's language
    cover = flat(reader.pages[0].extract_text())
    assert "PREPARED FOR" in cover and "Friends of the Hills e.V." in cover and "Dr Anna Weber" in cover
    # one project, one sector, two communes: each figure's label in the number it counts
    shout = cover.upper()  # a figure and its label come out of the PDF with no space between them
    assert re.search(r"\b1 ?PROJECT SEEKING FUNDING", shout) and re.search(r"1 ?SECTOR\b", shout), cover
    assert re.search(r"2 ?COMMUNES AND WARDS", shout), cover
    letter = flat(reader.pages[1].extract_text())
    assert "To: Dr Anna Weber" in letter and "Thank you for your long friendship with Phú Thọ." in letter


@pytest.mark.parametrize(("lang", "message"), [
    ("vi", "Không có dự án nào khớp với lựa chọn (Lĩnh vực: Y tế; Chủ đề: Nước sạch"),
    ("en", "No project matches the selection (Sectors: Health; Themes: Clean water"),
])
def test_command_empty_selection_is_an_error(capsys: pytest.CaptureFixture[str], catalog_dir: Path,
                                             tmp_path: Path, lang: str, message: str) -> None:
    out = tmp_path / "empty.pdf"
    code, stdout, err = run(capsys, "pdf", catalog_dir, "--sector", "health", "--theme", "clean-water",
                            "--lang", lang, "--out", out)
    assert code == 1
    assert message in err and stdout == ""
    assert not out.exists()


def test_command_usage_errors(capsys: pytest.CaptureFixture[str], catalog_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "pdf", catalog_dir, "--sector", "helth", "--lang", "en", "--out", tmp_path / "x.pdf")
    assert code == 2 and "--sector: there is no `helth`; did you mean `health`?" in err
    code, _, err = run(capsys, "pdf", catalog_dir, "--brief", "health-yen-lapp", "--lang", "en")
    assert code == 2 and "did you mean `health-yen-lap`?" in err
    code, _, err = run(capsys, "pdf", catalog_dir, "--partner", "nobody", "--lang", "vi")
    assert code == 2 and "--partner: không có `nobody`" in err
    code, _, err = run(capsys, "pdf", catalog_dir, "--max-budget", "lots", "--lang", "en")
    assert code == 2 and "`lots` is not an amount" in err
    code, _, err = run(capsys, "pdf", catalog_dir, "--brief", "school-pa-co", "--sector", "health", "--lang", "en")
    assert code == 2 and "--brief takes no filters" in err
    assert not (tmp_path / "x.pdf").exists()


def test_command_brief(capsys: pytest.CaptureFixture[str], catalog_dir: Path, tmp_path: Path, briefs: dict) -> None:
    out = tmp_path / "brief.pdf"
    code, stdout, err = run(capsys, "pdf", catalog_dir, "--brief", "school-pa-co", "--lang", "en", "--out", out,
                            "--site-url", SITE_URL, "--date", "2026-11-28")
    assert code == 0, err
    assert out.read_bytes() == briefs["school-pa-co", "en"].pdf
    assert stdout == f"Wrote {out} ({briefs['school-pa-co', 'en'].pages} pages, 1 project).\n"


# --- the site build -----------------------------------------------------------------------


def test_build_writes_every_pdf_and_rerenders_only_what_changed(catalog_dir: Path, catalogues: dict[str, pdf.Written],
                                                             tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(catalog_dir, root)
    site, cache = tmp_path / "site", tmp_path / ".cache" / "pdf"
    first = pdf.BuildStats()
    cat = validate(root).catalogue
    assert cat is not None
    paths = pdf.build_pdfs(cat, site, cache, SITE_URL, 2, produced=PRODUCED, stats=first)
    expected = {site / pdf.brief_path(lang, i) for lang in languages.DEFAULT.codes for i in cat.needs}
    expected |= {site / pdf.catalogue_path(lang) for lang in languages.DEFAULT.codes}
    assert set(paths) == expected and all(p.is_file() for p in paths)
    assert len(first.rendered) == len(expected) and first.reused == 0
    # The catalogues are assembled from parts: the same pages, bookmarks and contents as one rendering.
    for lang in languages.DEFAULT.codes:
        whole = catalogues[lang]  # rendered in one go, from the same entries
        assembled = (site / pdf.catalogue_path(lang)).read_bytes()
        assert outline(assembled) == outline(whole.pdf)
        assert_contents_match(assembled)
        reader = PdfReader(io.BytesIO(assembled))
        assert len(reader.pages) == whole.pages and reader.trailer["/Root"]["/Lang"] == lang
        assert reader.metadata.title == PdfReader(io.BytesIO(whole.pdf)).metadata.title
        footer = flat(reader.pages[-1].extract_text())
        assert f"{whole.pages} / {whole.pages}" in footer or f"{whole.pages} of {whole.pages}" in footer
        # Page for page as one rendering, each with its own number and running head: the pages of one part
        # share their resources, so one stamp name for all once printed the part's last number on each.
        pages = whole.pages
        for number, (one, merged) in enumerate(zip(PdfReader(io.BytesIO(whole.pdf)).pages, reader.pages, strict=True), 1):
            text = flat(merged.extract_text())
            assert text.endswith(f"Page {number} of {pages}" if lang == "en" else f"Trang {number} / {pages}"), text
            assert text == flat(one.extract_text()), number

    second = pdf.BuildStats()
    again = pdf.build_pdfs(cat, tmp_path / "site2", cache, SITE_URL, 2, produced=PRODUCED, stats=second)
    assert second.rendered == [] and second.reused == len(expected)
    for a, b in zip(paths, again, strict=True):
        assert a.read_bytes() == b.read_bytes()

    # Edit one need: only its two briefs and the two catalogues are rendered again.
    path = root / "needs" / "health" / "health-da-bac.yaml"
    edited = path.read_text(encoding="utf-8").replace("boat ambulance", "river ambulance")
    path.write_text(edited.replace("+84 210 3000 111", "+84 210 3000 222"), "utf-8")  # in both languages
    cat = validate(root).catalogue
    assert cat is not None
    third = pdf.BuildStats()
    before = {p: p.stat().st_mtime_ns for p in paths}
    pdf.build_pdfs(cat, site, cache, SITE_URL, 2, produced=PRODUCED, stats=third)
    assert sorted(third.rendered) == sorted([
        str(pdf.brief_path("vi", "health-da-bac")), str(pdf.brief_path("en", "health-da-bac")),
        str(pdf.catalogue_path("vi")), str(pdf.catalogue_path("en")),
    ])
    # per language: the entry's part, and when its length changed, the contents and the page numbers
    assert third.parts <= 3 * len(languages.DEFAULT.codes) < first.parts
    unchanged = site / pdf.brief_path("vi", "water-tan-son")
    assert unchanged.stat().st_mtime_ns == before[unchanged]  # untouched files are not rewritten
    assert "river ambulance" in text_of(site / pdf.brief_path("en", "health-da-bac"))

    # A need that is withdrawn loses its briefs.
    path.write_text(path.read_text(encoding="utf-8").replace("status: in-discussion", "status: withdrawn"), "utf-8")
    cat = validate(root).catalogue
    assert cat is not None
    pdf.build_pdfs(cat, site, cache, SITE_URL, 1, produced=PRODUCED)
    assert not (site / pdf.brief_path("en", "health-da-bac")).exists()


def test_command_writes_into_an_ignored_folder_and_never_a_silent_placeholder(
        capsys: pytest.CaptureFixture[str], catalog_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief's page 1 is its summary sheet; the default folder is pdf-out/; a placeholder address is refused."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITE_URL", raising=False)
    code, stdout, err = run(capsys, "pdf", catalog_dir, "--brief", "school-pa-co", "--lang", "en", "--date", "2026-11-28")
    assert code == 0, err
    out = tmp_path / "pdf-out" / "school-pa-co-en.pdf"
    assert stdout.startswith("Wrote pdf-out/school-pa-co-en.pdf (")
    assert "WARNING: the PDF prints the example address" in err  # the example catalogue is illustrative
    first = flat(PdfReader(out).pages[0].extract_text())
    for words in ("SOUGHT FROM DONORS", "STATUS", "CONTACT"):
        assert words in first
    ignored = (Path(__file__).parent.parent / ".gitignore").read_text(encoding="utf-8")
    assert "/pdf-out/" in ignored.splitlines()

    real = Path(shutil.copytree(catalog_dir, tmp_path / "real" / "catalog"))
    site = real / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("illustrative: true", "illustrative: false"),
                    encoding="utf-8")
    code, stdout, err = run(capsys, "pdf", real, "--brief", "school-pa-co", "--lang", "en",
                            "--out", tmp_path / "real.pdf")
    assert code == 1 and not (tmp_path / "real.pdf").exists()
    assert "is an example, and this catalogue is not illustrative" in err


# --- amounts, totals, funded projects, the cover, page fill, dates (what a partner reads) ------------------


def sector_page(data: bytes, sector: str) -> str:
    """The text of the page where ``sector``'s overview is (its bookmark), flattened."""
    page = next(page for level, title, page in outline(data) if level == 1 and title == sector)
    return text_of(data, slice(page - 1, page))


@pytest.mark.parametrize(("lang", "rows"), [
    # every amount of the overview in the reader's currency, converted ≈ at site.usd_to_vnd, its own below
    ("en", ["Yên Lập Commune, Thượng Long Commune ≈ US$224,000 VND 5,900,000,000 Seeking funding",
            "Đà Bắc Commune US$120,000 In discussion with a donor"]),
    ("vi", ["Xã Yên Lập, Xã Thượng Long 5.900.000.000 ₫ Đang kêu gọi tài trợ",
            "Xã Đà Bắc ≈ 3.156.000.000 ₫ 120.000 US$ Đang trao đổi với nhà tài trợ"]),
])
def test_overview_tables_give_every_amount_in_the_readers_currency(catalogues: dict, lang: str,
                                                                    rows: list[str]) -> None:
    data = catalogues[lang].pdf
    health = sector_page(data, "Health" if lang == "en" else "Y tế")
    for row in rows:
        assert row in health, health[:1500]
    note = {"en": "≈ converted at an indicative rate of VND 26,300 per US$; below it, the amount in the currency "
                  "of the project's own budget.",
            "vi": "≈ quy đổi theo tỷ giá tham khảo 26.300 ₫/USD; dòng dưới là số tiền theo đồng tiền lập dự toán "
                  "của dự án."}[lang]
    assert note in health
    # the model projects' table too: the story's US$80,000 is ≈ 2,104,000,000 ₫ for a Vietnamese reader
    stories = sector_page(data, "Model projects" if lang == "en" else "Mô hình thành công")
    assert ("Tân Sơn Commune US$80,000 Example Foundation" if lang == "en"
            else "Xã Tân Sơn ≈ 2.104.000.000 ₫ 80.000 US$ Example Foundation") in stories


@pytest.mark.parametrize(("lang", "cover", "health"), [
    # under a million in full, over it in words; never upper-cased ("US$0.1 MILLION", "US$974.6 THOUSAND")
    ("en", "≈ US$975,000", "2 projects · Still sought: ≈ US$344,000"),
    ("vi", "25,6 tỷ ₫", "2 dự án · Còn cần vận động: 9,1 tỷ ₫"),
])
def test_totals_print_in_full_below_a_million_and_never_in_capitals(catalogues: dict, lang: str, cover: str,
                                                                     health: str) -> None:
    data = catalogues[lang].pdf
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert any(cover in line for line in first.splitlines()), first  # on one line: it does not wrap
    assert health in sector_page(data, "Health" if lang == "en" else "Y tế")
    text = text_of(data)
    assert re.findall(r"\d (?:THOUSAND|MILLION|BILLION|NGHÌN|TRIỆU|TỶ)\b", text) == []  # an amount in capitals
    assert re.findall(r"\d (?:thousand|nghìn)\b", text) == []  # below a million: in full


@pytest.fixture(scope="session")
def funded_dir(catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test catalogue with Pà Cò's school under way (fully funded) and Đà Bắc's boat partly funded."""
    root = tmp_path_factory.mktemp("funded") / "catalog"
    shutil.copytree(catalog_dir, root)
    school = root / "needs" / "education" / "school-pa-co.yaml"
    data = yaml.safe_load(school.read_text(encoding="utf-8"))
    data["status"] = "implementing"
    data["funding"] = [{"organisation": "Example Foundation", "amount": 10e9, "currency": "VND",
                        "date": dt.date(2026, 5, 4), "stage": "committed"}]
    school.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    boat = root / "needs" / "health" / "health-da-bac.yaml"
    data = yaml.safe_load(boat.read_text(encoding="utf-8"))
    data["funding"] = [{"organisation": "Example Foundation", "amount": 50_000, "currency": "USD",
                        "date": dt.date(2026, 5, 4), "stage": "committed"}]
    boat.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_a_project_under_way_shows_what_is_still_sought_never_the_request(funded_dir: Path) -> None:
    report = validate(funded_dir)
    assert report.catalogue is not None, [p.format() for p in report.problems]
    cat = report.catalogue
    data = pdf.render_catalogue(cat, "en", site_url=SITE_URL, produced=PRODUCED)[0].pdf
    education = sector_page(data, "Education")
    assert "Pà Cò Commune Fully funded Under way" in education  # not ≈ US$380,000 / VND 10,000,000,000
    assert "Education 1 project Pre-school and general education" in education  # nothing is sought here
    health = sector_page(data, "Health")
    assert "Đà Bắc Commune US$70,000 In discussion" in health  # US$120,000 requested, 50,000 committed
    assert "2 projects · Still sought: ≈ US$294,000" in health
    cover = flat(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "3PROJECTS SEEKING FUNDING ≈ US$544,000" in cover  # the school counts no more, the boat its gap

    # the brief's summary sheet: no amount sought for the school; the boat's gap
    school = flat(PdfReader(io.BytesIO(pdf.render_brief(cat, "school-pa-co", "en", site_url=SITE_URL,
                                                        produced=PRODUCED).pdf)).pages[0].extract_text())
    assert "FUNDING COMMITTED Fully funded VND 10,000,000,000 of VND 10,000,000,000 committed STATUS" in school
    assert "SOUGHT FROM DONORS" not in school and "Requested" not in school
    assert "Donor funding VND 10,000,000,000 ≈ US$380,000 83%" in school
    boat = flat(PdfReader(io.BytesIO(pdf.render_brief(cat, "health-da-bac", "vi", site_url=SITE_URL,
                                                      produced=PRODUCED).pdf)).pages[0].extract_text())
    assert "CÒN CẦN VẬN ĐỘNG 70.000 US$ ≈ 1.841.000.000 ₫ Đã có cam kết 50.000 US$ trên 120.000 US$" in boat
    assert "ĐỀ NGHỊ TÀI TRỢ" not in boat.upper()  # neither "Sought from donors" nor a "Requested" row


def cover_lines(cat: Catalogue, lang: str, **kw: object) -> tuple[list[tuple[str, float, float, float]], float, bytes]:
    """The cover's lines of text as laid out (text, left, right, top; CSS px), the page's width, and the
    catalogue's PDF written from that very layout (what :func:`pdf.render_catalogue` writes)."""
    from aidcatalog.pdf import render

    html = pdf.catalogue_html(cat, select(cat, Filters(**kw)), lang, site_url=SITE_URL,  # type: ignore[arg-type]
                              produced=PRODUCED)
    job = render._job("cover", html, cat, [])
    document = render._layout(job.html, job.base_url, job.roots)
    page = document.pages[0]

    def walk(box: object):
        yield box
        for child in getattr(box, "children", None) or ():
            yield from walk(child)

    lines = [(b.text, b.position_x, b.position_x + b.width, b.position_y) for b in walk(page._page_box)
             if type(b).__name__ == "TextBox" and 0 <= b.position_y < page.height]  # not the (empty) margin boxes
    return lines, page.width, document.write_pdf(**render.WRITE_OPTIONS)


@pytest.mark.parametrize(("lang", "kw", "figure"), [
    ("en", {}, "≈ US$975,000"), ("vi", {}, "25,6 tỷ ₫"),
    ("en", {"sectors": ("health",)}, "≈ US$344,000"), ("vi", {"sectors": ("health",)}, "9,1 tỷ ₫"),
])
def test_the_cover_figures_stay_inside_their_boxes_and_margins(cat: Catalogue, catalogues: dict, lang: str, kw: dict,
                                                                figure: str) -> None:
    lines, width, data = cover_lines(cat, lang, **kw)
    margin = 24 / 25.4 * 96  # the cover's margin, 24 mm, in CSS px
    outside = [(text, round(left), round(right)) for text, left, right, _ in lines
               if left < margin - 0.5 or right > width - margin + 0.5]
    assert outside == []
    money = [line for line in lines if line[0] == figure]
    assert len(money) == 1, [line[0] for line in lines]  # the figure whole, on one line
    label = next(line for line in lines if line[0].upper().startswith(("TOTAL", "TỔNG")))
    assert label[1] == money[0][1] and label[3] > money[0][3]  # its label right under it, in the same box
    if not kw:  # the same bytes as the whole catalogue rendered by pdf.render_catalogue
        assert data == catalogues[lang].pdf
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert any(figure in line for line in text.splitlines())


def test_a_need_does_not_leave_a_near_empty_page(catalogues: dict) -> None:
    """A need that runs onto a second page shares it with what follows: the next need, or the next sector."""
    data = catalogues["en"].pdf
    reader = PdfReader(io.BytesIO(data))
    marks = {title: page for _, title, page in outline(data)}

    def page_text(page: int) -> str:
        return flat(reader.pages[page - 1].extract_text())

    boat = marks["A boat ambulance for the lakeside villages of Đà Bắc"]
    assert "/en/needs/health-yen-lap/" in page_text(boat)  # the last line of the need before it
    education = marks["Education"]
    assert "/en/needs/health-da-bac/" in page_text(education)  # the next sector follows on the same page
    first, contact = marks["Health"], marks["Contact"]
    short = [page for page in range(first, contact) if len(page_text(page)) < 900]
    assert short == [], short  # every page of the needs and model projects holds more than a few lines
    assert catalogues["en"].pages <= 11


def test_pdfs_are_dated_by_their_content_not_the_day_they_are_made(cat: Catalogue, catalog_dir: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief carries its need's last review, a catalogue the latest of its entries: the same bytes on any day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # what a build or CI may set: not printed on a PDF
    brief = pdf.render_brief(cat, "water-tan-son", "en", site_url=SITE_URL)
    reader = PdfReader(io.BytesIO(brief.pdf))
    assert reader.metadata["/CreationDate"] == "D:20260901000000+07'00"  # last_reviewed: 2026-09-01
    assert "Updated 1 September 2026" in flat(reader.pages[0].extract_text())
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pdf.render_brief(cat, "water-tan-son", "en", site_url=SITE_URL).pdf == brief.pdf  # another day

    root = tmp_path / "catalog"
    shutil.copytree(catalog_dir, root)
    path = root / "needs" / "health" / "health-da-bac.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("last_reviewed: 2026-09-01", "last_reviewed: 2026-10-15"),
                    encoding="utf-8")
    edited = validate(root).catalogue
    assert edited is not None
    edited.needs = {i: n for i, n in edited.needs.items() if i in ("water-tan-son", "health-da-bac")}  # enough to show it
    site, cache = tmp_path / "site", tmp_path / "cache"
    pdf.build_pdfs(edited, site, cache, SITE_URL, 1)
    assert (site / pdf.brief_path("en", "water-tan-son")).read_bytes() == brief.pdf  # the same as made alone
    catalogue = PdfReader(site / pdf.catalogue_path("vi"))
    assert catalogue.metadata["/CreationDate"] == "D:20261015000000+07'00"  # its latest entry
    assert "Cập nhật: ngày 15 tháng 10 năm 2026" in flat(catalogue.pages[0].extract_text())
    again = pdf.BuildStats()
    pdf.build_pdfs(edited, tmp_path / "site2", cache, SITE_URL, 1, stats=again)
    assert again.rendered == []  # another run (another day, another commit) renders nothing again


def test_a_partner_letter_is_dated_the_day_it_is_sent(capsys: pytest.CaptureFixture[str], catalog_dir: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "partner.pdf"
    code, _, err = run(capsys, "pdf", catalog_dir, "--partner", "friends-of-the-hills", "--out", out,
                       "--date", "2026-12-03")
    assert code == 0, err
    reader = PdfReader(out)
    assert "Việt Trì, 3 December 2026" in flat(reader.pages[1].extract_text())
    assert "Updated 3 December 2026" in flat(reader.pages[0].extract_text())  # --date: the date printed


@pytest.mark.parametrize(("argv", "message"), [
    ((), "aidcatalog pdf: --brief: không có `health-yen-lapp`; có phải ý bạn là `health-yen-lap`?\n"),
    (("--lang", "vi"), "aidcatalog pdf: --brief: không có `health-yen-lapp`; có phải ý bạn là `health-yen-lap`?\n"),
    (("--lang", "en"), "aidcatalog pdf: --brief: there is no `health-yen-lapp`; did you mean `health-yen-lap`?\n"),
])
def test_command_unknown_brief_answers_in_the_catalogues_language(capsys: pytest.CaptureFixture[str],
                                                                   catalog_dir: Path, tmp_path: Path,
                                                                   argv: tuple[str, ...], message: str) -> None:
    """Without --lang, in the catalogue's default language (Vietnamese), as every other message of the command."""
    code, stdout, err = run(capsys, "pdf", catalog_dir, "--brief", "health-yen-lapp", *argv,
                            "--out", tmp_path / "x.pdf")
    assert (code, stdout, err) == (2, "", message)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("command", "lang", "message"), [
    ("pdf", "vi", "aidcatalog pdf: --brief: `draft-entry` chưa được đăng (trạng thái: Bản nháp): "
                  "nhà tài trợ chỉ thấy các dự án đã đăng\n"),
    ("export", "en", "aidcatalog export: --id: `draft-entry` is not published (status: Draft): "
                     "donors are shown published needs only\n"),
])
def test_a_draft_asked_for_by_name_is_called_a_draft(capsys: pytest.CaptureFixture[str], catalog_dir: Path,
                                                     tmp_path: Path, command: str, lang: str, message: str) -> None:
    option = "--brief" if command == "pdf" else "--id"
    code, stdout, err = run(capsys, command, catalog_dir, option, "draft-entry", "--lang", lang, "--out", tmp_path / "x")
    assert (code, stdout, err) == (2, "", message)
    assert not (tmp_path / "x").exists()

"""One view per entry and language (aidcatalog.views), read by the site and the PDFs alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from aidcatalog import catalogue, fmt, model, pdf, site, validate, views
from aidcatalog.catalogue import Catalogue
from aidcatalog.labels import t
from aidcatalog.render import formerly, tr

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://views-test.example.org/"
PRODUCED = dt.datetime(2026, 3, 2, tzinfo=pdf.VIET_NAM)
LANGS = ("vi", "en")


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    report = validate.validate(ROOT / "catalog")
    assert report.catalogue is not None, [p.format() for p in report.problems]
    return report.catalogue


def flat(text: str) -> str:
    """Whitespace runs (NBSP and line breaks included) as one space; a line broken after a hyphen joined again."""
    return re.sub(r"(?<=\w-) (?=\w)", "", re.sub(r"\s+", " ", text.replace("\xa0", " "))).strip()


def page_text(markdown: str) -> str:
    """A generated page's words, as a reader sees them: tags dropped, entities decoded."""
    body = markdown.split("\n---\n", 1)[1]
    inline = re.sub(r"</?(a|span|strong|em|code|time)\b[^>]*>", "", body)
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_catalogue_has_its_own_module_and_the_validator_still_names_it() -> None:
    assert validate.Catalogue is catalogue.Catalogue
    assert validate.Report is catalogue.Report
    assert site.Catalogue is catalogue.Catalogue and pdf.document.Catalogue is catalogue.Catalogue


@pytest.mark.parametrize("lang", LANGS)
def test_a_formerly_in_place_line_is_the_same_on_the_site_and_in_the_brief(cat: Catalogue, lang: str) -> None:
    # a need in one former district: its whole place line is one group
    need = next(n for n in cat.needs.values()
                if len(views.Views(cat, lang).need(n).places.groups) == 1 and len(n.locations) == 1
                and cat.localities[n.locations[0].commune].former is not None)
    view = views.Views(cat, lang).need(need)
    place = view.places.first
    locality = cat.localities[need.locations[0].commune]
    assert place.former == formerly(locality, lang) and place.former
    assert place.name == tr(locality.name, lang)
    assert place.line == view.places.line == f"{place.label} ({place.former})"

    page = page_text(site.pages(cat, lang)[f"needs/{need.id}.md"])
    brief = pdf_text(pdf.render_brief(cat, need.id, lang, site_url=SITE_URL, produced=PRODUCED).pdf)
    assert flat(view.places.line) in page
    assert flat(view.places.line) in brief


def test_every_place_line_of_a_need_page_comes_from_its_view(cat: Catalogue) -> None:
    for lang in LANGS:
        pages = site.pages(cat, lang)
        vw = views.Views(cat, lang)
        for need in cat.needs.values():
            text = page_text(pages[f"needs/{need.id}.md"])
            for group in vw.need(need).places.groups:
                assert flat(group.line) in text, (need.id, lang, group.line)


def test_site_place_line_and_where_go_through_the_view(cat: Catalogue) -> None:
    for lang in LANGS:
        vw = views.Views(cat, lang)
        for need in cat.needs.values():
            for location in need.locations:
                locality = cat.localities[location.commune]
                line = site.place_line(cat, location.commune, lang)
                assert line == vw.place(location.commune).line
                assert line == f"{tr(locality.name, lang)} ({formerly(locality, lang)})"
                assert site.where(cat, location, lang) == vw.place(location.commune, location.detail)
    vi = site.place_line(cat, "pa-co", "vi")
    assert "trước đây thuộc huyện " in vi  # lower-cased mid-sentence, as render.formerly says
    assert "Trước đây thuộc huyện" in site.pages(cat, "vi")["places/pa-co.md"]


def test_totals_are_the_hand_computed_sums(cat: Catalogue) -> None:
    rate = cat.site.usd_to_vnd
    needs = list(cat.needs.values())

    def vnd_of(amount: float, currency: str) -> float:  # by hand, not with fmt.convert
        return amount * (rate if currency == "USD" else 1)

    def still_sought(n) -> float:
        """In VND: the request less what donors committed (a project under way: nothing)."""
        committed = sum(vnd_of(c.amount, c.currency) for c in n.funding if c.stage in ("committed", "disbursed"))
        return max(vnd_of(n.budget.requested, n.budget.currency) - committed, 0)

    vnd = sum(still_sought(n) for n in needs)
    usd = vnd / rate
    communes = {loc.commune for n in needs for loc in n.locations}
    for lang in LANGS:
        totals = views.Views(cat, lang).totals(needs)
        assert totals.needs == len(needs)
        assert totals.communes == len(communes)
        assert totals.sought.vnd == pytest.approx(vnd) and totals.sought.usd == pytest.approx(usd)
        assert totals.compact == fmt.compact_money(totals.sought.vnd, "VND", lang)
        assert totals.sought.approx == fmt.approx(totals.sought.vnd, "VND", lang, rate)
        headline = fmt.compact_money(vnd, "VND", lang) if lang == "vi" else fmt.compact_money(usd, "USD", lang)
        assert totals.headline == headline
        home = site.pages(cat, lang)["index.md"]
        vw = views.Views(cat, lang)
        shown = vw.totals(vw.counted(needs))  # the home page counts the open, current needs only
        assert shown.needs < totals.needs
        assert shown.compact in home and shown.sought.approx in home
    # a sector's total is the sum over that sector alone
    health = [n for n in needs if n.sectors[0] == needs[0].sectors[0]]
    part = views.Views(cat, "en").totals(health)
    assert part.sought.vnd == pytest.approx(sum(still_sought(n) for n in health))
    assert any(n.funding for n in needs) and vnd < sum(vnd_of(n.budget.requested, n.budget.currency)
                                                       for n in needs)  # money committed is not sought again


def test_every_readiness_field_is_an_item(cat: Catalogue) -> None:
    fields = list(model.Readiness.model_fields)
    assert fields
    for lang in LANGS:
        vw = views.Views(cat, lang)
        for need in cat.needs.values():
            items = vw.need(need).readiness
            assert [i.label for i in items] == [t(f"readiness.{f}", lang) for f in fields]
            for item, name in zip(items, fields, strict=True):
                done = getattr(need.readiness, name)
                assert item.on == done and item.value == t("yes" if done else "no", lang)


def test_marker_items_are_the_markers_that_apply(cat: Catalogue) -> None:
    seen = 0
    for lang in LANGS:
        vw = views.Views(cat, lang)
        for need in cat.needs.values():
            applying = [(f, level) for f in model.PolicyMarkers.model_fields
                        if (level := getattr(need.policy_markers, f))]
            expected = [(t(f"site.marker.{f}", lang), t(f"marker.{level}", lang)) for f, level in applying]
            assert [(label, value) for label, value, _ in vw.need(need).markers] == expected
            seen += len(applying)
    assert seen, "the example catalogue has policy markers"


def test_money_in_its_currency_and_about_the_other(cat: Catalogue) -> None:
    rate = cat.site.usd_to_vnd
    for lang in LANGS:
        vw = views.Views(cat, lang)
        for need in cat.needs.values():
            b, v = need.budget, vw.need(need)
            assert v.requested.text == fmt.money(b.requested, b.currency, lang)
            assert v.requested.approx == fmt.approx(b.requested, b.currency, lang, rate)
            assert v.total.amount == b.total and v.total.currency == b.currency
            assert v.requested.usd == pytest.approx(fmt.convert(b.requested, b.currency, "USD", rate))
            assert v.budget_rows[0].amount == v.total.text and v.budget_rows[1].amount == v.requested.text


def test_urls_of_the_page_the_brief_and_related_entries(cat: Catalogue) -> None:
    vw = views.Views(cat, "en", SITE_URL)
    for need in cat.needs.values():
        v = vw.need(need)
        assert v.page == f"needs/{need.id}/"
        assert v.brief == str(pdf.brief_path("en", need.id))
        assert v.url == pdf.need_url(SITE_URL, "en", need.id)
        assert set(v.related_needs) <= set(cat.needs) and set(v.related_stories) <= set(cat.stories)
        for story in cat.stories.values():
            if need.id in story.scale_up_needs:
                assert story.id in v.related_stories
    assert views.Views(cat, "vi").need(next(iter(cat.needs))).url == ""  # pages link relatively


def test_a_view_holds_no_model_entry(cat: Catalogue) -> None:
    """Only what is copied into a view reaches the outputs: never the entry itself."""
    vw = views.Views(cat, "vi")
    for view in [*vw.needs(cat.needs), *vw.stories(cat.stories)]:
        for f in dataclasses.fields(view):
            value = getattr(view, f.name)
            assert not isinstance(value, (model.Need, model.Story)), f.name
    assert {f.name for f in dataclasses.fields(views.NeedView)} <= set(model.Need.model_fields) | {
        "lang", "places", "beneficiary_groups", "total", "requested", "requested_share", "counterpart",
        "counterpart_cash", "counterpart_in_kind", "counterpart_source", "budget_rows", "other_currency",
        "rate_note", "markers", "page", "brief", "url", "standing", "stale",
    }

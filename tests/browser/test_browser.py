"""The catalogue as people use it, in a real browser (Debian's chromium, driven by Playwright): filters and
sorts give exactly the expected needs, the state survives a reload and the language switch, the page works
without JavaScript, search finds what a donor types, the headline figures are the open needs', and axe-core
finds no violation on every kind of page in every language."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from site_helpers import Build

from aidcatalog import fmt, site
from aidcatalog.validate import Catalogue
from aidcatalog.views import Views


@pytest.fixture(scope="module")
def cat(example_catalogue: Catalogue) -> Catalogue:
    return example_catalogue


@pytest.fixture(scope="module")
def index(example_build: Build, cat: Catalogue) -> dict[str, list[dict]]:
    return {lang: json.loads((example_build.site / cat.languages.prefix(lang) / site.CATALOGUE_INDEX)
                             .read_text(encoding="utf-8"))["needs"] for lang in cat.languages}


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html.ac-filtering")


def _shown(page) -> list[str]:
    return page.eval_on_selector_all("#ac-results .ac-card__title a",
                                     "links => links.map(a => a.getAttribute('href').split('/').slice(-2)[0])")


def _expected(needs: list[dict], **chosen: str) -> list[str]:
    """What the filters should leave, computed here from the index's fields (not from the script)."""
    out = []
    for n in needs:
        if "sector" in chosen and chosen["sector"] not in n["sector"]:
            continue
        if "status" in chosen and not (n["open"] if chosen["status"] == "open" else n["status"] == chosen["status"]):
            continue
        if "place" in chosen and chosen["place"] not in n["place"]:
            continue
        if "budget" in chosen:
            low, _, high = chosen["budget"].partition("-")
            if not (n["open"] and int(low or 0) <= n["usd"] < (int(high) if high else float("inf"))):
                continue
        out.append(n["id"])
    return out


def test_filters_give_exactly_the_expected_needs(page, base_url, index, cat):
    lang = cat.languages.default.code
    needs = index[lang]
    busiest = max({s for n in needs for s in n["sector"]}, key=lambda s: sum(s in n["sector"] for n in needs))
    cases = [
        {"sector": busiest},
        {"sector": busiest, "status": "open"},
        {"status": "calling"},
        {"place": "hoa-binh-province", "status": "open"},
        {"budget": "50000-200000"},
    ]
    for chosen in cases:
        _open(page, f"{base_url}catalogue/?{urlencode(chosen)}")
        expected = _expected(needs, **chosen)
        assert _shown(page) == expected, chosen
        assert page.locator("#ac-results .ac-card").count() == len(expected)
        assert re.search(r"\d+", page.inner_text("#ac-count")).group(0) == str(len(expected))


def test_sorts_order_the_needs(page, base_url, index, cat):
    lang = cat.languages.default.code
    needs = index[lang]
    _open(page, f"{base_url}catalogue/?sort=reviewed")
    shown = _shown(page)
    reviewed = {n["id"]: n["reviewed"] for n in needs}
    assert [reviewed[i] for i in shown] == sorted(reviewed.values(), reverse=True)
    _open(page, f"{base_url}catalogue/?sort=amount&status=open")
    amounts = [next(n["usd"] for n in needs if n["id"] == i) for i in _shown(page)]
    assert amounts == sorted(amounts, reverse=True) and amounts
    _open(page, f"{base_url}catalogue/?sort=start")
    starts = [next(n["start"] or "9999" for n in needs if n["id"] == i) for i in _shown(page)]
    assert starts == sorted(starts)


def test_choices_go_into_the_address_and_survive_reload_and_the_language_switch(page, base_url, index, cat):
    _open(page, f"{base_url}catalogue/")
    needs = index[cat.languages.default.code]
    sector = needs[0]["sector"][0]
    page.select_option("#f-sector", sector)
    page.select_option("#f-status", "open")
    page.select_option("#f-sort", "title")
    assert f"sector={sector}" in page.url and "status=open" in page.url and "sort=title" in page.url
    before = _shown(page)
    page.reload()
    page.wait_for_selector("html.ac-filtering")
    assert _shown(page) == before
    assert page.input_value("#f-sector") == sector and page.input_value("#f-sort") == "title"
    page.click("a.ac-lang")
    page.wait_for_selector("html.ac-filtering")
    other = page.evaluate("document.documentElement.lang")
    assert other != cat.languages.default.code
    assert f"sector={sector}" in page.url and page.input_value("#f-status") == "open"
    assert sorted(_shown(page)) == sorted(before)
    page.go_back()
    page.wait_for_selector("html.ac-filtering")
    assert page.input_value("#f-sector") == sector


def test_without_javascript_the_catalogue_is_a_complete_paged_list(chromium, base_url, cat):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    seen = []
    url = f"{base_url}catalogue/"
    while url:
        page.goto(url)
        assert page.locator("#ac-filters").is_hidden()
        seen += _shown(page)
        nxt = page.locator("#ac-pages a[rel=next]")
        url = nxt.evaluate("a => a.href") if nxt.count() else None
    assert sorted(seen) == sorted(cat.needs) and len(seen) == len(set(seen))
    page.goto(f"{base_url}sectors/")
    page.click(".ac-index a >> nth=0")
    assert page.locator(".ac-card").count() > 0
    context.close()


QUERIES = {
    # query: (needs that must come first, needs that must not be found at all) in the default language
    "nuoc sach": ({"gravity-water-duc-nhan"}, set()),
    "tram y te": ({"health-station-tien-phong"}, set()),
    "da bac": ({"gravity-water-duc-nhan"}, set()),
}


def _search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html.ac-searching")


def test_search_ranks_projects_first_and_helps_with_typos(page, base_url, cat):
    for query, (first, _) in QUERIES.items():
        _search(page, f"{base_url}search/?{urlencode({'q': query})}")
        cards = _shown_search(page)
        assert first <= set(cards), (query, cards)
        # projects (cards, with status and amount) come before the other pages
        assert page.locator("#ac-search-results .ac-card .ac-status").count() == len(cards)
        assert page.locator("#ac-search-results .ac-card__figures").count() == len(cards)
    # "sach" alone in "ngân sách" (budget) is not clean water
    _search(page, f"{base_url}search/?q=nuoc+sach")
    noisy = page.locator("#ac-search-others li").all_inner_texts()
    assert not any("ngân sách" in t.lower() and "nước sạch" not in t.lower() for t in noisy), noisy
    # typos: nothing found, the closest names suggested
    views = Views(cat, cat.languages.codes[-1])
    health = next(s for s in cat.vocab["sectors"] if "health" in s)
    _search(page, f"{base_url}{cat.languages.prefix(views.lang)}search/?q=helth")
    assert page.locator("#ac-suggest").is_visible()
    assert page.locator(f'#ac-suggest li:not([hidden]) a[href$="sectors/{health}/"]').count() == 1
    _search(page, f"{base_url}search/?q=nuoc+sahc")
    assert page.locator("#ac-search-results .ac-card").count() == 0
    assert page.locator("#ac-suggest li:not([hidden])").count() >= 1
    # the query survives the language switch
    _search(page, f"{base_url}search/?q=y+te")
    page.click("a.ac-lang")
    page.wait_for_selector("html.ac-searching")
    assert page.input_value("#ac-search-q") == "y te"


def _shown_search(page) -> list[str]:
    return page.eval_on_selector_all("#ac-search-results .ac-card__title a",
                                     "links => links.map(a => a.getAttribute('href').split('/').slice(-2)[0])")


def test_home_figures_are_the_open_needs(page, base_url, cat):
    for lang in cat.languages:
        views = Views(cat, lang)
        counted = views.counted(cat.needs.values())
        totals = views.totals(counted)
        page.goto(f"{base_url}{cat.languages.prefix(lang)}")
        values = page.locator(".ac-stats--band dd").all_inner_texts()
        assert values[0].strip() == fmt.number(len(counted), lang)
        assert totals.compact.replace("\xa0", " ") in values[1].replace("\xa0", " ")
        assert totals.sought.approx.replace("\xa0", " ") in values[1].replace("\xa0", " ")


def _pages(cat: Catalogue) -> list[str]:
    need = next(iter(cat.needs))
    story = next(iter(cat.stories))
    sector = next(iter(site.Index.of(cat).sectors))
    place = "pa-co" if "pa-co" in cat.localities else next(iter(site.Index.of(cat).places))
    rels = ["", "catalogue/", f"needs/{need}/", f"stories/{story}/", f"sectors/{sector}/", f"places/{place}/",
            "search/?q=nuoc+sach"]
    return [cat.languages.prefix(lang) + rel for lang in cat.languages for rel in rels]


@pytest.mark.parametrize("width", [390, 1366])  # a phone and a laptop: each its own test, so both run at once
def test_axe_finds_no_violation(chromium, base_url, cat, axe_url, width):
    failures = {}
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for rel in _pages(cat):
        page.goto(base_url + rel)
        if "catalogue/" in rel:
            page.wait_for_selector("html.ac-filtering")
        if "search/" in rel:
            page.wait_for_selector("html.ac-searching")
        page.add_script_tag(url=axe_url)  # axe-core from npm, served from the site's own address (its CSP)
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations']})""")
        found = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
        if found:
            failures[f"{width}px {rel}"] = found
    context.close()
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)

"""The donor's catalogue, read in the built example site: status-true figures, one list of every need,
comparable money, freshness, places as they are today, share previews, and valid HTML (Nu Html Checker).

What a browser does with it (filters, sorts, search, axe) is in tests/browser/.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import pytest
from site_helpers import REPO, Build, require

from aidcatalog import fmt, site
from aidcatalog.render import tr
from aidcatalog.validate import Catalogue
from aidcatalog.views import Views

VNU = REPO / "tests" / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def cat(example_catalogue: Catalogue) -> Catalogue:
    return example_catalogue


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


def _figures(html: str) -> dict[str, str]:
    band = html[html.index('class="ac-stats ac-stats--band"'):]
    band = band[:band.index("</dl>")]
    return {_text(dt).strip(): _text(dd).strip() for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", band)}


def test_home_figures_count_the_open_current_needs_only(example_build: Build, cat: Catalogue):
    for lang in cat.languages:
        views = Views(cat, lang)
        counted = views.counted(cat.needs.values())
        assert 0 < len(counted) < len(cat.needs)
        assert all(cat.is_open(cat.needs[v.id]) and not v.stale for v in counted)
        totals = views.totals(counted)
        prefix = cat.languages.prefix(lang)
        figures = list(_figures(example_build.html(f"{prefix}index.html")).values())
        assert figures[0] == fmt.number(len(counted), lang)
        assert figures[1] == f"{totals.compact} {totals.sought.approx}".replace("\xa0", " ")
        usd = sum(v.funding.sought.usd for v in counted)  # what is still sought: less what donors committed
        assert totals.sought.usd == pytest.approx(usd)
        assert usd < sum(v.requested.usd for v in counted)  # the example has open needs with money committed


def test_group_pages_show_funded_projects_apart_and_never_on_hold_ones(example_build: Build, cat: Catalogue):
    views = Views(cat, cat.languages.default.code)
    idx = site.Index.of(cat)
    for sector, needs in idx.sector_needs.items():
        html = example_build.html(f"sectors/{sector}/index.html")
        seeking = html.split('id="funded-h"')[0]
        for need in needs:
            v = views.need(need)
            link = f'href="../../needs/{need.id}/"'
            if v.open:
                assert link in seeking, (sector, need.id)
            elif v.standing == "funded":
                assert link in html and link not in seeking, (sector, need.id)
            else:
                assert link not in html, (sector, need.id)


def test_catalogue_lists_every_published_need_once_in_pages(example_build: Build, cat: Catalogue):
    for lang in cat.languages:
        prefix = cat.languages.prefix(lang)
        seen: list[str] = []
        pages = [example_build.site / prefix / "catalogue" / "index.html",
                 *sorted((example_build.site / prefix / "catalogue" / "page").glob("*/index.html"))]
        assert len(pages) == -(-len(cat.needs) // site.PAGE_SIZE)
        for page in pages:
            html = page.read_text(encoding="utf-8")
            results = html[html.index('id="ac-results"'):html.index("</section>", html.index('id="ac-results"'))]
            seen += re.findall(r'<h3 class="ac-card__title"><a href="[./]*needs/([^/]+)/"', results)
            assert len(html.encode()) < 300_000  # a page holds PAGE_SIZE cards and the filters, whatever the size
        assert sorted(seen) == sorted(cat.needs), lang
        index = json.loads((example_build.site / prefix / site.CATALOGUE_INDEX).read_text(encoding="utf-8"))
        assert [n["id"] for n in index["needs"]] == seen  # the script's default order is the plain list's


def test_the_catalogue_script_stays_small():
    for name in ("catalogue.js", "search.js"):
        data = (REPO / "content" / "assets" / name).read_bytes()
        assert len(gzip.compress(data)) <= 15_000, name


def test_cards_show_the_amount_and_about_usd(example_build: Build, cat: Catalogue):
    index = json.loads((example_build.site / "en" / site.CATALOGUE_INDEX).read_text(encoding="utf-8"))
    for need in index["needs"]:
        currency = cat.needs[need["id"]].budget.currency
        figures = need["card"][need["card"].index("ac-card__figures"):]
        assert ("≈ US$" in figures) == (currency != "USD"), need["id"]
        assert "US$" in figures


def test_stale_open_needs_say_so_and_stay_out_of_the_totals(example_build: Build, cat: Catalogue):
    views = Views(cat, cat.languages.codes[-1])
    stale = [v for v in views.needs(cat.needs.values()) if v.stale]
    assert stale, "the example has needs whose start has passed or whose review is overdue"
    for v in stale:
        assert v.open and not v.counted
        html = example_build.html(f"{cat.languages.prefix(views.lang)}needs/{v.id}/index.html")
        assert 'class="ac-notice"' in html


def test_places_keep_their_vietnamese_names_in_every_language(example_build: Build, cat: Catalogue):
    for lang in cat.languages:
        views = Views(cat, lang)
        for ident, loc in cat.localities.items():
            place = views.place(ident)
            vi_name = tr(loc.name, cat.languages.default.code)
            # today's commune with its Vietnamese letters: "Xã Pà Cò" → "Pà Cò Commune"
            assert vi_name.split(" ", 1)[-1] in place.name or vi_name == place.name, (lang, place.name)
    pa_co = example_build.html(f"{cat.languages.prefix(cat.languages.codes[-1])}places/pa-co/index.html")
    assert re.search(r"formerly Mai Châu district, Hòa Bình province|trước đây thuộc huyện Mai Châu, tỉnh Hòa Bình", pa_co)
    assert "Pa Co Commune" not in pa_co


def test_need_and_story_pages_preview_when_shared(example_build: Build, cat: Catalogue):
    need = next(iter(cat.needs))
    story = next(iter(cat.stories))
    for rel in (f"needs/{need}/index.html", f"en/needs/{need}/index.html", f"en/stories/{story}/index.html"):
        html = example_build.html(rel)
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:locale"):
            assert f'property="{prop}"' in html, (rel, prop)
        assert 'name="twitter:card"' in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert data["@type"] == "Project" and data["name"] and data["location"]["name"] and data["url"].startswith("https://")
        assert data["subjectOf"]["value"] > 0


def test_the_whole_site_is_valid_html(example_build: Build):
    java = require("java", "the Nu Html Checker runs on Java: apt-get install default-jre-headless")
    if not VNU.is_file():
        require("vnu.jar", "npm ci in tests/browser installs vnu-jar")
    # The JIT's first tier only (half the CPU time of a run this short), with the stack that then needs.
    result = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-Xss8m", "-jar", str(VNU), "--errors-only",
                             "--format", "json", "--skip-non-html",
                             str(example_build.site)], capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    assert not messages, "\n".join(f"{m.get('url')}: {m.get('message')}" for m in messages[:20])

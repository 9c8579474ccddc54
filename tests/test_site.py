"""The donor website, built for real (MkDocs + mkdocs-static-i18n + our hook) and checked in its HTML."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from catalog_helpers import in_every_language, validated_example
from serving import MkDocsServe
from site_helpers import SITE_URL, SMALL_NEEDS, Build, copy_small_project, mkdocs_build, require

from aidcatalog import fmt, linkcheck, site
from aidcatalog.validate import Catalogue

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def catalogue(example_catalogue: Catalogue) -> Catalogue:
    return example_catalogue


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no <html lang>"
    return match.group(1)


# --- pages and languages ---------------------------------------------------------------------


def test_every_published_need_and_story_has_a_page_in_both_languages(example_build: Build, catalogue: Catalogue):
    assert catalogue.needs and catalogue.stories
    for kind, entries in (("needs", catalogue.needs), ("stories", catalogue.stories)):
        for ident, entry in entries.items():
            vi = example_build.html(f"{kind}/{ident}/index.html")
            en = example_build.html(f"en/{kind}/{ident}/index.html")
            assert _lang(vi) == "vi" and _lang(en) == "en"
            assert site.tr(entry.title, "vi").replace("'", "&#39;") in vi
            assert site.tr(entry.title, "en").replace("'", "&#39;") in en


def test_generated_index_pages_exist_in_both_languages(example_build: Build, catalogue: Catalogue):
    idx = site.Index.of(catalogue)
    pages = ["", "catalogue/", "stories/", "sectors/", "themes/", "places/", "search/"]
    pages += ["about/", "partner/", "contact/"]
    pages += [f"sectors/{s}/" for s in idx.sectors] + [f"themes/{s}/" for s in idx.themes]
    pages += [f"places/{p}/" for p in idx.places]
    for page in pages:
        assert _lang(example_build.html(f"{page}index.html")) == "vi", page
        assert _lang(example_build.html(f"en/{page}index.html")) == "en", page
    # only places that have entries get a page
    assert {p.name for p in (example_build.site / "places").iterdir() if p.is_dir()} == set(idx.places)


def test_switch_and_hreflang_lead_to_the_same_need_in_the_other_language(example_build: Build, catalogue: Catalogue):
    for ident in catalogue.needs:
        vi = example_build.html(f"needs/{ident}/index.html")
        en = example_build.html(f"en/needs/{ident}/index.html")
        for html in (vi, en):
            assert f'<link rel="alternate" hreflang="vi" href="{SITE_URL}needs/{ident}/">' in html
            assert f'<link rel="alternate" hreflang="en" href="{SITE_URL}en/needs/{ident}/">' in html
            assert f'<link rel="alternate" hreflang="x-default" href="{SITE_URL}needs/{ident}/">' in html
        assert f'<a class="ac-lang" href="../../en/needs/{ident}/" hreflang="en"' in vi
        assert f'<a class="ac-lang" href="../../../needs/{ident}/" hreflang="vi"' in en


def test_hand_written_pages_switch_to_their_translation(example_build: Build):
    about = example_build.html("about/index.html")
    assert '<a class="ac-lang" href="../en/about/" hreflang="en"' in about
    assert '<a class="ac-lang" href="../" hreflang="vi"' in example_build.html("en/index.html")
    assert "Decree 313/2025/NĐ-CP" in example_build.html("en/partner/index.html")
    assert "Nghị định số 58/2022/NĐ-CP" in example_build.html("partner/index.html")


def test_sitemap_lists_both_languages_with_alternates(example_build: Build, catalogue: Catalogue):
    sitemap = (example_build.site / "sitemap.xml").read_text(encoding="utf-8")
    ident = next(iter(catalogue.needs))
    assert f"<loc>{SITE_URL}needs/{ident}/</loc>" in sitemap
    assert f"<loc>{SITE_URL}en/needs/{ident}/</loc>" in sitemap
    assert f'hreflang="en" href="{SITE_URL}en/needs/{ident}/"' in sitemap


def test_money_dates_and_words_follow_the_page_language(example_build: Build, catalogue: Catalogue):
    rate = catalogue.site.usd_to_vnd
    for need in catalogue.needs.values():
        b = need.budget
        vi = example_build.html(f"needs/{need.id}/index.html")
        en = example_build.html(f"en/needs/{need.id}/index.html")
        assert fmt.money(b.total, b.currency, "vi") in vi and fmt.money(b.total, b.currency, "en") in en
        assert fmt.approx(b.total, b.currency, "vi", rate) in vi and fmt.approx(b.total, b.currency, "en", rate) in en
        assert fmt.date(need.last_reviewed, "vi") in vi and fmt.date(need.last_reviewed, "en") in en
        assert "Đề nghị tài trợ" in vi and "Requested" in en
    vnd = next(n for n in catalogue.needs.values() if n.budget.currency == "VND")
    assert re.search(r"\d{1,3}(\.\d{3})+[ \xa0]₫", example_build.html(f"needs/{vnd.id}/index.html"))
    assert re.search(r"VND \d{1,3}(,\d{3})+", example_build.html(f"en/needs/{vnd.id}/index.html"))


def test_illustrative_banner_on_every_page(example_build: Build, catalogue: Catalogue):
    assert catalogue.site.illustrative
    for page in example_build.site.rglob("index.html"):
        if "pagefind" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        assert 'class="ac-banner"' in html, page


def test_entry_pages_stay_out_of_the_navigation(example_build: Build, catalogue: Catalogue):
    ident = next(iter(catalogue.needs))
    page = example_build.html(f"needs/{ident}/index.html")
    nav = page.split("md-nav--primary", 1)[1].split("</nav>", 1)[0]
    assert "needs/" not in nav
    assert len(page) < 60_000


# --- links, requests, safety -------------------------------------------------------------------


def test_every_internal_link_and_anchor_resolves_and_nothing_loads_from_elsewhere(example_build: Build):
    problems = linkcheck.check(example_build.site, SITE_URL)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_no_page_loads_anything_from_outside_the_site(example_build: Build):
    for path in linkcheck.pages(example_build.site):
        page = linkcheck.parse(path)
        outside = [link.url for link in page.links if link.loads and re.match(r"(?i)(https?:)?//", link.url)]
        assert outside == [], path
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "api.github.com" not in text


def test_fonts_are_served_from_the_site(example_build: Build):
    css = (example_build.site / "assets/aidcatalog.css").read_text(encoding="utf-8")
    for name in re.findall(r'url\("fonts/([^"]+)"\)', css):
        assert (example_build.site / "assets/fonts" / name).stat().st_size > 10_000
    # The @font-face rules come with the subset fonts: WOFF2, fingerprinted, swapped in, the text face preloaded.
    page = sorted((example_build.site / "needs").glob("*/index.html"))[0].read_text(encoding="utf-8")
    sheet = re.search(r'<link rel="stylesheet" href="[./]*(assets/fonts/fonts\.[0-9a-f]{10}\.css)">', page)
    preload = re.search(r'<link rel="preload" href="[./]*(assets/fonts/[^"]+)" as="font" type="font/woff2" crossorigin>', page)
    assert sheet and preload, "the fonts' stylesheet and the preloaded font are linked from every page"
    faces = (example_build.site / sheet.group(1)).read_text(encoding="utf-8")
    names = re.findall(r'url\("([^"]+)"\) format\("woff2"\)', faces)
    assert len(names) == faces.count("font-display: swap") >= 3
    assert preload.group(1) == "assets/fonts/" + names[0]
    for name in names:
        data = (example_build.site / "assets/fonts" / name).read_bytes()
        assert data[:4] == b"wOF2" and 5_000 < len(data) < 40_000, name
        assert name.rsplit(".", 2)[1] == hashlib.sha256(data).hexdigest()[:10]


def test_drafts_are_not_published(poisoned_build: Build):
    assert not (poisoned_build.site / "needs/secret-draft").exists()
    assert not (poisoned_build.site / "en/needs/secret-draft").exists()
    for path in linkcheck.pages(poisoned_build.site):
        assert "secret-draft" not in path.read_text(encoding="utf-8"), path


def test_example_drafts_are_not_published(example_build: Build, catalogue: Catalogue):
    for ident in catalogue.unpublished:
        for kind in ("needs", "stories"):
            assert not (example_build.site / kind / ident).exists()
            assert not (example_build.site / "en" / kind / ident).exists()


class _Dangerous(HTMLParser):
    """What in a page could run code: scripts other than the theme's, handlers, javascript: URLs, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = self._jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self._jsonld = a.get("type") == "application/ld+json"  # data for previews, never run: checked below
            self._script = "src" not in a and a.get("id") != "__config" and not self._jsonld
            ours = ("assets/javascripts/", "pagefind/", "assets/catalogue.js", "assets/search.js")  # the site's own
            if "src" in a and not any(part in a["src"] for part in ours):
                self.found.append(f"script src={a['src']}")
        if tag in ("iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in a.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = self._jsonld = False

    def handle_data(self, data: str) -> None:
        if self._script and "alert(" in data:
            self.found.append(f"inline script: {data[:60]}")
        if getattr(self, "_jsonld", False) and ("<" in data or ">" in data):  # it could close its element
            self.found.append(f"schema.org data with markup: {data[:60]}")


def test_script_and_javascript_links_in_yaml_never_reach_a_page(poisoned_build: Build):
    assert poisoned_build.result.returncode == 0, poisoned_build.output
    pages = ["needs/{id}/index.html", "en/needs/{id}/index.html", "catalogue/index.html", "en/catalogue/index.html",
             "index.html", "en/index.html"]
    for rel in pages:
        html = poisoned_build.html(rel.format(id=POISONED))
        parser = _Dangerous()
        parser.feed(html)
        assert parser.found == [], (rel, parser.found)
        assert "&lt;script&gt;" in html  # shown as text, not run
    page = poisoned_build.html(f"en/needs/{POISONED}/index.html")
    assert "<strong>bold</strong>" in page  # staff Markdown still renders
    assert '<img src="../../../media/test/photo.jpg" alt="Test photo"' in page  # photos come from the site
    problems = linkcheck.check(poisoned_build.site, SITE_URL)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_invalid_catalogue_stops_the_build_with_the_validator_messages(tmp_path: Path):
    project = copy_small_project(tmp_path / "invalid")
    need = next((project / "catalog/needs").rglob("*.yaml"))
    text = need.read_text(encoding="utf-8")
    need.write_text(re.sub(r"(?m)^(\s+total:) .*$", r"\1 a lot", text, count=1), encoding="utf-8")
    build = mkdocs_build(project)
    assert build.result.returncode != 0
    rel = need.relative_to(project).as_posix()
    assert re.search(rf"{re.escape(rel)}:\d+:\d+: wrong-type: budget\.total", build.output), build.output
    assert "Traceback" not in build.output
    assert not (project / "site/index.html").exists()


# --- search -------------------------------------------------------------------------------------


def test_each_language_has_its_own_search_index(example_build: Build):
    pages = list(linkcheck.pages(example_build.site))
    for lang, root in (("vi", example_build.site), ("en", example_build.site / "en")):
        entry = json.loads((root / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        assert set(entry["languages"]) == {lang}
        indexed = [p for p in pages if (p.is_relative_to(example_build.site / "en")) == (lang == "en")
                   and "data-pagefind-body" in p.read_text(encoding="utf-8")]
        assert entry["languages"][lang]["page_count"] == len(indexed)
    search = example_build.html("en/search/index.html")
    assert 'data-pagefind="../pagefind/pagefind.js"' in search and '<script src="../../assets/search.js" defer>' in search


def test_search_folds_accents_and_keeps_languages_apart(example_build: Build):
    node = require("node", "Node.js 18 or later runs Pagefind's own search code: apt-get install nodejs")

    def query(lang: str, *terms: str) -> dict[str, list[str]]:
        root = example_build.site / ("" if lang == "vi" else lang)
        base = "/" if lang == "vi" else f"/{lang}/"
        done = subprocess.run([node, str(TESTS / "pagefind_query.mjs"), str(root), lang, base, *terms],
                              capture_output=True, text=True, timeout=60, check=True)
        return json.loads(done.stdout)

    vi = query("vi", "nuoc sach", "nước sạch", "da bac", "Đà Bắc", "dong bao", "đồng bào")
    assert vi["nuoc sach"], "nuoc sach finds nothing"
    assert set(vi["nuoc sach"]) == set(vi["nước sạch"])
    for folded, written in (("da bac", "Đà Bắc"), ("dong bao", "đồng bào")):  # đ has no decomposition
        assert vi[written] and set(vi[written]) <= set(vi[folded]), folded
    first = example_build.html(vi["nuoc sach"][0].lstrip("/") + "index.html")
    assert "nước sạch" in first.lower()
    en = query("en", "clean water", "water", "nuoc sach")
    assert en["clean water"] and en["water"]
    assert all(not url.startswith("/en/") for urls in vi.values() for url in urls)
    assert all(url.startswith("/en/") for urls in en.values() for url in urls)


# --- the generator on its own -------------------------------------------------------------------


def test_write_tree_touches_only_what_changed(tmp_path: Path):
    (tmp_path / "about.md").write_text("hand-written", encoding="utf-8")
    first = site.write_tree({"needs/a.md": "A", "needs/b.md": "B", "index.md": "home"}, tmp_path)
    assert sorted(first.written) == ["index.md", "needs/a.md", "needs/b.md"]
    again = site.write_tree({"needs/a.md": "A", "needs/b.md": "B", "index.md": "home"}, tmp_path)
    assert again.written == [] and again.deleted == [] and again.kept == 3
    mtime = (tmp_path / "needs/a.md").stat().st_mtime_ns
    changed = site.write_tree({"needs/a.md": "A", "index.md": "home 2"}, tmp_path)
    assert changed.written == ["index.md"] and changed.deleted == ["needs/b.md"]
    assert (tmp_path / "needs/a.md").stat().st_mtime_ns == mtime
    assert not (tmp_path / "needs/b.md").exists()
    assert (tmp_path / "about.md").read_text(encoding="utf-8") == "hand-written"
    site.write_tree({"index.md": "home 2"}, tmp_path)
    assert not (tmp_path / "needs").exists()


def test_pages_use_suffix_names_and_ascii_urls(catalogue: Catalogue):
    tree = site.tree(catalogue)
    for ident in catalogue.needs:
        assert f"needs/{ident}.md" in tree and f"needs/{ident}.en.md" in tree
    assert all(re.fullmatch(r"[a-z0-9/._-]+", path) for path in tree if path.endswith(".md")), tree.keys()
    assert site.heading_slug("Đà Bắc: nước sạch") == "da-bac-nuoc-sach"


# --- the poisoned catalogue ---------------------------------------------------------------------

POISONED = "poisoned-entry"


@pytest.fixture(scope="session")
def poisoned_build(tmp_path_factory: pytest.TempPathFactory, small_build: Build, small_pdf_cache: Path) -> Build:
    """The small catalogue plus a published need with hostile text, and a draft.

    After ``small_build``, with its PDF cache: only the documents that show the new entries are rendered.
    """
    project = copy_small_project(tmp_path_factory.mktemp("poisoned"), small_pdf_cache)
    source = sorted((project / "catalog/needs").rglob("*.yaml"))[0]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(id=POISONED, status="calling", featured=True, related_needs=[], related_stories=[])
    data["title"] = {"vi": 'Tiêu đề <script>alert("vi")</script>', "en": "Title <script>alert('en')</script>"}
    data["summary"] = {"vi": '"><img src=x onerror=alert(3)>', "en": '"><img src=x onerror=alert(3)>'}
    hostile = ("Some **bold** text. <script>alert(1)</script> [click me](javascript:alert(2)) "
               "<a href=\"javascript:alert(4)\">x</a> <iframe src=\"https://evil.example/\"></iframe>")
    data["context"] = {"vi": hostile, "en": hostile}
    data["objectives"] = [{"vi": "[x](javascript:alert(5))", "en": "<img src=x onerror=alert(6)>"}]
    (project / "catalog/media/test").mkdir(parents=True)
    from PIL import Image  # a real (tiny) photo: the validator checks what a file really is

    Image.new("RGB", (8, 6), (200, 120, 40)).save(project / "catalog/media/test/photo.jpg", "JPEG")
    data["photos"] = [{"file": "test/photo.jpg", "caption": {"vi": "Ảnh <b>thử</b>", "en": "Test photo"},
                       "credit": "Sở Ngoại vụ", "consent": True}]
    (source.parent / f"{POISONED}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    draft = dict(data, id="secret-draft", status="draft", featured=True)
    (source.parent / "secret-draft.yaml").write_text(yaml.safe_dump(draft, allow_unicode=True), encoding="utf-8")
    return mkdocs_build(project)


def test_compiled_templates_are_kept_for_the_next_run_and_never_used_stale(tmp_path: Path):
    from jinja2 import Environment, FileSystemLoader

    from aidcatalog.render import CompiledTemplates

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("Hello {{ name }}", encoding="utf-8")

    def run() -> tuple[str, int]:
        """A new process: nothing compiled in memory, the project's .cache/templates on disk."""
        code = CompiledTemplates()
        code.keep_in(tmp_path / ".cache" / "templates")
        env = Environment(loader=FileSystemLoader(tmp_path / "templates"), bytecode_cache=code)
        compiled: list[str] = []
        compile_source = env.compile
        env.compile = lambda source, *args, **kwargs: compiled.append(source) or compile_source(source, *args, **kwargs)
        return env.get_template("page.html").render(name="Phú Thọ"), len(compiled)

    assert run() == ("Hello Phú Thọ", 1)
    assert run() == ("Hello Phú Thọ", 0)  # read from .cache/templates
    page.write_text("Xin chào {{ name }}", encoding="utf-8")
    assert run() == ("Xin chào Phú Thọ", 1)  # an edited template is compiled again


def test_serve_ignores_the_files_the_build_writes(tmp_path: Path):
    from watchdog.events import FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent

    from aidcatalog import preview

    docs = tmp_path / "content"
    site.write_tree({"needs/a.md": "A", "index.md": "home"}, docs)
    (docs / "about.md").write_text("hand-written", encoding="utf-8")
    pokes: list[int] = []
    handler = preview._HandWritten(preview.Generated(docs), lambda: pokes.append(1))
    handler.on_any_event(FileModifiedEvent(str(docs / "needs/a.md")))
    handler.on_any_event(FileModifiedEvent(str(docs / "index.md")))
    handler.on_any_event(FileModifiedEvent(str(docs / site.MANIFEST)))
    site.write_tree({"index.md": "home"}, docs)  # an entry removed: its page goes, then the watcher sees it
    handler.on_any_event(FileDeletedEvent(str(docs / "needs/a.md")))
    assert pokes == []
    handler.on_any_event(FileModifiedEvent(str(docs / "about.md")))
    handler.on_any_event(FileCreatedEvent(str(docs / "assets/new.css")))
    handler.on_any_event(FileMovedEvent(str(docs / "index.md"), str(docs / "moved.md")))
    assert len(pokes) == 3


def test_publish_in_parallel_writes_the_same_tree(tmp_path: Path, catalogue: Catalogue):
    expected = site.tree(catalogue)
    changes = site.publish(catalogue, tmp_path)
    assert sorted(changes.written) == sorted(expected)
    for rel, content in expected.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert (tmp_path / rel).read_bytes() == data, rel
    again = site.publish(catalogue, tmp_path)
    assert again.written == [] and again.deleted == [] and again.kept == len(expected)
    assert set(json.loads((tmp_path / site.MANIFEST).read_text(encoding="utf-8"))) == set(expected)


# --- PDFs linked from the pages ----------------------------------------------------------------


def test_need_pages_link_their_brief_in_the_page_language(example_build: Build, catalogue: Catalogue):
    for ident in catalogue.needs:
        vi = example_build.html(f"needs/{ident}/index.html")
        en = example_build.html(f"en/needs/{ident}/index.html")
        assert f'href="../../pdf/vi/briefs/{ident}.pdf"' in vi
        assert "Tải thông tin dự án (PDF)" in vi
        assert f'href="../../../pdf/en/briefs/{ident}.pdf"' in en
        assert "Download the project brief (PDF)" in en
        for lang in ("vi", "en"):
            brief = example_build.site / "pdf" / lang / "briefs" / f"{ident}.pdf"
            assert brief.read_bytes().startswith(b"%PDF-")


def test_catalogue_and_home_link_the_full_catalogue(example_build: Build):
    for page, prefix in (("index.html", ""), ("catalogue/index.html", "../")):
        assert f'href="{prefix}pdf/vi/catalogue.pdf"' in example_build.html(page)
        assert f'href="{prefix}../pdf/en/catalogue.pdf"' in example_build.html(f"en/{page}")
    assert "Download the full catalogue (PDF)" in example_build.html("en/catalogue/index.html")
    assert (example_build.site / "pdf" / "en" / "catalogue.pdf").stat().st_size > 50_000


# --- Content-Security-Policy and scripts ------------------------------------------------------------


def test_every_page_has_the_policy_and_only_the_sites_own_scripts(example_build: Build):
    script = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
    pages = sorted(example_build.site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(example_build.site).as_posix()
        assert f'<meta http-equiv="Content-Security-Policy" content="{site.CSP.replace(chr(39), "&#39;")}">' in text, rel
        for attributes, body in script.findall(text):
            if 'type="application/ld+json"' in attributes:  # data (schema.org), never run
                json.loads(body)
                continue
            src = re.search(r'src="([^"]+)"', attributes)
            assert src and not body.strip(), f"{rel}: inline script"
            assert "//" not in src.group(1), f"{rel}: script from elsewhere: {src.group(1)}"
            assert (page.parent / src.group(1)).resolve().is_file(), f"{rel}: {src.group(1)} missing"
    assert "script-src 'self' 'wasm-unsafe-eval'" in site.CSP and "'unsafe-inline'" not in site.CSP.split("style-src")[0]


def test_linkcheck_command_finds_a_missing_pdf(example_build: Build, tmp_path: Path, capsys):
    from catalog_helpers import run

    copy = tmp_path / "site"
    shutil.copytree(example_build.site, copy)
    assert run(capsys, "linkcheck", str(copy))[0] == 0
    (copy / "pdf" / "en" / "catalogue.pdf").unlink()
    status, out, _ = run(capsys, "linkcheck", str(copy))
    assert status == 1
    assert "en/catalogue/index.html: ../../pdf/en/catalogue.pdf: no such file" in out


# --- previews: the pages an edit changes, and pages MkDocs need not parse ----------------------------


def _edited(cat: Catalogue, **entries) -> Catalogue:
    """A copy of ``cat`` where the given needs or stories (``needs={id: model}``) are replaced."""
    import dataclasses

    return dataclasses.replace(cat, needs={**cat.needs, **entries.get("needs", {})},
                               stories={**cat.stories, **entries.get("stories", {})})


def _retitled(need, text: str):
    return need.model_copy(update={"title": in_every_language(need.title, text)})


def _holds(docs: Path, files: dict) -> None:
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert (docs / rel).read_bytes() == data, rel
    assert set(json.loads((docs / site.MANIFEST).read_text(encoding="utf-8"))) == set(files)


def test_a_preview_remakes_only_the_pages_an_edit_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`mkdocs serve` after editing one need: its pages, the pages whose cards show it and the index pages
    are made again, no other page of an entry; the docs folder ends as a whole run would leave it."""
    cat = validated_example()
    docs = tmp_path / "content"
    site.publish(cat, docs, remember=True)
    ident = "livestock-bank-pa-co"
    edited = _edited(cat, needs={ident: _retitled(cat.needs[ident], "Ngân hàng bò — sửa / edited")})
    made: list[str] = []
    page = site._page
    monkeypatch.setattr(site, "_page", lambda rel, lang, *a, **k: made.append(f"{lang}:{rel}") or page(rel, lang, *a, **k))
    changes = site.publish(edited, docs, remember=True)
    monkeypatch.undo()
    _holds(docs, site.tree(edited))
    showing = {f"needs/{ident}.md"}  # its page, the needs that list it as related, the model projects it scales up
    showing |= {f"needs/{n.id}.md" for n in cat.needs.values() if ident in n.related_needs}
    showing |= {f"stories/{s.id}.md" for s in cat.stories.values() if ident in s.scale_up_needs}
    for lang in cat.languages.codes:
        entries = {rel for rel in (m.split(":", 1)[1] for m in made if m.startswith(f"{lang}:"))
                   if rel.startswith(("needs/", "stories/")) and not rel.endswith("/index.md")}
        assert entries == showing, lang
        assert f"{lang}:catalogue/index.md" in made  # the index pages are always made again
    assert site.source_path(f"needs/{ident}.md", "en") in changes.written
    assert len(changes.written) < 20 and changes.kept > 150


def test_a_preview_follows_a_model_project_to_the_needs_it_scales_up(tmp_path: Path):
    """A need's page shows the model projects that list it (a link written in the other entry's file)."""
    cat = validated_example()
    docs = tmp_path / "content"
    site.publish(cat, docs, remember=True)
    story = cat.stories["goat-pass-on-lac-son"]
    added = story.model_copy(update={"scale_up_needs": [*story.scale_up_needs, "footbridge-trung-son"]})
    edited = _edited(cat, stories={story.id: added})
    changes = site.publish(edited, docs, remember=True)
    _holds(docs, site.tree(edited))
    assert "needs/footbridge-trung-son.md" in changes.written
    removed = _edited(edited, stories={story.id: story})
    site.publish(removed, docs, remember=True)
    _holds(docs, site.tree(removed))


def test_a_preview_makes_every_page_again_when_a_vocabulary_changes(tmp_path: Path):
    import dataclasses

    cat = validated_example()
    docs = tmp_path / "content"
    site.publish(cat, docs, remember=True)
    sectors = dict(cat.vocab["sectors"])
    first = next(iter(sectors))
    sectors[first] = sectors[first].model_copy(update={"name": in_every_language(sectors[first].name, "Renamed sector")})
    edited = dataclasses.replace(cat, vocab={**cat.vocab, "sectors": sectors})
    assert site.changed_entries(cat, edited) is None
    site.publish(edited, docs, remember=True)
    _holds(docs, site.tree(edited))


def test_generated_pages_are_html_that_markdown_leaves_as_it_is():
    """What lets the hook hand MkDocs a generated page without parsing it (site.html_body): Python-Markdown,
    configured as mkdocs.yml says, gives back every page's body unchanged, and the anchors MkDocs
    would find in it are the ones site.anchor_ids finds."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.structure.pages import _HTMLHandler
    from mkdocs.utils.meta import get_data

    config = load_config(str(TESTS.parent / "mkdocs.yml"))
    files = site.tree(validated_example())
    pages = [rel for rel in files if rel.endswith(".md")]
    assert len(pages) > 100
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    for rel in pages:
        body, _ = get_data(files[rel])
        assert site.html_body(body) == md.reset().convert(body), rel
        handler = _HTMLHandler()
        handler.feed(body)
        handler.close()
        assert site.anchor_ids(body) == handler.present_anchor_ids, rel
    assert site.html_body("# A heading\n\n<div>x</div>") is None


def test_front_matter_values_are_printable_ascii_that_read_back():
    for value in ("need-0001", 'say "hi" \\ back', "Đà Bắc · nước", "emoji 🌾 and \u2028 \x85", ""):
        text = site.yaml_value(value)
        assert text.isascii() and text.isprintable() and yaml.safe_load(text) == value


def test_a_preview_after_any_edit_leaves_what_a_whole_run_makes(tmp_path: Path):
    """Edits of every kind in a row (titles, sectors, themes, places, links, money, model projects): after
    each, the pages `mkdocs serve` remade and the ones it kept are exactly what making them all gives."""
    import random

    cat = validated_example()
    docs = tmp_path / "content"
    site.publish(cat, docs, remember=True)
    rng = random.Random(15)
    needs, stories, communes = list(cat.needs), list(cat.stories), list(cat.localities)
    sectors, themes = list(cat.vocab["sectors"]), list(cat.vocab["themes"])

    def renamed(entry, step: int):
        return {"title": entry.title.model_copy(update={k: f"{v} ({step})" for k, v in entry.title.model_dump().items()})}

    for step in range(14):
        kind = ("title", "sector", "theme", "place", "related", "money", "scale", "story")[step % 8]
        edited_needs, edited_stories = dict(cat.needs), dict(cat.stories)
        if kind in ("scale", "story"):
            story = cat.stories[rng.choice(stories)]
            update = {"scale_up_needs": rng.sample(needs, 2)} if kind == "scale" else renamed(story, step)
            edited_stories[story.id] = story.model_copy(update=update)
        else:
            need = cat.needs[rng.choice(needs)]
            update = {"title": renamed(need, step), "sector": {"sectors": [rng.choice(sectors)]},
                      "theme": {"themes": rng.sample(themes, 2)},
                      "place": {"locations": [need.locations[0].model_copy(update={"commune": rng.choice(communes)})]},
                      "related": {"related_needs": rng.sample([n for n in needs if n != need.id], 2)},
                      "money": {"budget": need.budget.model_copy(update={"requested": need.budget.requested // 2})},
                      }[kind]
            edited_needs[need.id] = need.model_copy(update=update)
        cat = _edited(cat, needs=edited_needs, stories=edited_stories)
        site.publish(cat, docs, remember=True)
        _holds(docs, site.tree(cat))


def test_mkdocs_serve_dirty_shows_an_edit_and_keeps_serving_through_an_invalid_one(tmp_path: Path):
    """`mkdocs serve --dirty` for real, on the small catalogue: an edited title is served in both languages
    after one rebuild; an invalid edit leaves the last valid pages served with the validator's message
    on them (and in the terminal); fixing it serves the fix."""
    import html

    project = copy_small_project(tmp_path / "project")
    need = next((project / "catalog" / "needs").rglob(f"{SMALL_NEEDS[0]}.yaml"))
    with MkDocsServe(project) as server:
        def wait_for(path: str, text: str) -> str:
            server.wait_until(path, text, timeout=120)
            return server.page(path)

        data = yaml.safe_load(need.read_text(encoding="utf-8"))
        wait_for(f"needs/{need.stem}/", html.escape(data["title"]["vi"], quote=False))
        server.settle(quiet=0.5)  # the watcher starts after the first build
        original = need.read_text(encoding="utf-8")
        need.write_text(original.replace(data["title"]["vi"], "Tiêu đề đã sửa").replace(data["title"]["en"], "Title edited"),
                        encoding="utf-8")
        wait_for(f"needs/{need.stem}/", "Tiêu đề đã sửa")
        wait_for(f"en/needs/{need.stem}/", "Title edited")
        wait_for("catalogue/", "Tiêu đề đã sửa")
        need.write_text(original.replace("\nstatus:", "\nstatuss:", 1), encoding="utf-8")
        shown = wait_for(f"needs/{need.stem}/", "statuss")  # the message, on the last valid page
        assert "Tiêu đề đã sửa" in shown and "unknown-field" in server.output()
        need.write_text(original.replace(data["title"]["vi"], "Sửa lần hai"), encoding="utf-8")
        fixed = wait_for(f"needs/{need.stem}/", "Sửa lần hai")
        assert "statuss" not in fixed
        assert server.builds() <= 5  # one build per edit, no loop

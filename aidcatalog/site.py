"""The donor website's pages, made from a validated catalogue.

Pure functions, no MkDocs: :func:`pages` turns a :class:`~aidcatalog.catalogue.Catalogue` and a
language into ``{relative .md path: Markdown text}``; :func:`tree` gives every generated file of
every declared language (pages, fonts, photos) under the names mkdocs-static-i18n pairs
(``needs/x.md`` in the default language, ``needs/x.en.md``, ``needs/x.fr.md`` in the others);
:func:`write_tree` puts them into the docs folder, touching only files whose content changed
and deleting the ones of removed entries.

**Why the pages are written to disk**, into git-ignored paths of ``content/``, rather than
handed to MkDocs in memory: mkdocs-static-i18n rebuilds every MkDocs ``File`` from its
``src_path`` under ``docs_dir`` and pairs the languages' twins by file name. A page added in
memory before it runs (``File.generated``) crashes the build, as its ``abs_src_path`` is None;
one added after it builds but has no language twins, so the switcher and ``hreflang`` would
point at the home page; a page whose source lies outside ``docs_dir`` is dropped. Real files
under ``docs_dir`` are paired like the hand-written pages. They are written only when their
content changed, because ``mkdocs serve`` watches the folder: rewriting every file on each
build would start the next rebuild, forever.

Each page is front matter plus one block of HTML from the Jinja templates in
``templates/site/``. The HTML block is passed through by Python-Markdown untouched; staff
Markdown inside it was already rendered and sanitised by :func:`aidcatalog.render.md`.

URLs are ASCII slugs of the ids: ``catalogue/``, ``needs/<id>/``, ``stories/<id>/``,
``sectors/<id>/``, ``themes/<id>/``, ``places/<id>/``, ``search/``. Every language shares the
same tree (the others under ``<code>/``), so a link between two pages is the same relative path
in any language.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import multiprocessing
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import escape

from . import datasite, fmt, languages
from . import pdf as pdf_paths
from .catalogue import Catalogue
from .labels import t
from .model import Location, Need, Story
from .render import render, tr
from .text import fold
from .views import NeedView, PlaceView, Views

MANIFEST = ".generated.json"
"""In the docs folder: the files the last run generated (MkDocs skips dot-files)."""

FONT_FACES = (  # (file in the font package, @font-face weight, style): the weights aidcatalog.css uses
    ("BeVietnamPro-Regular.ttf", "400", "normal"),
    ("BeVietnamPro-SemiBold.ttf", "500 600", "normal"),  # 500 too: one file fewer to fetch
    ("BeVietnamPro-Bold.ttf", "650 700", "normal"),
    ("BeVietnamPro-Italic.ttf", "400", "italic"),        # quotes on story pages only: fetched there only
)
"""Be Vietnam Pro (OFL, full Vietnamese coverage), from the installed font package, served as WOFF2
subsets (:func:`fonts`). The first is preloaded by every page."""
FONT_FILES = {name: 0 for name, _, _ in FONT_FACES}  # the package's files the site serves (subset)
FONT_FOLDER = "assets/fonts"

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",  # the site's own files only; Pagefind runs WebAssembly
    "style-src 'self' 'unsafe-inline'",       # sector colours are style attributes; staff text has none
    "img-src 'self' data:",                   # the theme's icons are data: SVGs in its stylesheet
    "font-src 'self'",
    "connect-src 'self'",                     # Pagefind fetches its index chunks
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
))
"""The Content-Security-Policy of every page (a meta tag; send it as a header too, adding
``frame-ancestors 'self'``)."""

PAGE_SIZE = 24
"""Needs per page of the catalogue's plain list (what a reader without JavaScript pages through)."""
CATALOGUE_INDEX = "catalogue/needs.json"
"""Per language, beside the catalogue page: what its script filters and sorts (:func:`catalogue_index`)."""
BUDGET_STEPS = (50_000, 200_000, 1_000_000)
"""The catalogue's amount ranges, in US$ of money still sought: under 50,000, 50,000 to 200,000…"""
SORTS = ("amount", "start", "reviewed", "title")
"""The catalogue's orders; the first is the default (and the order of the plain list)."""

SECTOR_COLOURS = (
    "#1B4F8A", "#2A7A4B", "#A3312B", "#7A5A12", "#5B3F8C", "#1F7A8C",
    "#3E6B2F", "#9C4A1A", "#8A2F5B", "#4A5568", "#2F4F6F", "#6B4E16",
)
"""Used for a sector whose vocabulary entry has no ``colour``: muted, distinct, AA on white."""


def source_path(rel: str, lang: str) -> str:
    """``needs/x.md`` → ``needs/x.en.md`` for English (mkdocs-static-i18n ``suffix`` structure)."""
    if languages.resolve(lang).default:
        return rel
    stem, _ = posixpath.splitext(rel)
    return f"{stem}.{lang}.md"


def page_url(rel: str) -> str:
    """The URL of a page source, relative to its language's root (directory URLs)."""
    stem, _ = posixpath.splitext(rel)
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass
class Index:
    """Which entries each sector, theme and place page lists, computed once per catalogue.

    What an entry shows (its places, money, totals, readiness…) is its view: :mod:`aidcatalog.views`.
    """

    cat: Catalogue
    sector_needs: dict[str, list[Need]] = field(default_factory=lambda: defaultdict(list))
    sector_stories: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    theme_needs: dict[str, list[Need]] = field(default_factory=lambda: defaultdict(list))
    theme_stories: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    place_needs: dict[str, list[Need]] = field(default_factory=lambda: defaultdict(list))
    place_stories: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    colours: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, cat: Catalogue) -> Index:
        idx = cls(cat)
        for need in cat.needs.values():
            for s in need.sectors:
                idx.sector_needs[s].append(need)
            for th in need.themes:
                idx.theme_needs[th].append(need)
            for place in _unique(loc.commune for loc in need.locations):
                idx.place_needs[place].append(need)
        for story in cat.stories.values():
            for s in story.sectors:
                idx.sector_stories[s].append(story)
            for th in story.themes:
                idx.theme_stories[th].append(story)
            for place in _unique(loc.commune for loc in story.locations):
                idx.place_stories[place].append(story)
        for i, (ident, term) in enumerate(cat.vocab["sectors"].items()):
            idx.colours[ident] = term.colour or SECTOR_COLOURS[i % len(SECTOR_COLOURS)]
        return idx

    @property
    def sectors(self) -> list[str]:
        """Sectors with at least one published entry, in vocabulary order."""
        return [s for s in self.cat.vocab["sectors"] if s in self.sector_needs or s in self.sector_stories]

    @property
    def themes(self) -> list[str]:
        return [s for s in self.cat.vocab["themes"] if s in self.theme_needs or s in self.theme_stories]

    @property
    def places(self) -> list[str]:
        return [p for p in self.cat.localities if p in self.place_needs or p in self.place_stories]

    def districts(self, lang: str) -> list[dict[str, Any]]:
        """Places with entries, grouped by former province and district (as people still know them)."""
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for ident in self.places:
            loc = self.cat.localities[ident]
            former = loc.former
            key = (former.province.id, former.district.id) if former else ("", "")
            if key not in groups:
                groups[key] = {
                    "id": key[1] or "other",
                    "district": tr(former.district, lang) if former else "",
                    "province": tr(former.province, lang) if former else "",
                    "places": [],
                }
            groups[key]["places"].append(loc)
        return sorted(groups.values(), key=lambda g: (g["province"], g["district"]))



def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class Links:
    """Relative links from one page: to pages of the same language, and to files at the site root."""

    def __init__(self, rel: str, lang: str):
        depth = page_url(rel).count("/")
        self.base = "../" * depth
        self.root = self.base + ("" if languages.resolve(lang).default else "../")

    def __call__(self, kind: str, ident: str = "") -> str:
        if kind == "home":
            return self.base or "./"
        return f"{self.base}{kind}/{ident}/" if ident else f"{self.base}{kind}/"

    def media(self, path: str) -> str:
        return f"{self.root}media/{path}"

    def file(self, path: object) -> str:
        """A file at the site root, shared by both languages (``pdf/en/catalogue.pdf``)."""
        return f"{self.root}{path}"


def heading_slug(value: str, separator: str = "-") -> str:
    """Heading anchors of the hand-written pages: ASCII, ``đ`` → ``d`` (Markdown's default drops it)."""
    return re.sub(r"[^a-z0-9]+", separator, fold(value)).strip(separator) or "section"


def _front_matter(title: str, description: str = "", **extra: Any) -> str:
    """YAML front matter. Text is HTML-escaped: MkDocs themes print ``page.meta`` unescaped.

    Every value is written as YAML in printable ASCII only (:func:`yaml_value`): MkDocs reads the
    front matter with PyYAML and, when that fails, silently renders it as Markdown instead, with
    ``attr_list`` and no sanitiser. PyYAML refuses some characters outright (U+FFFE, U+FFFF, C1
    controls), reads others as line breaks (U+0085, U+2028, U+2029) and cannot join the surrogate
    pairs ``json.dumps(ensure_ascii=True)`` writes for characters beyond U+FFFF (emoji); escaped,
    each comes back as written.
    """
    lines = ["---", f"title: {yaml_value(html.escape(title))}"]
    if description:
        text = " ".join(description.split())
        text = text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
        lines.append(f"description: {yaml_value(html.escape(text))}")
    for key, value in extra.items():
        lines.append(f"{key}: {yaml_value(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"'}


def yaml_value(value: Any) -> str:
    """``value`` (text, number, bool, None, list, dict) as one line of YAML flow syntax in printable ASCII.

    Text is a double-quoted scalar where everything but printable ASCII is a ``\\x``, ``\\u`` or
    ``\\U`` escape, which any YAML reader turns back into the very character.
    """
    if isinstance(value, str):
        out = []
        for ch in value:
            code = ord(ch)
            if ch in _YAML_ESCAPES:
                out.append(_YAML_ESCAPES[ch])
            elif 0x20 <= code < 0x7F:
                out.append(ch)
            elif code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        return '"' + "".join(out) + '"'
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_value(str(k))}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return json.dumps(value)  # numbers, true/false, null: the same in JSON and YAML


def _page(rel: str, lang: str, template: str, title: str, description: str = "", *,
          extra: Mapping[str, Any] | None = None, **context: Any) -> tuple[str, str]:
    body = render(f"site/{template}", lang=lang, link=Links(rel, lang), **context)
    meta = {"hide": ["navigation", "toc"], **(extra or {})}
    return rel, _front_matter(title, description, **meta) + body.strip() + "\n"


def sought_usd(view: NeedView) -> float:
    """The money a need still seeks, in US$: what it requests while open, else nothing."""
    return view.requested.usd if view.open else 0.0


def catalogue_order(views: Views, needs: Iterable[Need]) -> list[NeedView]:
    """The catalogue's default order: the largest amount still sought first (open needs), then funded or
    under way, then on hold, each by title."""
    lang = views.lang
    rank = {"open": 0, "funded": 1, "paused": 2}
    return sorted(views.needs(needs), key=lambda v: (-sought_usd(v), rank[v.standing], fold(tr(v.title, lang))))


def facets(cat: Catalogue, idx: Index, views: Views) -> dict[str, Any]:
    """The catalogue's filters: the values that occur among the published needs, in vocabulary order."""
    lang = views.lang
    needs = list(cat.needs.values())

    def used(vocabulary: str, key: Callable[[Need], Iterable[Any]]) -> list[tuple[str, str]]:
        present = {k for n in needs for k in key(n)}
        return [(str(k), tr(term.name, lang)) for k, term in cat.vocab[vocabulary].items() if k in present]

    groups = []
    provinces: dict[str, str] = {}
    for group in idx.districts(lang):
        communes = [(loc.id, tr(loc.name, lang)) for loc in group["places"] if idx.place_needs.get(loc.id)]
        if not communes:
            continue
        first = cat.localities[group["places"][0].id]
        label = views.place(first.id).former or t("places", lang)
        district = (first.former.district.id, group["district"]) if first.former else None
        if first.former:
            provinces[first.former.province.id] = tr(first.former.province, lang)
        groups.append({"label": label[:1].upper() + label[1:], "district": district, "communes": communes})
    money = [fmt.money(step, "USD", lang) for step in BUDGET_STEPS]
    budget = [("0-" + str(BUDGET_STEPS[0]), t("filter.under", lang, high=money[0]))]
    budget += [(f"{lo}-{hi}", t("filter.range", lang, low=money[i], high=money[i + 1]))
               for i, (lo, hi) in enumerate(itertools.pairwise(BUDGET_STEPS))]
    budget.append((f"{BUDGET_STEPS[-1]}-", t("filter.over", lang, low=money[-1])))
    from .views import READINESS

    return {
        "sector": used("sectors", lambda n: n.sectors), "theme": used("themes", lambda n: n.themes),
        "status": used("statuses", lambda n: [n.status]), "sdg": used("sdgs", lambda n: n.sdgs),
        "places": groups, "provinces": sorted(provinces.items(), key=lambda p: p[1]),
        "budget": budget, "ready": [(key, t(f"readiness.{key}", lang)) for key in READINESS],
        "sort": [(key, t(f"sort.{key}", lang)) for key in SORTS],
    }


def catalogue_index(cat: Catalogue, lang: str, idx: Index | None = None) -> bytes:
    """The catalogue page's index, in one language: every published need once, in the default order,
    with what the filters and sorts read and its card as the catalogue page shows it (the same template)."""
    idx = idx or Index.of(cat)
    views = Views(cat, lang)
    link = Links("catalogue/index.md", lang)
    common = {"cat": cat, "idx": idx, "site": cat.site, "views": views, "cached": lambda e, _link, macro: macro(e)}
    records = []
    for v in catalogue_order(views, cat.needs.values()):
        need = cat.needs[v.id]
        places = _unique(p for loc in need.locations for p in _place_ids(cat, loc.commune))
        card = render("site/card.html.j2", lang=lang, link=link, need=v, **common).strip()
        records.append({
            "id": v.id, "title": languages.plain(tr(v.title, lang)), "sector": list(need.sectors),
            "theme": list(need.themes), "place": places, "status": need.status, "open": v.open,
            "sdg": [str(g) for g in need.sdgs], "ready": [k for k in _ready(need)], "usd": round(sought_usd(v)),
            "start": need.planned_start.isoformat() if need.planned_start else "",
            "reviewed": need.last_reviewed.isoformat(), "card": card,
        })
    return json.dumps({"needs": records}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _place_ids(cat: Catalogue, commune: str) -> list[str]:
    loc = cat.localities[commune]
    return [commune, *((loc.former.district.id, loc.former.province.id) if loc.former else ())]


def _ready(need: Need) -> list[str]:
    from .views import READINESS

    return [key for key in READINESS if getattr(need.readiness, key)]


def write_catalogue_index(cat: Catalogue, site_dir: Path) -> int:
    """Write every language's catalogue index into the built site; how many files."""
    idx = Index.of(cat)
    for lang in cat.languages:
        path = Path(site_dir) / cat.languages.prefix(lang) / CATALOGUE_INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(catalogue_index(cat, lang, idx))
    return len(cat.languages)


def _catalogue_pages(cat: Catalogue, lang: str, views: Views, idx: Index, common: dict[str, Any]) -> list[tuple[str, str]]:
    """The catalogue: page 1 (with the filters its script brings to life) and the plain pages after it."""
    ordered = catalogue_order(views, cat.needs.values())
    chunks = [ordered[i:i + PAGE_SIZE] for i in range(0, len(ordered), PAGE_SIZE)] or [[]]
    shared = {**common, "facets": facets(cat, idx, views), "total": len(ordered), "pages_total": len(chunks)}
    out = []
    for n, chunk in enumerate(chunks, 1):
        rel = "catalogue/index.md" if n == 1 else f"catalogue/page/{n}.md"
        title = t("catalogue", lang)
        if n > 1:
            title += " · " + t("pages.of", lang, n=n, total=len(chunks))
        out.append(_page(rel, lang, "catalogue.md.j2", title, t("site.catalogue_lead", lang, n=len(ordered)),
                         extra={"template": "catalogue.html"} if n == 1 else None,
                         page_needs=chunk, page_n=n, **shared))
    return out


def pages(cat: Catalogue, lang: str, idx: Index | None = None) -> dict[str, str]:
    """Every generated page of one language: ``{path relative to the language root: Markdown}``."""
    idx = idx or Index.of(cat)
    site = cat.site
    views = Views(cat, lang)
    cards: dict[tuple[str, str], Any] = {}

    def cached(entry: Need | Story, link: Links, macro: Callable[[Any], Any]) -> Any:
        key = (entry.id, link.base)
        if key not in cards:
            cards[key] = macro(entry)
        return cards[key]

    common = {"cat": cat, "idx": idx, "site": site, "views": views, "cached": cached, "fold": fold,
              "catalogue_pdf": pdf_paths.catalogue_path(lang)}
    out: list[tuple[str, str]] = [
        _page("index.md", lang, "home.md.j2", tr(site.name, lang), tr(site.tagline, lang), **common),
        *_catalogue_pages(cat, lang, views, idx, common),
        _page("stories/index.md", lang, "stories.md.j2", t("stories", lang), t("site.stories_lead", lang), **common),
        _page("sectors/index.md", lang, "sectors.md.j2", t("sectors", lang), **common),
        _page("themes/index.md", lang, "themes.md.j2", t("themes", lang), **common),
        _page("places/index.md", lang, "places.md.j2", t("places", lang), **common),
        _page("search/index.md", lang, "search.md.j2", t("site.search", lang),
              extra={"template": "search.html"}, **common),
        _page("open-data/index.md", lang, "data.md.j2", t("data.title", lang), t("data.lead", lang),
              data=datasite.page_context(cat, lang), **common),
    ]
    for need in cat.needs.values():
        v = views.need(need)
        out.append(_page(f"needs/{need.id}.md", lang, "need.md.j2", tr(need.title, lang), tr(need.summary, lang),
                         extra=share(v, "need", lang), v=v, **common))
    for story in cat.stories.values():
        v = views.story(story)
        out.append(_page(f"stories/{story.id}.md", lang, "story.md.j2", tr(story.title, lang),
                         tr(story.summary, lang), extra=share(v, "story", lang), v=v, **common))
    for kind, vocab, needs, stories in (
        ("sectors", "sectors", idx.sector_needs, idx.sector_stories),
        ("themes", "themes", idx.theme_needs, idx.theme_stories),
    ):
        for ident in (idx.sectors if kind == "sectors" else idx.themes):
            term = cat.vocab[vocab][ident]
            out.append(_page(f"{kind}/{ident}.md", lang, "group.md.j2", tr(term.name, lang), tr(term.description, lang),
                             kind=kind, term=term, name=tr(term.name, lang), blurb=term.description,
                             needs=needs.get(ident, []), stories=stories.get(ident, []),
                             colour=idx.colours.get(ident) if kind == "sectors" else None, place=None, **common))
    for ident in idx.places:
        place = views.place(ident)
        out.append(_page(f"places/{ident}.md", lang, "group.md.j2", place.name, place.line,
                         kind="places", term=None, name=place.name, blurb=None, colour=None,
                         place=place, needs=idx.place_needs.get(ident, []), stories=idx.place_stories.get(ident, []),
                         **common))
    return dict(out)


def share(v: Any, kind: str, lang: str) -> dict[str, Any]:
    """A need's or model project's preview when its link is pasted (Open Graph, Twitter card) and its
    schema.org JSON-LD: title, summary, amount, place. ``overrides/main.html`` writes them in the head."""
    title = languages.plain(tr(v.title, lang))
    summary = languages.plain(tr(v.summary, lang))
    money = v.requested if kind == "need" else v.value
    amount = f"{money.text}{' ' + money.usd_text if money.usd_text else ''}"
    label = t("requested", lang) if kind == "need" else t("value", lang)
    description = f"{summary} {label}: {amount}. {v.places.line}."
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Project", "name": title, "description": summary,
        "inLanguage": lang, "location": {"@type": "Place", "name": v.places.line},
        "subjectOf": {"@type": "MonetaryAmount", "name": label, "value": money.amount, "currency": money.currency},
    }
    return {"share": {"title": title, "description": description, "type": "article"}, "jsonld": data}


def place_line(cat: Catalogue, commune: str, lang: str) -> str:
    """``Xã Pà Cò (trước đây thuộc huyện Mai Châu, tỉnh Hòa Bình)``: today's unit, then the former one."""
    return Views(cat, lang).place(commune).line


def photos(cat: Catalogue) -> Iterable[str]:
    """Media files that published pages show or offer."""
    for entry in [*cat.needs.values(), *cat.stories.values()]:
        for photo in entry.photos:
            yield photo.file
        for doc in getattr(entry, "documents", []):
            if doc.file:
                yield doc.file


@dataclass(frozen=True)
class Fonts:
    """The site's font files: ``{path under the docs folder: bytes}``, the stylesheet of their
    ``@font-face`` rules and the font every page preloads (paths relative to the site root)."""

    files: dict[str, bytes]
    css: str
    preload: str


BASE_CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(chr(c) for c in range(0xA0, 0x100)) + (
    "\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026\u2032\u2033\u20AB\u20AC\u2192\u2190\u2212"
)
"""Always in the subsets: printable ASCII, Latin-1, dashes, quotes, bullets, ₫, €, arrows."""


def characters(cat: Catalogue | None) -> str:
    """The characters the site's pages show in the declared languages: every text of the catalogue,
    the interface words, the hand-written pages, and :data:`BASE_CHARACTERS`."""
    from .glyphs import texts
    from .labels import LABELS

    seen = set(BASE_CHARACTERS)
    declared = cat.languages if cat is not None else languages.active()
    chunks: list[str] = []
    for lang in declared.codes:
        chunks += [t(key, lang) for key in LABELS]
        if cat is not None:
            sources: list[Any] = [cat.site, *cat.needs.values(), *cat.stories.values(),
                                  *(cat.vocab[v][k] for v in cat.vocab for k in cat.vocab[v])]
            chunks += [text for source in sources for text in texts(source, lang)]
        chunks.append(other.name for other in declared)  # type: ignore[arg-type]
    if cat is not None:  # the hand-written pages only: the generated ones come and go within a build
        content = cat.root.parent / "content"
        chunks += [p.read_text(encoding="utf-8") for p in sorted(content.glob("**/*.md"))
                   if p.is_file() and not _generated_path(p.relative_to(content).as_posix())]
    for chunk in chunks:
        for text in ([chunk] if isinstance(chunk, str) else chunk):
            seen.update(text)
    return "".join(sorted(c for c in seen if c.isprintable() or c == " "))


GENERATED_ROOTS = ("catalogue/", "needs/", "stories/", "sectors/", "themes/", "places/", "search/", "open-data/")
"""Folders of the docs folder that only generated pages live in (git-ignored, see .gitignore)."""


def _generated_path(rel: str) -> bool:
    """Whether a page of the docs folder is one :func:`pages` writes (the home page and the folders above)."""
    return rel.startswith(GENERATED_ROOTS) or ("/" not in rel and rel.split(".", 1)[0] == "index")


def fonts(cat: Catalogue | None = None) -> Fonts:
    """The self-hosted fonts: the faces of :data:`FONT_FACES`, subset to :func:`characters` as WOFF2,
    named by a hash of their bytes (``BeVietnamPro-Regular.3f2a9c1e.woff2``) so that a server may
    let browsers keep them for a year; their ``@font-face`` stylesheet (``font-display: swap``),
    fingerprinted the same way; the package's licence."""
    return _fonts(characters(cat), cat.root.parent / ".cache" / "fonts" if cat is not None else None)


@functools.cache
def _fonts(chars: str, cache: Path | None) -> Fonts:
    """Subsetting takes a second or two per face: done once per process, and kept in ``cache``
    (the project's ``.cache/fonts``) by a hash of the font, the characters and fontTools' version."""
    from importlib import metadata

    package = resources.files("fontpkg_be_vietnam_pro")
    files: dict[str, bytes] = {}
    rules, preload = [], ""
    for name, weight, style in FONT_FACES:
        ttf = (package / "files" / name).read_bytes()
        key = hashlib.sha256(ttf + chars.encode() + metadata.version("fonttools").encode()).hexdigest()
        cached = cache / f"{key}.woff2" if cache is not None else None
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
        else:
            data = _subset(ttf, chars)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_name(f".{cached.name}.tmp")
                tmp.write_bytes(data)
                tmp.replace(cached)
        stem = name.rsplit(".", 1)[0]
        file = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.woff2"
        files[f"{FONT_FOLDER}/{file}"] = data
        preload = preload or f"{FONT_FOLDER}/{file}"
        rules.append(f'@font-face {{ font-family: "Be Vietnam Pro"; font-style: {style}; font-weight: {weight}; '
                     f'font-display: swap; src: url("{file}") format("woff2"); }}')
    css = "/* Be Vietnam Pro (SIL Open Font License, LICENSE.txt), subset by aidcatalog.site.fonts */\n"
    css += "\n".join(rules) + "\n"
    css_name = f"{FONT_FOLDER}/fonts.{hashlib.sha256(css.encode()).hexdigest()[:10]}.css"
    files[css_name] = css.encode()
    files[f"{FONT_FOLDER}/LICENSE.txt"] = (package / "LICENSE").read_bytes()
    return Fonts(files, css_name, preload)


def _subset(ttf: bytes, chars: str) -> bytes:
    """``ttf`` as WOFF2 with only the glyphs of ``chars`` (and what their shaping needs), without hinting."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False        # browsers on phones ignore TrueType hints; a third of the bytes
    options.layout_features = ["*"]  # kerning, ligatures, the marks' positions
    options.name_IDs = ["*"]         # the copyright and licence names stay with the font
    font = TTFont(io.BytesIO(ttf), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def tree(cat: Catalogue, only: Iterable[str] | None = None) -> dict[str, str | bytes]:
    """Every generated file of the docs folder: both languages' pages, the fonts, the photos."""
    idx = Index.of(cat)
    out: dict[str, str | bytes] = {}
    for lang in (cat.languages if only is None else only):
        out.update(language_files(cat, lang, idx))
    out.update(assets(cat))
    return out


def language_files(cat: Catalogue, lang: str, idx: Index | None = None) -> dict[str, str | bytes]:
    return {source_path(rel, lang): text for rel, text in pages(cat, lang, idx).items()}


def assets(cat: Catalogue) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = dict(fonts(cat).files)
    media = cat.root / "media"
    for rel in _unique(photos(cat)):
        out[f"media/{rel}"] = (media / rel).read_bytes()
    return out


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: int = 0


def write_tree(files: Mapping[str, str | bytes], root: Path) -> Changes:
    """Make ``root`` hold ``files``: write only what changed, delete what the last run made and is gone.

    The list of generated files is kept in ``root/.generated.json``; files not in it (the
    hand-written pages) are never deleted.
    """
    changes = Changes()
    _write_files(files, Path(root), changes)
    _prune(Path(root), set(files), changes)
    return changes


def publish(cat: Catalogue, root: Path) -> Changes:
    """:func:`write_tree` of :func:`tree`, the second language made by a forked process meanwhile.

    Where the system cannot fork, or the child fails, everything is made here, one after the other.
    """
    root = Path(root)
    idx = Index.of(cat)
    first, *others = cat.languages
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - Windows
        context = None
    children = []
    if context is not None:
        for lang in others:
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_write_language, args=(cat, lang, idx, root, writer), daemon=True)
            child.start()
            writer.close()
            children.append((lang, child, reader))
    else:
        children = [(lang, None, None) for lang in others]
    changes = Changes()
    files = {**language_files(cat, first, idx), **assets(cat)}
    _write_files(files, root, changes)
    paths = set(files)
    for lang, child, reader in children:
        try:
            done: tuple[list[str], list[str], int] | None = reader.recv() if reader is not None else None
        except EOFError:
            done = None
        if child is not None:
            child.join()
        if done is None or (child is not None and child.exitcode != 0):
            made = language_files(cat, lang, idx)
            _write_files(made, root, changes)
            paths |= set(made)
        else:
            paths |= set(done[0])
            changes.written += done[1]
            changes.kept += done[2]
    _prune(root, paths, changes)
    return changes


def _write_language(cat: Catalogue, lang: str, idx: Index, root: Path, pipe: Any) -> None:
    """In the forked process: write one language's pages, send back what was done."""
    files = language_files(cat, lang, idx)
    changes = Changes()
    _write_files(files, root, changes)
    pipe.send((sorted(files), changes.written, changes.kept))
    pipe.close()


def _write_files(files: Mapping[str, str | bytes], root: Path, changes: Changes) -> None:
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = root / rel
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            changes.kept += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changes.written.append(rel)


def _prune(root: Path, paths: set[str], changes: Changes) -> None:
    """Delete the files the last run generated that are not generated any more; record the new list."""
    manifest = root / MANIFEST
    try:
        before = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        before = set()
    for rel in sorted(before - paths):
        path = root / rel
        if path.is_file():
            path.unlink()
            changes.deleted.append(rel)
            _remove_empty_parents(path.parent, root)
    listing = json.dumps(sorted(paths), indent=0, ensure_ascii=False)
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != listing:
        manifest.write_text(listing, encoding="utf-8")


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def chrome(cat: Catalogue | None, lang: str) -> dict[str, Any]:
    """What the theme templates (``overrides/``) show around every page, in the page's language.

    Every text is HTML-escaped here: MkDocs renders theme templates without autoescaping.
    """
    words = {key: t(f"site.{key}", lang) for key in (
        "skip", "search", "search_placeholder", "search_go", "menu", "footer_about", "footer_links",
        "footer_note", "brand", "country", "not_found",
    )}
    words.update(home=t("site.home", lang), contact=t("contact", lang), how_to_partner=t("how_to_partner", lang),
                 catalogue=t("catalogue", lang), stories=t("stories", lang), about=t("about", lang))
    declared = cat.languages if cat is not None else languages.active()
    # The switch to each language is written in that language: its own name, and a title a reader of it understands.
    switch = {other.code: {"name": other.name, "home": t("site.home", other),
                           "title": t("site.view_in", other, language=languages.LanguageName(other.code).localize(other))}
              for other in declared}
    locale = languages.resolve(lang).locale if cat is not None else ""
    out: dict[str, Any] = {"lang": lang, "locale": locale or lang, "words": words, "prefix": declared.prefix(lang),
                           "switch": switch,
                           "default": declared.default.code, "home": {o.code: declared.prefix(o) for o in declared},
                           "banner": "", "province": "", "office": {}, "year": "", "csp": CSP,
                           "feed": {"href": datasite.feed_path(lang), "title": t("data.feed_title", lang)}}
    font_set = fonts(cat)
    out["fonts"] = {"css": font_set.css, "preload": font_set.preload}
    if cat is not None:
        site = cat.site
        out.update(province=tr(site.province, lang), office=_office(site.office, lang), year=site.year,
                   banner=t("illustrative", lang) if site.illustrative else "")
    return _escaped(out)


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def frame_fixes(page_html: str) -> str:
    """What the theme's own ``base.html`` writes that the Nu Html Checker refuses: ``autocomplete`` on the
    checkboxes that open the menu and the search (the attribute is for text fields)."""
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1", page_html)


def _escaped(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return escape(value) if isinstance(value, str) else value


def _office(office: Any, lang: str) -> dict[str, str]:
    return {"name": tr(office.name, lang), "address": tr(office.address, lang), "email": office.email,
            "phone": office.phone, "tel": "".join(c for c in office.phone if c.isdigit() or c == "+"),
            "website": office.website or ""}


def where(cat: Catalogue, location: Location, lang: str) -> PlaceView:
    """A location: today's commune (``id``, ``name``), the village ``detail``, the ``former`` units, the ``line``."""
    return Views(cat, lang).place(location.commune, location.detail)


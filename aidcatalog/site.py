"""The donor website's pages, made from a validated catalogue.

Pure functions, no MkDocs: :func:`pages` turns a :class:`~aidcatalog.catalogue.Catalogue` and a
language into ``{relative .md path: Markdown text}``; :func:`tree` gives every generated file of
every declared language (pages, fonts, photos) under the names mkdocs-static-i18n pairs
(``needs/x.md`` in the default language, ``needs/x.en.md``, ``needs/x.fr.md`` in the others);
:func:`write_tree` puts them into the docs folder, touching only files whose content changed
and deleting the ones of removed entries. :func:`publish` does it for a build; asked to
``remember`` (``mkdocs serve``, which builds again after each edit), it makes again only the
pages an edit can change (:class:`Rendered`, :func:`changed_entries`).

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
import os
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


TEMPLATE_FOLDER = Path(".cache") / "templates"
"""Where, in the project, compiled templates are kept between builds."""
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
        if _YAML_PLAIN.fullmatch(value):  # printable ASCII without \\ or ": as it is (most ids and English)
            return f'"{value}"'
        return '"' + _YAML_ESCAPE.sub(_yaml_escape, value) + '"'
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_value(str(k))}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return json.dumps(value)  # numbers, true/false, null: the same in JSON and YAML


_YAML_PLAIN = re.compile(r'[ !#-\[\]-~]*')
_YAML_ESCAPE = re.compile(r'[^ !#-\[\]-~]')


def _yaml_escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _YAML_ESCAPES:
        return _YAML_ESCAPES[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


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


def catalogue_files(cat: Catalogue) -> dict[str, bytes]:
    """Every language's catalogue index: ``{path relative to the site's root: bytes}``."""
    idx = Index.of(cat)
    return {f"{cat.languages.prefix(lang)}{CATALOGUE_INDEX}": catalogue_index(cat, lang, idx) for lang in cat.languages}


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
    return rendered(cat, lang, idx).pages


@dataclass
class Rendered:
    """One language's generated pages, and what each page showed of the entries.

    ``shows[rel]`` holds the keys (:func:`entry_key`) of every entry whose view a page asked for
    while it was rendered: for an entry's page, itself and the related needs and model projects on
    its cards; for a sector's, theme's or place's page, the entries it lists (``members[rel]``).
    The home, catalogue and other index pages show every entry and are not listed: they are made
    again every time. :func:`rendered` reuses a listed page from an earlier ``Rendered`` when none
    of the entries it showed changed (and, for a group's page, it lists the same entries).
    """

    pages: dict[str, str]
    shows: dict[str, frozenset[str]] = field(default_factory=dict)
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)
    """Pages taken from the earlier ``Rendered`` as they were."""
    views: Any = field(default=None, repr=False, compare=False)
    """The views the pages were made from (kept in this process only, to be adopted next time)."""


def entry_key(kind: str, ident: str) -> str:
    """``need:<id>`` or ``story:<id>``: how :attr:`Rendered.shows` names an entry."""
    return f"{kind}:{ident}"


class _Recording(Views):
    """:class:`~aidcatalog.views.Views` that notes which entries a page asks for (:attr:`Rendered.shows`)."""

    seen: set[str] | None = None

    def need(self, need: Need | str) -> NeedView:
        if self.seen is not None:
            self.seen.add(entry_key("need", need if isinstance(need, str) else need.id))
        return super().need(need)

    def story(self, story: Story | str) -> Any:
        if self.seen is not None:
            self.seen.add(entry_key("story", story if isinstance(story, str) else story.id))
        return super().story(story)

    def totals(self, needs: Iterable[Any]) -> Any:
        """The same sums are shown on many pages (every page of the catalogue shows the whole one's):
        made once per list of needs."""
        needs = list(needs)
        key = tuple(n.id for n in needs)
        sums = vars(self).setdefault("_sums", {})
        if key not in sums:
            sums[key] = super().totals(needs)
        return sums[key]

    def adopt(self, earlier: Any, changed: set[str]) -> None:
        """Take the views ``earlier`` made of the entries that did not change (the same catalogue but for
        ``changed``, the same language and day): a view is made from its entry, the vocabularies, the
        places and the model projects that scale it up, all of which are then the same."""
        if not isinstance(earlier, Views) or earlier.lang != self.lang or earlier.today != self.today:
            return
        mine, theirs = vars(self), vars(earlier)
        for kind, cache, entries in (("need", "_needs", self.cat.needs), ("story", "_stories", self.cat.stories)):
            if isinstance(mine.get(cache), dict) and isinstance(theirs.get(cache), dict):
                mine[cache].update({i: v for i, v in theirs[cache].items()
                                    if i in entries and entry_key(kind, i) not in changed})
        if isinstance(mine.get("_places"), dict) and isinstance(theirs.get("_places"), dict):
            mine["_places"].update(theirs["_places"])


def rendered(cat: Catalogue, lang: str, idx: Index | None = None, before: Rendered | None = None,
             changed: set[str] | None = None) -> Rendered:
    """:func:`pages` with what each page shows; with ``before`` (the same catalogue's pages before the
    entries in ``changed`` changed, see :func:`changed_entries`), a page that shows none of them is
    taken from ``before`` instead of being made again."""
    idx = idx or Index.of(cat)
    site = cat.site
    views = _Recording(cat, lang)
    again = before is not None and changed is not None
    if again:
        views.adopt(before.views, changed)  # type: ignore[union-attr,arg-type]
    cards: dict[tuple[str, str], Any] = {}
    result = Rendered({}, views=views)

    def cached(entry: Need | Story, link: Links, macro: Callable[[Any], Any]) -> Any:
        key = (entry.id, link.base)
        if key not in cards:
            cards[key] = macro(entry)
        return cards[key]

    def tracked(rel: str, make: Callable[[], tuple[str, str]], members: tuple[str, ...] = ()) -> None:
        if again and rel in before.shows and rel in before.pages and before.members.get(rel, ()) == members \
                and before.shows[rel].isdisjoint(changed):  # type: ignore[union-attr,arg-type]
            result.pages[rel], result.shows[rel] = before.pages[rel], before.shows[rel]  # type: ignore[union-attr]
            result.reused.add(rel)
        else:
            views.seen = set()
            result.pages[rel] = make()[1]
            result.shows[rel] = frozenset(views.seen)
            views.seen = None
        if members:
            result.members[rel] = members

    common = {"cat": cat, "idx": idx, "site": site, "views": views, "cached": cached, "fold": fold,
              "catalogue_pdf": pdf_paths.catalogue_path(lang)}
    result.pages.update([
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
    ])
    for need in cat.needs.values():
        def need_page(need: Need = need) -> tuple[str, str]:
            v = views.need(need)
            return _page(f"needs/{need.id}.md", lang, "need.md.j2", tr(need.title, lang), tr(need.summary, lang),
                         extra=share(v, "need", lang), v=v, **common)

        tracked(f"needs/{need.id}.md", need_page)
    for story in cat.stories.values():
        def story_page(story: Story = story) -> tuple[str, str]:
            v = views.story(story)
            return _page(f"stories/{story.id}.md", lang, "story.md.j2", tr(story.title, lang),
                         tr(story.summary, lang), extra=share(v, "story", lang), v=v, **common)

        tracked(f"stories/{story.id}.md", story_page)
    for kind, vocab, needs, stories in (
        ("sectors", "sectors", idx.sector_needs, idx.sector_stories),
        ("themes", "themes", idx.theme_needs, idx.theme_stories),
    ):
        for ident in (idx.sectors if kind == "sectors" else idx.themes):
            def group_page(kind: str = kind, vocab: str = vocab, ident: str = ident, needs: Any = needs,
                           stories: Any = stories) -> tuple[str, str]:
                term = cat.vocab[vocab][ident]
                return _page(f"{kind}/{ident}.md", lang, "group.md.j2", tr(term.name, lang), tr(term.description, lang),
                             kind=kind, term=term, name=tr(term.name, lang), blurb=term.description,
                             needs=needs.get(ident, []), stories=stories.get(ident, []),
                             colour=idx.colours.get(ident) if kind == "sectors" else None, place=None, **common)

            tracked(f"{kind}/{ident}.md", group_page, _members(needs.get(ident, []), stories.get(ident, [])))
    for ident in idx.places:
        def place_page(ident: str = ident) -> tuple[str, str]:
            place = views.place(ident)
            return _page(f"places/{ident}.md", lang, "group.md.j2", place.name, place.line,
                         kind="places", term=None, name=place.name, blurb=None, colour=None,
                         place=place, needs=idx.place_needs.get(ident, []), stories=idx.place_stories.get(ident, []),
                         **common)

        tracked(f"places/{ident}.md", place_page,
                _members(idx.place_needs.get(ident, []), idx.place_stories.get(ident, [])))
    return result


def _members(needs: Iterable[Need], stories: Iterable[Story]) -> tuple[str, ...]:
    """The entries a group's page lists, in their order (a page listing other entries is made again)."""
    return (*(entry_key("need", n.id) for n in needs), *(entry_key("story", s.id) for s in stories))


def changed_entries(before: Catalogue, after: Catalogue) -> set[str] | None:
    """The entries (:func:`entry_key`) whose pages, or the pages showing them, may differ between two
    catalogues; None when anything else changed (the site's texts, a vocabulary, a place, which entries
    are published), after which every page is made again.

    A model project lists the needs it could scale up, and each of those needs' pages shows it: a
    changed model project changes those needs' pages too (before and after the change).
    """
    if (before.site != after.site or before.vocab != after.vocab or before.localities != after.localities
            or before.former != after.former or before.languages != after.languages
            or before.needs.keys() != after.needs.keys() or before.stories.keys() != after.stories.keys()):
        return None
    changed = {entry_key("need", i) for i, need in after.needs.items() if before.needs[i] != need}
    for ident, story in after.stories.items():
        old = before.stories[ident]
        if old != story:
            changed.add(entry_key("story", ident))
            changed |= {entry_key("need", n) for n in (*old.scale_up_needs, *story.scale_up_needs)}
    return changed


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


_LAST_CHARACTERS: list[tuple[Catalogue, tuple[int, ...], str]] = []
"""The last catalogue's characters: a build asks for them once for the files and once per language."""


def characters(cat: Catalogue | None) -> str:
    """The characters the site's pages show in the declared languages: every text of the catalogue,
    the interface words, the hand-written pages, and :data:`BASE_CHARACTERS`."""
    if cat is None:
        return _characters(cat)
    entries = (id(cat.site), id(cat.vocab), *map(id, cat.needs.values()), *map(id, cat.stories.values()))
    for known, seen, chars in _LAST_CHARACTERS:
        if known is cat and seen == entries:  # the same catalogue, no entry replaced since
            return chars
    chars = _characters(cat)
    _LAST_CHARACTERS[:] = [(cat, entries, chars)]
    return chars


_SOURCE_CHARACTERS: dict[str, tuple[Any, tuple[str, ...], frozenset[str]]] = {}
"""``need:<id>`` (or ``site``, ``sectors:<id>``…) → (the entry, the languages, its characters)."""


def _characters(cat: Catalogue | None) -> str:
    from .glyphs import texts
    from .labels import LABELS

    seen = set(BASE_CHARACTERS)
    declared = cat.languages if cat is not None else languages.active()
    chunks: list[str] = []
    codes = tuple(declared.codes)
    for lang in codes:
        chunks += [t(key, lang) for key in LABELS]
        chunks.append(other.name for other in declared)  # type: ignore[arg-type]
    if cat is not None:
        sources: list[tuple[str, Any]] = [("site", cat.site), *((f"need:{i}", n) for i, n in cat.needs.items()),
                                          *((f"story:{i}", e) for i, e in cat.stories.items()),
                                          *((f"{v}:{k}", cat.vocab[v][k]) for v in cat.vocab for k in cat.vocab[v])]
        for key, source in sources:  # an entry's characters, remembered while it stays the same (previews)
            known = _SOURCE_CHARACTERS.get(key)
            if known is None or known[1] != codes or (known[0] is not source and known[0] != source):
                known = (source, codes, frozenset("".join(text for lang in codes for text in texts(source, lang))))
                _SOURCE_CHARACTERS[key] = known
            seen |= known[2]
        if len(_SOURCE_CHARACTERS) > 4 * len(sources) + 1000:  # entries of catalogues gone by
            _SOURCE_CHARACTERS.clear()
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
                tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")  # caches may be shared
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
    return _sources(rendered(cat, lang, idx), lang)


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
    paths: set[str] = field(default_factory=set)
    """Every generated file the docs folder now holds (what the manifest lists)."""


def write_tree(files: Mapping[str, str | bytes], root: Path) -> Changes:
    """Make ``root`` hold ``files``: write only what changed, delete what the last run made and is gone.

    The list of generated files is kept in ``root/.generated.json``; files not in it (the
    hand-written pages) are never deleted.
    """
    changes = Changes()
    _REMEMBERED.pop(Path(root).resolve(), None)
    _write_files(files, Path(root), changes)
    _prune(Path(root), set(files), changes)
    return changes


def html_body(markdown: str) -> str | None:
    """A generated page's body as the HTML it already is, or None when it is not one block of HTML.

    Every generated page is front matter plus one block of HTML that Python-Markdown passes
    through untouched (``tests/test_site.py`` holds this for every page of the example). Parsing it
    was most of MkDocs' work on these pages (~70 % at 1,000 needs: its raw-HTML scan for anchors,
    then Python-Markdown's own HTML block parser, both ``html.parser``): the hook hands MkDocs the
    body as it is, with its anchors (:func:`anchor_ids`).
    """
    body = markdown.strip()
    return body if body.startswith("<") and body.endswith(">") else None


_TAG_ATTRIBUTES = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\s([^>]*)>")
_ANCHOR_ATTRIBUTE = re.compile(r"""(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def anchor_ids(page_html: str) -> set[str]:
    """The anchors a page offers (``id`` of any element, ``name`` of ``<a>``): what MkDocs checks links
    to ``page/#anchor`` against (its ``Page.present_anchor_ids``)."""
    found = set()
    for tag, attributes in _TAG_ATTRIBUTES.findall(page_html):
        if "id" not in attributes and "name" not in attributes:
            continue
        for key, double, single in _ANCHOR_ATTRIBUTE.findall(attributes):
            if key == "id" or tag.lower() == "a":
                found.add(html.unescape(double or single))
    return found


_REMEMBERED: dict[Path, tuple[Catalogue, tuple[Any, ...], dict[str, Rendered]]] = {}
"""Per docs folder, what :func:`publish` made last in this process when asked to ``remember`` it."""


def publish(cat: Catalogue, root: Path, *, remember: bool = False) -> Changes:
    """:func:`write_tree` of :func:`tree`, the second language made by a forked process meanwhile.

    Where the system cannot fork, or the child fails, everything is made here, one after the other.

    ``remember`` (``mkdocs serve``, which builds again after every edit): keep what was made, and
    next time make again only the pages that may differ (:func:`changed_entries`,
    :class:`Rendered`): after an edit to one entry, its pages, the pages whose cards show it, and
    the index pages. The others are neither made nor compared, only checked to be there.
    """
    root = Path(root)
    idx = Index.of(cat)
    frame = _frame(cat)
    before: dict[str, Rendered] | None = None
    changed: set[str] | None = None
    last = _REMEMBERED.pop(root.resolve(), None)  # forgotten by a run that does not remember: it rewrites files
    if remember and last is not None and last[1] == frame:
        changed = changed_entries(last[0], cat)
        before = last[2] if changed is not None else None
    if before is not None:
        return _publish_again(cat, root, idx, frame, before, changed or set())
    made: dict[str, Rendered] = {}
    first, *others = cat.languages
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - Windows
        context = None
    children = []
    if context is not None:
        for lang in others:
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_write_language, args=(cat, lang, idx, root, writer, remember), daemon=True)
            child.start()
            writer.close()
            children.append((lang, child, reader))
    else:
        children = [(lang, None, None) for lang in others]
    changes = Changes()
    made[first] = rendered(cat, first, idx)
    files = {**_sources(made[first], first), **assets(cat)}
    _write_files(files, root, changes)
    paths = set(files)
    for lang, child, reader in children:
        try:
            done: tuple[list[str], list[str], int, Rendered | None] | None = reader.recv() if reader else None
        except EOFError:
            done = None
        if child is not None:
            child.join()
        if done is None or (child is not None and child.exitcode != 0):
            made[lang] = rendered(cat, lang, idx)
            files = _sources(made[lang], lang)
            _write_files(files, root, changes)
            paths |= set(files)
        else:
            paths |= set(done[0])
            changes.written += done[1]
            changes.kept += done[2]
            if done[3] is not None:
                made[lang] = done[3]
    _prune(root, paths, changes)
    if remember and len(made) == len(cat.languages):
        _REMEMBERED[root.resolve()] = (cat, frame, made)
    return changes


def _publish_again(cat: Catalogue, root: Path, idx: Index, frame: tuple[Any, ...], before: dict[str, Rendered],
                   changed: set[str]) -> Changes:
    """:func:`publish` after the last one of this process: only the pages that may differ are made,
    here (they are few), and only those are compared with the files."""
    made = {lang: rendered(cat, lang, idx, before.get(lang), changed) for lang in cat.languages}
    changes = Changes()
    files: dict[str, str | bytes] = dict(assets(cat))
    paths = set(files)
    for lang, result in made.items():
        for rel, text in result.pages.items():
            path = source_path(rel, lang)
            paths.add(path)
            if rel in result.reused and (root / path).is_file():
                changes.kept += 1
            else:
                files[path] = text
    _write_files(files, root, changes)
    _prune(root, paths, changes)
    _REMEMBERED[root.resolve()] = (cat, frame, made)
    return changes


def _frame(cat: Catalogue) -> tuple[Any, ...]:
    """What every generated page depends on besides the catalogue: the day (pages say what is out of
    date), the templates (``mkdocs serve -w aidcatalog``), the catalogue's folder."""
    from .views import build_day

    templates = resources.files("aidcatalog") / "templates" / "site"
    stamps = tuple(sorted((entry.name, Path(str(entry)).stat().st_mtime_ns) for entry in templates.iterdir()))
    return cat.root, build_day(), stamps


def _sources(result: Rendered, lang: str) -> dict[str, str | bytes]:
    return {source_path(rel, lang): text for rel, text in result.pages.items()}


def _write_language(cat: Catalogue, lang: str, idx: Index, root: Path, pipe: Any, remember: bool = False) -> None:
    """In the forked process: write one language's pages, send back what was done (and made, to remember)."""
    result = rendered(cat, lang, idx)
    files = _sources(result, lang)
    changes = Changes()
    _write_files(files, root, changes)
    result.views = None  # made again by the parent when needed: not worth sending the catalogue back
    pipe.send((sorted(files), changes.written, changes.kept, result if remember else None))
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
    changes.paths = set(paths)
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


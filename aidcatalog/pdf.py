"""Print documents: a brief per need, the whole catalogue, tailored catalogues — HTML → PDF.

The HTML comes from the Jinja templates in ``templates/pdf/`` (through :func:`render.templates`)
and one stylesheet, ``templates/pdf/print.css``, inlined; WeasyPrint turns it into PDF.

- **Fonts** are Be Vietnam Pro from the ``fontpkg-be-vietnam-pro`` package (every Vietnamese
  letter), loaded with ``@font-face`` from the package's own files, embedded and subset. The
  stylesheet names no other family, so nothing depends on the fonts a machine has.
- **Deterministic**: the same catalogue, date and site address give byte-identical PDFs. The
  date printed on a document and its PDF ``CreationDate``/``ModDate`` are the production
  time: ``SOURCE_DATE_EPOCH`` when set (as reproducible builds do), else today at midnight,
  Viet Nam time. WeasyPrint writes no random ids (no ``pdf_identifier``, no PDF/X-4 XMP).
- **Photos** are scaled down to at most :data:`MAX_DPI` at their printed size and re-encoded as
  JPEG of quality :data:`JPEG_QUALITY`: a photo printed 17 cm wide keeps at most ~1,000 px,
  about 100–250 KB, so a brief with one photo stays well under 1 MB.
- **Only local files** are read while rendering (fonts and ``catalog/media/``): no network.

:func:`build_pdfs` makes every brief and both full catalogues for the site, with a cache keyed
by the content (the rendered HTML, the photos it shows, and the versions of the templates'
tools and fonts), so an unchanged entry is never rendered twice; it has no MkDocs imports.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import multiprocessing
import multiprocessing.util
import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import fontpkg_be_vietnam_pro
from markupsafe import Markup

from . import __version__, fmt
from .build import source_date_epoch
from .labels import t
from .model import Location, Need, Partner, Story, Term
from .render import formerly, templates, tr
from .select import Filters, Selection, select
from .validate import Catalogue

LOG = logging.getLogger(__name__)
LANGS = ("vi", "en")
DEFAULT_SITE_URL = "https://aidcatalog.example.gov.vn/"  # as in mkdocs.yml
VIET_NAM = dt.timezone(dt.timedelta(hours=7), "ICT")

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT_FAMILY = "Be Vietnam Pro"
FONT_FACES = (  # (weight, style, file stem suffix): only the faces the stylesheet uses
    (300, "normal", "Light"), (400, "normal", "Regular"), (400, "italic", "Italic"),
    (500, "normal", "Medium"), (600, "normal", "SemiBold"), (700, "normal", "Bold"),
)

JPEG_QUALITY = 80
"""JPEG quality of photos once re-encoded (WeasyPrint ``jpeg_quality``)."""
MAX_DPI = 150
"""Photos keep at most this resolution at the size they are printed (WeasyPrint ``dpi``)."""
WRITE_OPTIONS: dict[str, Any] = {"optimize_images": True, "jpeg_quality": JPEG_QUALITY, "dpi": MAX_DPI}

LAYOUT_VERSION = "1"
"""Bump when the PDF output changes for a reason the rendered HTML does not show (cache key)."""
PARALLEL_FROM = 4
"""Fewer documents than this to render are rendered in this process: starting workers costs more."""
CACHE_KEEP_DAYS = 30
"""Cached PDFs unused for this long are deleted at the end of a build."""


# --- paths and dates ----------------------------------------------------------------------


def brief_path(lang: str, need_id: str) -> PurePosixPath:
    """Where a need's brief goes, relative to the site folder (also its URL path)."""
    return PurePosixPath("pdf", lang, "briefs", f"{need_id}.pdf")


def catalogue_path(lang: str) -> PurePosixPath:
    """Where the full catalogue in ``lang`` goes, relative to the site folder."""
    return PurePosixPath("pdf", lang, "catalogue.pdf")


def default_site_url() -> str:
    return os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def need_url(site_url: str, lang: str, need_id: str) -> str:
    """The need's page on the site: ``{site_url}/needs/<id>/`` or ``{site_url}/en/needs/<id>/``."""
    base = site_url.rstrip("/") + "/"
    return f"{base}{'' if lang == 'vi' else lang + '/'}needs/{need_id}/"


def production_time(day: dt.date | None = None) -> dt.datetime:
    """When a document counts as produced: ``day``, else ``SOURCE_DATE_EPOCH``, else today (Viet Nam time)."""
    if day is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), VIET_NAM)
        day = dt.datetime.now(VIET_NAM).date()
    return dt.datetime.combine(day, dt.time(0), VIET_NAM)


# --- what templates see -------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    communes: str
    """Today's communes or wards, with the village when given."""
    former: str
    """What they were part of before 1 July 2025 (``formerly in Yên Lập District, …``)."""


@dataclass(frozen=True)
class BudgetRow:
    label: str
    amount: str
    other: str
    share: str
    total: bool = False


@dataclass
class View:
    """Look-ups and figures the print templates need, in one language."""

    cat: Catalogue
    lang: str
    site_url: str

    def term(self, vocabulary: str, key: Any) -> Term:
        return self.cat.vocab[vocabulary][key]

    def terms(self, vocabulary: str, keys: Iterable[Any]) -> list[Term]:
        return [self.cat.vocab[vocabulary][k] for k in keys]

    def url(self, need: Need) -> str:
        return need_url(self.site_url, self.lang, need.id)

    def home(self) -> str:
        """The site's home page in this language."""
        return self.site_url.rstrip("/") + ("/" if self.lang == "vi" else f"/{self.lang}/")

    def published(self, ids: Iterable[str]) -> list[Need]:
        return [self.cat.needs[i] for i in ids if i in self.cat.needs]

    def places(self, locations: Sequence[Location]) -> list[Place]:
        """Communes grouped by the former district they belong to, in the order given."""
        groups: dict[str, list[str]] = {}
        for loc in locations:
            locality = self.cat.localities[loc.commune]
            name = tr(locality.name, self.lang)
            if loc.detail is not None:
                name += f" ({tr(loc.detail, self.lang)})"
            groups.setdefault(formerly(locality, self.lang), []).append(name)
        return [Place(", ".join(names), former) for former, names in groups.items()]

    def budget(self, need: Need) -> list[BudgetRow]:
        b, lang, rate = need.budget, self.lang, self.cat.site.usd_to_vnd

        def row(key: str, amount: float, total: bool = False) -> BudgetRow:
            return BudgetRow(t(key, lang), fmt.money(amount, b.currency, lang), fmt.approx(amount, b.currency, lang, rate),
                             fmt.percent(round(100 * amount / b.total), lang), total)

        rows = [row("total", b.total, total=True), row("requested", b.requested)]
        if b.counterpart is not None:
            if b.counterpart.cash:
                rows.append(row("counterpart_cash", b.counterpart.cash))
            if b.counterpart.in_kind:
                rows.append(row("counterpart_in_kind", b.counterpart.in_kind))
        return rows

    def colour_css(self) -> Markup:
        """Classes for the colours of SDGs (``sdg-3``) and statuses (``status-calling``), once per document.

        Classes, not ``style`` attributes: WeasyPrint parses every attribute anew (seconds for 100 needs).
        """
        rules = []
        for prefix, vocabulary in (("sdg", "sdgs"), ("status", "statuses")):
            for term in self.cat.vocab[vocabulary].values():
                if term.colour:
                    rules.append(f".{prefix}-{term.id} {{ background-color: {term.colour}; }}")
        return Markup("\n".join(rules))

    def rate_note(self) -> str:
        return t("approx_note", self.lang, rate=fmt.number(self.cat.site.usd_to_vnd, self.lang))

    def count(self, n: int) -> str:
        return t("pdf.count_one", self.lang) if n == 1 else t("pdf.count", self.lang, n=fmt.number(n, self.lang))

    def requested_total(self, needs: Iterable[Need]) -> str:
        """The money sought by ``needs``, in VND (Vietnamese) or US$ (English), as a short figure."""
        currency = "VND" if self.lang == "vi" else "USD"
        rate = self.cat.site.usd_to_vnd
        total = sum(fmt.convert(n.budget.requested, n.budget.currency, currency, rate) for n in needs)
        return fmt.compact_money(total, currency, self.lang)

    def communes(self, needs: Iterable[Need]) -> int:
        return len({loc.commune for n in needs for loc in n.locations})

    def page_css(self, left: str) -> Markup:
        """The page-margin texts, which CSS cannot take from the document: footer and page X of Y."""
        page_of = t("page_of", self.lang, page="\0page\0", pages="\0pages\0")
        parts = []
        for i, piece in enumerate(page_of.split("\0")):
            if i % 2:
                parts.append(f"counter({piece})")
            elif piece:
                parts.append(css_string(piece))
        footer_left, footer_right = css_string(left), " ".join(parts)
        return Markup(f"@page {{ @bottom-left {{ content: {footer_left} }} @bottom-right {{ content: {footer_right} }} }}")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that is also safe inside an HTML ``<style>`` element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@cache
def stylesheet() -> str:
    """The print stylesheet: ``@font-face`` rules for the packaged fonts, then ``templates/pdf/print.css``."""
    env = templates()
    assert env.loader is not None
    faces = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f"src: url({css_string((FONT_DIR / f'BeVietnamPro-{stem}.ttf').as_uri())}); }}"
        for weight, style, stem in FONT_FACES
    ]
    return "\n".join(faces) + "\n" + env.loader.get_source(env, "pdf/print.css")[0]


def _common(cat: Catalogue, lang: str, site_url: str, produced: dt.datetime) -> dict[str, Any]:
    return {
        "cat": cat, "site": cat.site, "lang": lang, "view": View(cat, lang, site_url),
        "produced": produced, "produced_iso": produced.isoformat(timespec="seconds"),
        "generator": f"aidcatalog {__version__}",
        "css": lambda text: Markup(css_string(str(text))),
    }


def brief_html(cat: Catalogue, need: Need, lang: str, *, site_url: str, produced: dt.datetime) -> str:
    """The print HTML of one need's brief."""
    return templates().get_template("pdf/brief.html.j2").render(need=need, **_common(cat, lang, site_url, produced))


def catalogue_html(
    cat: Catalogue, selection: Selection, lang: str, *, site_url: str, produced: dt.datetime,
    partner: Partner | None = None, filters: Filters | None = None,
) -> str:
    """The print HTML of a catalogue: every need of ``selection``, grouped by (first) sector."""
    groups: list[tuple[Term, list[Need]]] = []
    for sector_id, sector in cat.vocab["sectors"].items():
        needs = [n for n in selection.needs if n.sectors[0] == sector_id]
        if needs:
            groups.append((sector, needs))
    tailored = partner is not None or (filters is not None and not filters.empty)
    return templates().get_template("pdf/catalogue.html.j2").render(
        groups=groups, needs=selection.needs, stories=selection.stories, partner=partner, tailored=tailored,
        selection_text=filters.describe(cat, lang) if filters is not None and partner is None else "",
        **_common(cat, lang, site_url, produced),
    )


# --- HTML → PDF ---------------------------------------------------------------------------


def media_dir(cat: Catalogue) -> Path:
    return (cat.root / "media").resolve()


def _media_files(cat: Catalogue, entries: Iterable[Need | Story]) -> list[Path]:
    return sorted({media_dir(cat) / p.file for e in entries for p in e.photos})


@dataclass(frozen=True)
class Job:
    """One document to render: picklable, so it can go to another process."""

    name: str
    html: str
    base_url: str
    roots: tuple[str, ...]
    media: tuple[str, ...] = ()

    def key(self) -> str:
        """The cache key: the HTML and everything else that makes the bytes."""
        digest = hashlib.sha256(_tools_version().encode())
        digest.update(self.html.encode())
        for path in self.media:
            digest.update(path.encode() + b"\0" + hashlib.sha256(Path(path).read_bytes()).digest())
        return digest.hexdigest()


@cache
def _tools_version() -> str:
    """What besides the HTML decides the bytes: WeasyPrint, pydyf, fonts, options, the stylesheet."""
    versions = [f"{d}={metadata.version(d)}" for d in ("weasyprint", "pydyf", "fontpkg-be-vietnam-pro")]
    fonts = [f"{p.name}:{p.stat().st_size}" for p in sorted(FONT_DIR.glob("*.ttf"))]
    return "|".join([LAYOUT_VERSION, *versions, *fonts, repr(sorted(WRITE_OPTIONS.items())), stylesheet()])


def _job(name: str, html: str, cat: Catalogue, entries: Iterable[Need | Story]) -> Job:
    media = media_dir(cat)
    return Job(name, html, media.as_uri() + "/", (str(FONT_DIR), str(media)),
               tuple(str(p) for p in _media_files(cat, entries)))


def html_to_pdf(html: str, base_url: str, roots: Sequence[str]) -> tuple[bytes, int]:
    """Render print HTML with the stylesheet: the PDF bytes and the page count. Reads files only under ``roots``."""
    from weasyprint import HTML  # imported here: a second or so, needed only when rendering

    fetcher = _local_fetcher(tuple(roots))
    css, fonts = _shared_style(fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **WRITE_OPTIONS,  # image options act while rendering
    )
    return document.write_pdf(**WRITE_OPTIONS), len(document.pages)


@cache
def _shared_style(fetcher: Any) -> tuple[Any, Any]:
    """The stylesheet, parsed and its fonts loaded once per process (a third of a brief's time otherwise)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # copies the fonts into a temporary folder, removed by _drop_shared_style
    multiprocessing.util.Finalize(None, _drop_shared_style, exitpriority=10)  # runs in workers too, unlike atexit
    return CSS(string=stylesheet(), font_config=fonts, url_fetcher=fetcher), fonts


def _drop_shared_style() -> None:
    _shared_style.cache_clear()
    gc.collect()  # FontConfiguration.__del__ deletes its folder while the interpreter is still whole


def _render(job: Job) -> bytes:
    return html_to_pdf(job.html, job.base_url, job.roots)[0]


@cache
def _local_fetcher(roots: tuple[str, ...]) -> Any:
    from weasyprint.urls import URLFetcher

    allowed = [Path(r).resolve() for r in roots]

    class LocalFiles(URLFetcher):
        """Fonts and photos from the allowed folders; nothing else, and never the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(url2pathname(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            elif parts.scheme == "data":
                return super().fetch(url, headers)
            raise ValueError(f"not read while rendering a PDF: {url}")

    return LocalFiles(allowed_protocols=("file", "data"))


# --- single documents (the command) -------------------------------------------------------


@dataclass(frozen=True)
class Written:
    pdf: bytes
    pages: int


def render_brief(cat: Catalogue, need_id: str, lang: str, *, site_url: str | None = None,
                 produced: dt.datetime | None = None) -> Written:
    need = cat.needs[need_id]
    html = brief_html(cat, need, lang, site_url=site_url or default_site_url(), produced=produced or production_time())
    job = _job(need_id, html, cat, [need])
    return Written(*html_to_pdf(job.html, job.base_url, job.roots))


def render_catalogue(cat: Catalogue, lang: str, *, filters: Filters | None = None, partner: Partner | None = None,
                     site_url: str | None = None, produced: dt.datetime | None = None) -> tuple[Written, Selection]:
    """A catalogue of the needs ``filters`` select (all by default). The selection may be empty: check first."""
    selection = select(cat, filters or Filters())
    html = catalogue_html(cat, selection, lang, site_url=site_url or default_site_url(),
                          produced=produced or production_time(), partner=partner, filters=filters)
    job = _job("catalogue", html, cat, [*selection.needs, *selection.stories])
    return Written(*html_to_pdf(job.html, job.base_url, job.roots)), selection


# --- the site build -----------------------------------------------------------------------


@dataclass
class BuildStats:
    """What :func:`build_pdfs` did: the documents it rendered and how many came from the cache."""

    rendered: list[str] = field(default_factory=list)
    reused: int = 0
    seconds: float = 0.0
    workers: int = 0


def build_pdfs(
    catalogue: Catalogue, out_dir: Path, cache_dir: Path, site_url: str | None = None, jobs: int | None = None,
    *, produced: dt.datetime | None = None, stats: BuildStats | None = None,
) -> list[Path]:
    """Every need's brief and the full catalogue, in both languages, under ``out_dir/pdf/``.

    ``cache_dir`` holds rendered PDFs by content hash (e.g. ``.cache/pdf``); ``jobs`` caps the
    worker processes (default: the CPUs). A file is rewritten only when its bytes changed, and
    briefs of needs no longer published are removed. Returns every PDF path, briefs first.

    The production date (``produced``, else ``SOURCE_DATE_EPOCH``, else today) is printed on every
    document, so it is part of the cache key: pass a fixed one to keep the cache across days.
    Workers start from a fork server, which imports the caller's main module again: call this
    from a ``if __name__ == "__main__":`` guard (MkDocs, pytest and console scripts have one).
    """
    started = time.perf_counter()
    stats = stats if stats is not None else BuildStats()
    site_url = site_url or default_site_url()
    produced = produced or production_time()
    out_dir, cache_dir = Path(out_dir), Path(cache_dir)

    work: list[tuple[Path, Job]] = []
    full = select(catalogue, Filters())
    for lang in LANGS:
        if full.needs:
            html = catalogue_html(catalogue, full, lang, site_url=site_url, produced=produced)
            work.append((out_dir / catalogue_path(lang), _job(str(catalogue_path(lang)), html, catalogue,
                                                               [*full.needs, *full.stories])))
        for need in catalogue.needs.values():
            html = brief_html(catalogue, need, lang, site_url=site_url, produced=produced)
            work.append((out_dir / brief_path(lang, need.id), _job(str(brief_path(lang, need.id)), html,
                                                                    catalogue, [need])))

    keys = [job.key() for _, job in work]
    cached = {key: _cache_file(cache_dir, key) for key in keys}
    missing: dict[str, Job] = {}
    for key, (_, job) in zip(keys, work, strict=True):
        if not cached[key].is_file() and key not in missing:
            missing[key] = job
    stats.reused += len(work) - len(missing)
    for key, data in _render_all(missing, jobs, stats).items():
        _write_atomic(cached[key], data)
        stats.rendered.append(missing[key].name)

    written = []
    for key, (target, _) in zip(keys, work, strict=True):
        pdf = cached[key].read_bytes()
        if not target.is_file() or target.read_bytes() != pdf:
            _write_atomic(target, pdf)
        written.append(target)
        os.utime(cached[key])  # recently used: kept by the pruning below
    _remove_stale(out_dir, {p for p in written})
    _prune(cache_dir, set(cached.values()))
    stats.seconds = time.perf_counter() - started
    return sorted(written, key=lambda p: (p.parent.name != "briefs", str(p)))


def build_site_pdfs(catalogue: Catalogue, site_dir: Path, project: Path, site_url: str) -> BuildStats:
    """:func:`build_pdfs` for a site build: cache in ``project/.cache/pdf``, dated by the sources.

    The date printed on every PDF is the day (in Viet Nam) of ``SOURCE_DATE_EPOCH`` or of the last
    commit, so a build is reproducible and the commits of one day share the cache.
    """

    day = dt.datetime.fromtimestamp(source_date_epoch(project), VIET_NAM).date()
    stats = BuildStats()
    build_pdfs(catalogue, site_dir, project / ".cache" / "pdf", site_url, produced=production_time(day), stats=stats)
    return stats


def _render_all(missing: dict[str, Job], jobs: int | None, stats: BuildStats) -> dict[str, bytes]:
    # Longest first (the catalogues), so the workers finish together.
    order = sorted(missing, key=lambda k: -len(missing[k].html))
    workers = min(jobs or os.cpu_count() or 1, len(order))
    done: dict[str, bytes] = {}
    if workers >= 2 and len(order) >= PARALLEL_FROM:
        stats.workers = workers
        # A fork server that has imported this module (and WeasyPrint) starts workers fast, and safely:
        # forking the caller itself would copy MkDocs' threads (``mkdocs serve``) into the workers.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "weasyprint"])
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for key, data in zip(order, pool.map(_render, [missing[k] for k in order]), strict=True):
                    done[key] = data
        except BrokenProcessPool:  # e.g. a main module without a __main__ guard: finish here
            LOG.warning("PDF workers stopped; rendering the remaining %d documents in this process",
                        len(order) - len(done))
    stats.workers = max(stats.workers, 1 if order else 0)
    for key in order:
        if key not in done:
            done[key] = _render(missing[key])
    return done


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.pdf"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _remove_stale(out_dir: Path, keep: set[Path]) -> None:
    """Briefs of needs that are gone (withdrawn, renamed), and a catalogue with no need left."""
    for lang in LANGS:
        stale = [*(out_dir / "pdf" / lang / "briefs").glob("*.pdf"), out_dir / catalogue_path(lang)]
        for path in stale:
            if path not in keep:
                path.unlink(missing_ok=True)


def _prune(cache_dir: Path, used: set[Path]) -> None:
    limit = time.time() - CACHE_KEEP_DAYS * 86400
    for path in cache_dir.glob("*/*.pdf"):
        if path not in used and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)

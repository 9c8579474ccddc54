"""HTML → PDF with WeasyPrint: a document as a cache-keyed job, reading local files only; single documents."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import multiprocessing
import multiprocessing.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .. import glyphs
from ..catalogue import Catalogue
from ..model import Need, Partner, Story
from ..select import Filters, Selection, select
from .assemble import Layout
from .document import (
    FONT_DIR,
    brief_html,
    catalogue_html,
    content_day,
    default_site_url,
    font_files,
    production_time,
    stylesheet,
)

JPEG_QUALITY = 80
"""JPEG quality of photos once re-encoded (WeasyPrint ``jpeg_quality``)."""


MAX_DPI = 150
"""Photos keep at most this resolution at the size they are printed (WeasyPrint ``dpi``)."""


WRITE_OPTIONS: dict[str, Any] = {"optimize_images": True, "jpeg_quality": JPEG_QUALITY, "dpi": MAX_DPI}


LAYOUT_VERSION = "2"
"""Bump when the PDF output changes for a reason the rendered HTML does not show (cache key)."""


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
    layout: bool = False
    """Also return the :class:`~.assemble.Layout` (a part of a catalogue, assembled later)."""

    def key(self) -> str:
        """The cache key: the HTML and everything else that makes the bytes."""
        digest = hashlib.sha256(_tools_version().encode())
        if self.layout:
            digest.update(b"layout\0")
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
    document = _layout(html, base_url, roots)
    return document.write_pdf(**WRITE_OPTIONS), len(document.pages)


def _layout(html: str, base_url: str, roots: Sequence[str]) -> Any:
    """The laid-out WeasyPrint document, with the stylesheet parsed and the fonts loaded once per process."""
    from weasyprint import HTML  # imported here: a second or so, needed only when rendering

    fetcher = _local_fetcher(tuple(roots))
    css, fonts = _shared_style(fetcher)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, **WRITE_OPTIONS,  # image options act while rendering
    )


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


def _render(job: Job) -> tuple[bytes, str]:
    """In a worker: the PDF bytes, and the layout of a part (JSON, else ""). MemoryError when a photo
    could not be loaded for lack of memory (WeasyPrint logs that and leaves the photo out)."""
    short = _OutOfMemory()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(short)
    try:
        document = _layout(job.html, job.base_url, job.roots)
        data = document.write_pdf(**WRITE_OPTIONS)
        layout = Layout.of(document).dumps() if job.layout else ""
    finally:
        logger.removeHandler(short)
    if short.seen:
        raise MemoryError(job.name)
    return data, layout


class _OutOfMemory(logging.Handler):
    """Notes WeasyPrint's errors (an image it could not load, an SVG it could not draw) caused by MemoryError."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        causes = [a for a in args if isinstance(a, BaseException)]
        if record.exc_info and record.exc_info[1] is not None:
            causes.append(record.exc_info[1])
        for error in causes:
            for _ in range(10):  # the chain of causes, not forever
                if error is None:
                    break
                if isinstance(error, MemoryError):
                    self.seen = True
                    return
                error = error.__cause__ or error.__context__


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


@dataclass(frozen=True)
class Written:
    pdf: bytes
    pages: int


def render_brief(cat: Catalogue, need_id: str, lang: str, *, site_url: str | None = None,
                 produced: dt.datetime | None = None) -> Written:
    """One need's brief, dated ``produced``, else by the need's own review (``last_reviewed``)."""
    need = cat.needs[need_id]
    glyphs.check(cat, [lang], font_files())
    html = brief_html(cat, need, lang, site_url=site_url or default_site_url(),
                      produced=produced or production_time(need.last_reviewed))
    job = _job(need_id, html, cat, [need])
    return Written(*html_to_pdf(job.html, job.base_url, job.roots))


def render_catalogue(cat: Catalogue, lang: str, *, filters: Filters | None = None, partner: Partner | None = None,
                     site_url: str | None = None, produced: dt.datetime | None = None,
                     letter: dt.datetime | None = None) -> tuple[Written, Selection]:
    """A catalogue of the needs ``filters`` select (all by default). The selection may be empty: check first.

    Dated ``produced``, else by its latest entry (:func:`~.document.content_day`); a partner's letter is
    dated ``letter`` (the day it is sent), else the same."""
    selection = select(cat, filters or Filters())
    glyphs.check(cat, [lang], font_files())
    day = content_day([*selection.needs, *selection.stories])
    html = catalogue_html(cat, selection, lang, site_url=site_url or default_site_url(),
                          produced=produced or production_time(day), partner=partner, filters=filters, letter=letter)
    job = _job("catalogue", html, cat, [*selection.needs, *selection.stories])
    return Written(*html_to_pdf(job.html, job.base_url, job.roots)), selection

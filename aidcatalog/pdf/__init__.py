"""Print documents: a brief per need, the whole catalogue, tailored catalogues — HTML → PDF.

The HTML comes from the Jinja templates in ``templates/pdf/`` (through :func:`render.templates`)
and one stylesheet, ``templates/pdf/print.css``, inlined; WeasyPrint turns it into PDF.

- **Fonts** are Be Vietnam Pro from the ``fontpkg-be-vietnam-pro`` package (every Vietnamese
  letter), loaded with ``@font-face`` from the package's own files, embedded and subset. The
  stylesheet names no other family, so nothing depends on the fonts a machine has.
- **Deterministic, dated by content**: the same catalogue and site address give byte-identical
  PDFs, on any day. The date printed on a document and its PDF ``CreationDate``/``ModDate`` are
  its content's (:func:`content_day`): a brief's is its need's ``last_reviewed``, a catalogue's
  the latest ``last_reviewed`` of its entries, at midnight Viet Nam time (``aidcatalog pdf --date``
  sets another). Only a partner's cover letter is dated the day it is made. WeasyPrint writes no
  random ids (no ``pdf_identifier``, no PDF/X-4 XMP).
- **Photos** are scaled down to at most :data:`MAX_DPI` at their printed size and re-encoded as
  JPEG of quality :data:`JPEG_QUALITY`: a photo printed 17 cm wide keeps at most ~1,000 px,
  about 100–250 KB, so a brief with one photo stays well under 1 MB.
- **Only local files** are read while rendering (fonts and ``catalog/media/``): no network.

:func:`build_pdfs` makes every brief and both full catalogues for the site, with a cache keyed
by the content (the rendered HTML, the photos it shows, and the versions of the templates'
tools and fonts), so an unchanged entry is never rendered twice; it has no MkDocs imports.

The package in four parts: :mod:`.document` (paths, dates, fonts, the stylesheet and the HTML of
a document, from the entries' public views), :mod:`.render` (HTML → PDF, one document),
:mod:`.workers` (many documents in worker processes with bounded memory) and :mod:`.site`
(the site's PDFs with their cache)."""

from .document import (
    DEFAULT_SITE_URL,
    FONT_DIR,
    FONT_FACES,
    FONT_FAMILY,
    VIET_NAM,
    View,
    brief_html,
    brief_path,
    catalogue_html,
    catalogue_path,
    content_day,
    css_string,
    default_site_url,
    font_files,
    need_url,
    production_time,
    stylesheet,
)
from .render import (
    JPEG_QUALITY,
    LAYOUT_VERSION,
    MAX_DPI,
    WRITE_OPTIONS,
    Job,
    Written,
    _local_fetcher,
    html_to_pdf,
    media_dir,
    render_brief,
    render_catalogue,
)
from .site import CACHE_KEEP_DAYS, build_pdfs, build_site_pdfs
from .workers import PARALLEL_FROM, WORKER_MEMORY, BuildStats, PdfError, _render_all, worker_memory

__all__ = [
    "CACHE_KEEP_DAYS", "DEFAULT_SITE_URL", "FONT_DIR", "FONT_FACES", "FONT_FAMILY", "JPEG_QUALITY", "LAYOUT_VERSION",
    "MAX_DPI", "PARALLEL_FROM", "VIET_NAM", "WORKER_MEMORY", "WRITE_OPTIONS", "BuildStats", "Job",
    "PdfError", "View", "Written", "_local_fetcher", "_render_all", "brief_html", "brief_path", "build_pdfs",
    "build_site_pdfs", "catalogue_html", "catalogue_path", "content_day", "css_string", "default_site_url", "font_files",
    "html_to_pdf", "media_dir", "need_url", "production_time", "render_brief", "render_catalogue", "stylesheet",
    "worker_memory",
]

"""The site's PDFs: every brief and the full catalogue per language, rendered only when their content changed."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from .. import glyphs
from ..build import source_date_epoch
from ..catalogue import Catalogue
from ..select import Filters, select
from .document import (
    VIET_NAM,
    brief_html,
    brief_path,
    catalogue_html,
    catalogue_path,
    default_site_url,
    font_files,
    production_time,
)
from .render import Job, _job
from .workers import BuildStats, _cache_file, _render_all, _write_atomic

CACHE_KEEP_DAYS = 30
"""Cached PDFs unused for this long are deleted at the end of a build."""


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
    glyphs.check(catalogue, catalogue.languages, font_files())  # before any layout: no boxes in a PDF
    for lang in catalogue.languages:
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


def _remove_stale(out_dir: Path, keep: set[Path]) -> None:
    """Briefs of needs that are gone (withdrawn, renamed), and a catalogue with no need left (or no language)."""
    for lang in sorted(p.name for p in (out_dir / "pdf").iterdir() if p.is_dir()) if (out_dir / "pdf").is_dir() else ():
        stale = [*(out_dir / "pdf" / lang / "briefs").glob("*.pdf"), out_dir / catalogue_path(lang)]
        for path in stale:
            if path not in keep:
                path.unlink(missing_ok=True)


def _prune(cache_dir: Path, used: set[Path]) -> None:
    limit = time.time() - CACHE_KEEP_DAYS * 86400
    for path in cache_dir.glob("*/*.pdf"):
        if path not in used and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)

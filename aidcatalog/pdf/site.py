"""The site's PDFs: every brief and the full catalogue per language, rendered only when their content changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import replace
from pathlib import Path

from .. import glyphs
from ..catalogue import Catalogue
from ..select import Filters, select
from . import assemble
from .document import (
    brief_html,
    brief_path,
    catalogue_html,
    catalogue_path,
    content_day,
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

    Every document is dated by its content (:func:`~.document.content_day`): a brief by its need's
    ``last_reviewed``, a catalogue by the latest of its entries. The date is part of the cache key,
    and it moves only when an entry does, so an unchanged entry is never rendered again, whatever
    the day. ``produced`` dates every document with one day instead (tests).
    Workers start from a fork server, which imports the caller's main module again: call this
    from a ``if __name__ == "__main__":`` guard (MkDocs, pytest and console scripts have one).
    """
    started = time.perf_counter()
    stats = stats if stats is not None else BuildStats()
    site_url = site_url or default_site_url()
    out_dir, cache_dir = Path(out_dir), Path(cache_dir)

    briefs: list[tuple[Path, Job]] = []
    catalogues: list[tuple[Path, _Catalogue]] = []
    full = select(catalogue, Filters())
    glyphs.check(catalogue, catalogue.languages, font_files())  # before any layout: no boxes in a PDF
    for lang in catalogue.languages:
        if full.needs:
            day = produced or production_time(content_day([*full.needs, *full.stories]))
            html = catalogue_html(catalogue, full, lang, site_url=site_url, produced=day)
            job = _job(str(catalogue_path(lang)), html, catalogue, [*full.needs, *full.stories])
            catalogues.append((out_dir / catalogue_path(lang), _Catalogue(job)))
        for need in catalogue.needs.values():
            html = brief_html(catalogue, need, lang, site_url=site_url,
                              produced=produced or production_time(need.last_reviewed))
            briefs.append((out_dir / brief_path(lang, need.id), _job(str(brief_path(lang, need.id)), html,
                                                                      catalogue, [need])))

    # 1. Every brief and every part of the catalogues but their fronts, in one pool.
    work = {job.key(): job for _, job in briefs}
    for _, cat_ in catalogues:
        work.update((job.key(), job) for job in cat_.parts)
    rendered = _render_missing(work, cache_dir, jobs, stats)
    made = len(stats.rendered)
    stats.rendered += [job.name for key, job in work.items() if key in rendered and not job.layout]
    stats.parts += sum(1 for k in rendered if work[k].layout)
    # 2. The fronts, with the page numbers of their contents, and the page-number overlays.
    rendered |= _fronts(catalogues, cache_dir, jobs, stats)
    # 3. Each catalogue merged from its cached parts (itself cached: nothing changed, nothing merged).
    outputs: list[tuple[Path, Path]] = [(target, _cache_file(cache_dir, job.key())) for target, job in briefs]
    for target, cat_ in catalogues:
        merged = _cache_file(cache_dir, cat_.key())
        if not merged.is_file() or cat_.touched(rendered):
            data = assemble.merge(_load(cache_dir, cat_.front), [_load(cache_dir, j) for j in cat_.parts],
                                  _cache_file(cache_dir, cat_.overlay.key()).read_bytes())
            _write_atomic(merged, data)
            stats.rendered.append(cat_.whole.name)
        outputs.append((target, merged))
    stats.reused += len(outputs) - (len(stats.rendered) - made)

    written = []
    used: set[Path] = set()
    for target, cached in outputs:
        pdf = cached.read_bytes()
        if not target.is_file() or target.read_bytes() != pdf:
            _write_atomic(target, pdf)
        written.append(target)
    for key in [*work, *(k for _, c in catalogues for k in c.used())]:
        for path in (_cache_file(cache_dir, key), _layout_file(cache_dir, key)):
            if path.is_file():
                os.utime(path)  # recently used: kept by the pruning below
                used.add(path)
    _remove_stale(out_dir, {p for p in written})
    _prune(cache_dir, used)
    stats.seconds = time.perf_counter() - started
    return sorted(written, key=lambda p: (p.parent.name != "briefs", str(p)))


class _Catalogue:
    """A catalogue of the site as parts (:mod:`.assemble`): their jobs, then its front and overlay once known."""

    def __init__(self, whole: Job):
        self.whole = whole
        self.split = assemble.split(whole.html)
        self.parts = [replace(whole, name=f"{whole.name}#{i}", html=assemble.part_html(self.split, i), layout=True)
                      for i in range(len(self.split.parts))]
        self.front = replace(whole, name=f"{whole.name}#front", html="", layout=True)
        self.overlay = replace(whole, name=f"{whole.name}#numbers", html="", media=())

    def key(self) -> str:
        digest = hashlib.sha256(b"merged\0")
        for job in (self.front, *self.parts, self.overlay):
            digest.update(job.key().encode())
        return digest.hexdigest()

    def used(self) -> list[str]:
        return [self.front.key(), self.overlay.key(), self.key()]

    def touched(self, rendered: set[str]) -> bool:
        return any(k in rendered for k in (self.front.key(), self.overlay.key(), *(j.key() for j in self.parts)))


def _fronts(catalogues: list[tuple[Path, _Catalogue]], cache_dir: Path, workers: int | None,
            stats: BuildStats) -> set[str]:
    """Render the fronts until their page count is the one their contents assumed, then the overlays.

    The keys rendered."""
    rendered: set[str] = set()
    layouts = {id(c): [_layout(cache_dir, j) for j in c.parts] for _, c in catalogues}
    guess = {id(c): _memo(cache_dir, c) for _, c in catalogues}
    pending = [c for _, c in catalogues]
    for _ in range(4):
        for c in pending:
            c.front = replace(c.front, html=assemble.front_html(c.split, assemble.numbers(guess[id(c)], layouts[id(c)])))
        done = _render_missing({c.front.key(): c.front for c in pending}, cache_dir, workers, stats)
        stats.parts += len(done)
        rendered |= done
        still = []
        for c in pending:
            pages = _layout(cache_dir, c.front).pages
            _memo(cache_dir, c, pages)
            if pages != guess[id(c)]:
                guess[id(c)] = pages
                still.append(c)
        pending = still
        if not pending:
            break
    else:  # pragma: no cover - a contents whose length depends on its own page numbers, back and forth
        raise RuntimeError("the contents' page numbers do not settle")
    for _, c in catalogues:
        names = [n for j in (c.front, *c.parts) for n in _layout(cache_dir, j).names]
        c.overlay = replace(c.overlay, html=assemble.overlay_html(c.split, names))
    done = _render_missing({c.overlay.key(): c.overlay for _, c in catalogues}, cache_dir, workers, stats)
    stats.parts += len(done)
    return rendered | done


def _memo(cache_dir: Path, cat_: _Catalogue, pages: int | None = None) -> int:
    """The page count of this catalogue's front when last rendered (its contents without numbers), else 0."""
    key = hashlib.sha256(assemble.front_html(cat_.split, {}).encode()).hexdigest()
    path = cache_dir / "fronts" / f"{key}.txt"
    if pages is not None:
        _write_atomic(path, str(pages).encode())
        return pages
    try:
        return int(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0


def _render_missing(jobs: dict[str, Job], cache_dir: Path, workers: int | None, stats: BuildStats) -> set[str]:
    """Render the jobs whose PDF (and layout) is not cached; the keys of those rendered."""
    missing = {k: j for k, j in jobs.items()
               if not _cache_file(cache_dir, k).is_file() or (j.layout and not _layout_file(cache_dir, k).is_file())}
    for key, (data, layout) in _render_all(missing, workers, stats).items():
        if layout:
            _write_atomic(_layout_file(cache_dir, key), layout.encode())
        _write_atomic(_cache_file(cache_dir, key), data)
    return set(missing)


def _layout_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.json"


def _layout(cache_dir: Path, job: Job) -> assemble.Layout:
    return assemble.Layout.loads(_layout_file(cache_dir, job.key()).read_text(encoding="utf-8"))


def _load(cache_dir: Path, job: Job) -> tuple[bytes, assemble.Layout]:
    return _cache_file(cache_dir, job.key()).read_bytes(), _layout(cache_dir, job)


def build_site_pdfs(catalogue: Catalogue, site_dir: Path, project: Path, site_url: str) -> BuildStats:
    """:func:`build_pdfs` for a site build: cache in ``project/.cache/pdf``, every PDF dated by its content.

    Neither the day of the build nor that of the last commit is printed: a brief carries its need's
    ``last_reviewed``, a catalogue the latest of its entries. A build is reproducible, and an entry
    that did not change is taken from the cache on any later day.
    """
    stats = BuildStats()
    build_pdfs(catalogue, site_dir, project / ".cache" / "pdf", site_url, stats=stats)
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
    for path in [*cache_dir.glob("*/*.pdf"), *cache_dir.glob("*/*.json"), *cache_dir.glob("fronts/*.txt")]:
        if path not in used and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)

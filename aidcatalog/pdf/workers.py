"""Rendering many documents at once: worker processes with bounded memory that end with the build."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .. import languages
from ..labels import t
from .document import LOG
from .render import Job, _render

PARALLEL_FROM = 4
"""Fewer documents than this to render are rendered in this process: starting workers costs more."""


WORKER_MEMORY = 2 * 1024**3
"""Address space one PDF worker may use (``RLIMIT_AS``), 2 GiB: the example catalogue's worker peaks
near 0.6 GiB. A document that needs more fails the build with its name instead of taking the
machine. ``AIDCATALOG_PDF_MEMORY_MB`` sets another limit."""




class PdfError(RuntimeError):
    """A document of the site build cannot be made: which, and why (``str()`` in English, :meth:`text`)."""

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params
        super().__init__(self.text(languages.SOURCE))

    def text(self, lang: str) -> str:
        return t(f"pdf.error.{self.key}", lang, **self.params)


@dataclass
class BuildStats:
    """What :func:`build_pdfs` did: the documents it rendered and how many came from the cache."""

    rendered: list[str] = field(default_factory=list)
    """The documents made anew (a catalogue counts when any of its parts was)."""
    reused: int = 0
    parts: int = 0
    """Parts of catalogues rendered (:mod:`.assemble`): the layout a rebuild did."""
    seconds: float = 0.0
    workers: int = 0


def _render_all(missing: dict[str, Job], jobs: int | None, stats: BuildStats) -> dict[str, tuple[bytes, str]]:
    """Render in worker processes, each bounded by :data:`WORKER_MEMORY` and ended with the build.

    One worker below :data:`PARALLEL_FROM` documents, else up to ``jobs`` (default: the CPUs).
    """
    # Longest first (the catalogues), so the workers finish together.
    order = sorted(missing, key=lambda k: -len(missing[k].html))
    if not order:
        return {}
    workers = min(jobs or os.cpu_count() or 1, len(order)) if len(order) >= PARALLEL_FROM else 1
    stats.workers = max(stats.workers, workers)
    done: dict[str, tuple[bytes, str]] = {}
    try:
        with _pool(workers) as pool:
            futures = [(key, pool.submit(_render, missing[key])) for key in order]
            try:
                for key, future in futures:
                    done[key] = _result(future, missing[key])
            except BaseException:
                for _, future in futures:
                    future.cancel()
                raise
    except BrokenProcessPool:
        # A worker died (killed for memory by the system, or a crash in a C library): find which
        # document, one at a time in workers of their own, rendering nothing outside them.
        LOG.warning("a PDF worker stopped; rendering the remaining %d documents one by one", len(order) - len(done))
        for key in order:
            if key not in done:
                with _pool(1) as pool:
                    try:
                        done[key] = _result(pool.submit(_render, missing[key]), missing[key])
                    except BrokenProcessPool:
                        raise PdfError("worker-died", name=missing[key].name, limit=_size(worker_memory())) from None
    return done


def _pool(workers: int) -> ProcessPoolExecutor:
    # A fork server that has imported this module (and WeasyPrint) starts workers fast, and safely:
    # forking the caller itself would copy MkDocs' threads (``mkdocs serve``) into the workers.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "weasyprint"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                               initargs=(os.getpid(), worker_memory()))


def _result(future: Future[tuple[bytes, str]], job: Job) -> tuple[bytes, str]:
    try:
        return future.result()
    except MemoryError:
        raise PdfError("memory", name=job.name, limit=_size(worker_memory())) from None


def worker_memory() -> int:
    """The address space one PDF worker may use, in bytes (:data:`WORKER_MEMORY`)."""
    value = os.environ.get("AIDCATALOG_PDF_MEMORY_MB", "").strip()
    return int(value) * 1024**2 if value.isdigit() and int(value) > 0 else WORKER_MEMORY


def _size(limit: int) -> str:
    return f"{limit / 1024**3:g} GiB" if limit >= 1024**3 else f"{limit // 1024**2} MiB"


def _worker_init(build_pid: int, memory: int) -> None:
    """In each PDF worker, first: end with the build, however it ends; stay within ``memory`` bytes."""
    _end_with_parent(build_pid)
    _limit_memory(memory)


def _end_with_parent(build_pid: int) -> None:
    """The fork server exits when the build's end of its "alive" pipe closes; each worker is handed a
    copy of that end too, which would keep the server (and so the workers) alive: close it here, and
    ask Linux to kill the worker when the server exits (``PR_SET_PDEATHSIG``)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover
            pass
    try:
        from multiprocessing import forkserver

        server = forkserver._forkserver  # type: ignore[attr-defined]
        if server._forkserver_alive_fd is not None:
            os.close(server._forkserver_alive_fd)
            server._forkserver_alive_fd = None
    except (AttributeError, OSError):  # pragma: no cover - another Python's internals
        pass
    # Everywhere, and for a build killed before the lines above ran: look every second.
    threading.Thread(target=_watch_build, args=(build_pid,), name="watch-build", daemon=True).start()


def _watch_build(build_pid: int) -> None:
    while True:
        try:
            os.kill(build_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass
        time.sleep(1)


def _limit_memory(memory: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    if soft == resource.RLIM_INFINITY or soft > memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard))


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.pdf"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)

"""What a build makes from one validated catalogue: a registry of outputs.

Every output is registered here once — its name, what it writes, when in the build it runs and
whether previews (``mkdocs serve``) skip it — and both the MkDocs hook and the command line
iterate the registry: the hook runs each phase at the matching MkDocs event, ``aidcatalog
build --skip NAME`` and ``aidcatalog outputs`` list the names. A new output is one module with
a ``run`` function, plus one :func:`register` line below.

Phases, in the order a build meets them:

``sources``
    before MkDocs collects its files, once per build: writes into the docs folder (the pages).
``language``
    after each language's pages are built (the search index of that language starts).
``site``
    once, after every language is built (search indexes finished, PDFs, later data files).

Outputs read the catalogue's public views and write files; they never read YAML and know
nothing of MkDocs, so the same outputs would serve another site engine.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .catalogue import Catalogue

Phase = Literal["sources", "language", "site"]
PHASES: tuple[Phase, ...] = ("sources", "language", "site")
SKIP_ENV = "AIDCATALOG_SKIP"
"""Comma-separated output names a build leaves out (``aidcatalog build --skip`` sets it)."""

log = logging.getLogger("aidcatalog.outputs")


@dataclass
class Run:
    """One build of every language: what outputs read, and what they keep between phases."""

    catalogue: Catalogue
    project: Path
    docs_dir: Path
    site_dir: Path
    site_url: str
    preview: bool = False
    """``mkdocs serve``: outputs that are not ``in_preview`` are skipped."""
    lang: str = ""
    """The language just built (``language`` phase)."""
    state: dict[str, Any] = field(default_factory=dict)
    """Per-output state across phases (e.g. search jobs started per language)."""


class OutputError(RuntimeError):
    """An output could not be made: which, and why, in the reader's language (:meth:`text`)."""

    def __init__(self, output: str, cause: BaseException):
        self.output, self.cause = output, cause
        super().__init__(f"{output}: {cause}")

    def text(self, lang: str) -> str:
        localized = getattr(self.cause, "text", None)
        return f"{self.output}: {localized(lang) if callable(localized) else self.cause}"


@dataclass(frozen=True)
class Output:
    name: str
    writes: str
    """What it writes, in a few words (``aidcatalog outputs``)."""
    phases: dict[str, Callable[[Run], str | None]]
    """Phase → the function to run then; it returns a line for the build's log, or None."""
    in_preview: bool = True
    title: str = ""
    """How messages name it (``PDF: …``); default: its name."""
    cleanup: Callable[[Run], None] | None = None
    """Called when the build fails after the output started (stop background work)."""


REGISTRY: dict[str, Output] = {}


def register(output: Output) -> Output:
    if output.name in REGISTRY:
        raise ValueError(f"output {output.name} registered twice")
    unknown = set(output.phases) - set(PHASES)
    if unknown:
        raise ValueError(f"output {output.name}: unknown phase {sorted(unknown)}")
    REGISTRY[output.name] = output
    return output


def skipped(preview: bool = False) -> set[str]:
    """Names this build leaves out: those in ``AIDCATALOG_SKIP``, ``pdf`` when ``AIDCATALOG_PDF=0``,
    and, in previews, the outputs that are not ``in_preview``."""
    names = {n.strip() for n in os.environ.get(SKIP_ENV, "").split(",") if n.strip()}
    if os.environ.get("AIDCATALOG_PDF") == "0":
        names.add("pdf")
    if preview:
        names |= {o.name for o in REGISTRY.values() if not o.in_preview}
    return names


def active(preview: bool = False) -> Iterator[Output]:
    _load()
    leave_out = skipped(preview)
    return (o for o in REGISTRY.values() if o.name not in leave_out)


def run_phase(phase: Phase, run: Run) -> None:
    """Run every active output's step of ``phase``, in registration order."""
    for output in active(run.preview):
        step = output.phases.get(phase)
        if step is None:
            continue
        try:
            line = step(run)
        except OutputError:
            raise
        except Exception as exc:  # an output that cannot be made fails the build, with its name and reason
            raise OutputError(output.title or output.name, exc) from exc
        if line:
            log.info("%s: %s", output.name, line)


def abort(run: Run) -> None:
    """A build failed: let every output stop what it started."""
    for output in REGISTRY.values():
        if output.cleanup is not None:
            try:
                output.cleanup(run)
            except Exception:  # pragma: no cover - cleaning up after a failure must not hide it
                log.debug("cleanup of %s failed", output.name, exc_info=True)


def names() -> list[str]:
    _load()
    return list(REGISTRY)


# --- the registered outputs --------------------------------------------------------------


def _pages(run: Run) -> str:
    from . import site

    changes = site.publish(run.catalogue, run.docs_dir, remember=run.preview)  # previews: remade after each edit
    run.state["pages"] = changes.paths  # the hook hands these pages to MkDocs as the HTML they are
    run.state["pages deleted"] = changes.deleted
    return f"{len(changes.written)} files written, {len(changes.deleted)} deleted, {changes.kept} unchanged"


def _search_start(run: Run) -> None:
    from . import search

    declared = run.catalogue.languages
    others = [code for code in declared.codes if code != declared.default.code]
    run.state.setdefault("search", []).append(search.start(run.site_dir, run.lang, declared.default.code, others))


def _search_finish(run: Run) -> str:
    from . import search

    return search.finish(run.state.pop("search", []))


def _search_stop(run: Run) -> None:
    from . import search

    search.stop(run.state.pop("search", []))


def _pdfs(run: Run) -> str:
    from . import pdf

    stats = pdf.build_site_pdfs(run.catalogue, run.site_dir, run.project, run.catalogue.site.site_url or run.site_url)
    return f"{len(stats.rendered)} rendered, {stats.reused} from the cache ({stats.seconds:.1f} s)"


class _Forked:
    """Files made by a forked process while MkDocs builds the pages, and written into the site after.

    The ``site`` outputs read only the catalogue, and MkDocs renders pages on one core: started
    when the pages are written (phase ``sources``), the data files are made on another core
    meanwhile. Where the system cannot fork (or in previews, which finish them in the background
    anyway) they are made when written; a child that fails is replaced the same way.
    """

    def __init__(self, make: Callable[[], dict[str, bytes]]):
        self.make = make
        self.process: Any = None
        self.reader: Any = None
        try:
            import multiprocessing

            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - Windows
            return
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=self._child, args=(writer,), daemon=True)
        self.process.start()
        writer.close()

    def _child(self, writer: Any) -> None:
        writer.send(self.make())
        writer.close()

    def files(self) -> dict[str, bytes]:
        made = None
        if self.process is not None:
            try:
                made = self.reader.recv()
            except (EOFError, OSError):
                made = None
            self.process.join()
            if self.process.exitcode != 0:
                made = None
        return made if made is not None else self.make()

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()


def _fork_files(run: Run, name: str, make: Callable[[], dict[str, bytes]]) -> None:
    if not run.preview:
        run.state[name] = _Forked(make)


def _write_files(run: Run, name: str, make: Callable[[], dict[str, bytes]]) -> int:
    from .datasite import write_files

    forked = run.state.pop(name, None)
    return write_files(forked.files() if forked is not None else make(), run.site_dir)


def _stop_forked(name: str) -> Callable[[Run], None]:
    def stop(run: Run) -> None:
        forked = run.state.pop(name, None)
        if forked is not None:
            forked.stop()

    return stop


def _data_files(run: Run) -> Callable[[], dict[str, bytes]]:
    from . import datasite

    return lambda: datasite.files(run.catalogue, run.site_url)


def _catalogue_files(run: Run) -> Callable[[], dict[str, bytes]]:
    from . import site

    return lambda: site.catalogue_files(run.catalogue)


def _data(run: Run) -> str:
    return f"{_write_files(run, 'data', _data_files(run))} files in data/"


def _catalogue_index(run: Run) -> str:
    return f"{_write_files(run, 'catalogue', _catalogue_files(run))} files (catalogue/needs.json per language)"


_loaded: list[bool] = []


def _load() -> None:
    """Register the built-in outputs once (here, so that importing this module stays cheap)."""
    if _loaded:
        return
    _loaded.append(True)
    register(Output("pages", "the generated Markdown pages of every language, in the docs folder",
                    {"sources": _pages}))
    register(Output("search", "one Pagefind search index per language (pagefind/, <code>/pagefind/)",
                    {"language": _search_start, "site": _search_finish}, cleanup=_search_stop))
    register(Output("pdf", "every need's brief and the whole catalogue, per language (pdf/<code>/)",
                    {"site": _pdfs}, in_preview=False, title="PDF"))
    register(Output("data", "open data: needs as JSON, CSV, Excel and IATI XML, an Atom feed per language (data/)",
                    {"sources": lambda run: _fork_files(run, "data", _data_files(run)), "site": _data},
                    cleanup=_stop_forked("data")))
    register(Output("catalogue", "the catalogue page's filter index per language (<code>/catalogue/needs.json)",
                    {"sources": lambda run: _fork_files(run, "catalogue", _catalogue_files(run)), "site": _catalogue_index},
                    cleanup=_stop_forked("catalogue")))

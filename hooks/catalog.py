"""MkDocs hooks: run the catalogue's outputs (aidcatalog.outputs) at the matching MkDocs events.

mkdocs-static-i18n runs one complete MkDocs build per language, every event included. So the
catalogue is validated and the ``sources`` outputs (the pages) run once, before the first
language collects its files; the ``language`` outputs run after each language is built; the
``site`` outputs (search indexes finished, PDFs) once, after the last. The state of one build
lives on a :class:`_Build` made by ``on_pre_build`` and dropped when the build ends or fails.

The project's build lock (:mod:`aidcatalog.build`) is held from before the pages are written
into ``content/`` until the last output is done, so ``mkdocs build`` and ``mkdocs serve`` never
write ``content/`` while another build reads or writes it. Under ``aidcatalog build``, which
holds it already, taking it again costs nothing.

The generated pages are one block of HTML each: MkDocs gets them as they are, without parsing
them with Python-Markdown (``on_page_markdown`` / ``on_page_content``; ``site.html_body``).

Previews (``mkdocs serve``, which builds again after every edit) differ in three ways: the pages
are remade only where an edit can change them (``site.publish(remember=True)``); the ``site``
outputs (search index, data files) finish in the background once the pages are served, and the
next build waits for them; an invalid catalogue does not stop the server: the last valid one
stays served, with the validator's report in the terminal and at the top of every page. With
``--dirty``, MkDocs renders only the pages whose Markdown changed, and the hook clears the site
when the frame around every page changes (``_check_frame``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.utils import clean_directory

from aidcatalog import build, languages, outputs, preview, problems, render, search, site, siteconfig
from aidcatalog.validate import validate

log = logging.getLogger("mkdocs.hooks.catalog")


class _Build:
    """One build of every language: the checked catalogue, the outputs' run, the lock, the page frames."""

    serving = False  # set once per process by on_startup
    dirty = False    # `mkdocs serve --dirty`: MkDocs renders only the pages whose Markdown changed
    # Previews only, across the builds of one `mkdocs serve`:
    background: threading.Thread | None = None  # the last build's `site` outputs, finishing after it
    last_valid: Any = None                       # the last catalogue that validated
    frame = ""                                   # what every page's frame showed at the last build

    def __init__(self, run: outputs.Run, lock: build.BuildLock):
        self.run, self.lock = run, lock
        self.chrome: dict[str, Any] = {}
        self.bodies: dict[str, str] = {}  # generated pages' HTML, between on_page_markdown and on_page_content
        self.problems = ""  # previews of an invalid catalogue: the validator's report, shown on every page

    def close(self, *, failed: bool) -> None:
        if failed:
            outputs.abort(self.run)
        self.lock.release()


_current: list[_Build] = []


def _i18n(config: MkDocsConfig) -> tuple[str, bool]:
    """(language being built, inside the build of a language after the first?)"""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return languages.active().default, False
    return i18n.current_language, i18n.building


def _fail(exc: outputs.OutputError) -> PluginError:
    return PluginError(exc.text(languages.active().default))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Stop when mkdocs.yml's languages are not the ones catalog/site.yaml declares (siteconfig.py)."""
    message = siteconfig.stale_message(Path(config.config_file_path), languages.active().default)
    if message:
        raise PluginError(message)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    if _i18n(config)[1]:  # another language of the same build: its pages are already written
        return
    finish_background()  # previews: the last build's search index and data files, before this build starts
    _end(failed=True)  # a previous build of this process (mkdocs serve) that ended without on_post_build
    root = Path(config.config_file_path).parent
    render.TEMPLATE_CODE.keep_in(root / site.TEMPLATE_FOLDER)
    default = languages.from_site_file(root / "catalog" / "site.yaml").default
    try:
        lock = build.BuildLock(root, lang=default, notify=log.info).acquire()
    except build.BuildBusy as exc:
        raise PluginError(str(exc)) from None
    report = validate(root / "catalog", shown_from=root)
    catalogue, shown = report.catalogue, ""
    if catalogue is None:
        text = problems.render(report.problems, report.files, "text", default)
        if not (_Build.serving and _Build.last_valid is not None):
            lock.release()
            raise PluginError("\n" + text)
        # A preview keeps serving the last valid catalogue, with the validator's report in the terminal
        # and at the top of every page until the files are fixed.
        log.error("\n%s", text)
        catalogue, shown = _Build.last_valid, text
    else:
        for problem in report.problems:  # warnings: shown, without failing a --strict build
            log.info(problem.format(default))
        if _Build.serving:
            _Build.last_valid = catalogue
    run = outputs.Run(catalogue, root, Path(config.docs_dir), Path(config.site_dir), config.site_url or "",
                      preview=_Build.serving)
    current = _Build(run, lock)
    current.problems = shown
    _current.append(current)
    try:
        outputs.run_phase("sources", run)
    except outputs.OutputError as exc:
        _end(failed=True)
        raise _fail(exc) from None
    if _Build.serving and _Build.dirty:
        _check_frame(config, current)


def on_env(env: Any, config: MkDocsConfig, files: Any) -> Any:
    env.filters["d_words"] = search.d_words  # used by overrides/main.html
    # MkDocs makes a new template environment for every language of every build: the theme's
    # templates are compiled once instead, kept by a checksum of their source in this process and
    # in the project's .cache/templates (a quarter of a preview's rebuild, a fifth of a small build).
    env.bytecode_cache = render.TEMPLATE_CODE
    return env


@event_priority(100)  # before mkdocs-static-i18n (50) reads every line for admonitions: these pages have none
def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """A generated page is already HTML (site.html_body): MkDocs gets it without parsing it again."""
    current = _current[-1] if _current else None
    if current is None or page.file.src_uri not in current.run.state.get("pages", ()):
        return markdown  # a hand-written page: Markdown as usual
    body = site.html_body(markdown)
    if body is None:
        return markdown
    current.bodies[page.file.src_uri] = body
    return ""


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    current = _current[-1] if _current else None
    body = current.bodies.pop(page.file.src_uri, None) if current else None
    if body is None:
        return html
    page.present_anchor_ids = site.anchor_ids(body)  # what MkDocs would have found in it, for links to #anchors
    return body


def on_page_context(context: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    lang = _i18n(kwargs["config"])[0]
    current = _current[-1] if _current else None
    frames = current.chrome if current else {}
    if lang not in frames:  # the words and office around every page, once per language
        frames[lang] = _chrome(current, lang)
    context["ac"] = frames[lang]
    return context


def _chrome(current: _Build | None, lang: str) -> dict[str, Any]:
    frame = site.chrome(current.run.catalogue if current else None, lang)
    if current is not None and current.problems:
        frame = {**frame, "banner": escape(current.problems)}
    return frame


def _check_frame(config: MkDocsConfig, current: _Build) -> None:
    """``mkdocs serve --dirty`` renders again only the pages whose Markdown changed: when what frames
    every page changed (the office, the banner, the fonts, mkdocs.yml, the theme's templates), the
    site is cleared, so that every page is rendered again; so it is when pages were deleted (an entry
    removed or unpublished), whose HTML MkDocs would go on serving."""
    stamps = [Path(config.config_file_path).stat().st_mtime_ns]
    for folder in config.theme.dirs[:1]:  # overrides/ (the theme's own files do not change)
        stamps += sorted((str(p), p.stat().st_mtime_ns) for p in Path(folder).rglob("*") if p.is_file())
    frames = {lang: _chrome(current, lang) for lang in current.run.catalogue.languages.codes}
    current.chrome.update(frames)
    frame = hashlib.sha256(json.dumps([stamps, frames], sort_keys=True, default=str).encode()).hexdigest()
    if _Build.frame and (frame != _Build.frame or current.run.state.get("pages deleted")):
        log.info("The frame of every page changed, or pages were removed: every page is rendered again")
        clean_directory(config.site_dir)
    _Build.frame = frame


on_template_context = on_page_context  # 404.html and sitemap.xml


def on_post_page(output: str, **kwargs: Any) -> str:
    """The theme's frame, valid HTML: its menu toggles are checkboxes, which take no ``autocomplete``."""
    return site.frame_fixes(output)


def on_post_template(output_content: str, **kwargs: Any) -> str:  # 404.html
    return site.frame_fixes(output_content)


@event_priority(-90)  # before mkdocs-static-i18n (-100) starts building the next language
def _language_done(config: MkDocsConfig) -> None:
    if not _current:
        return
    run = _current[-1].run
    run.lang = _i18n(config)[0]
    try:
        outputs.run_phase("language", run)
    except outputs.OutputError as exc:
        _end(failed=True)
        raise _fail(exc) from None


@event_priority(-150)  # after every language is built
def _site_done(config: MkDocsConfig) -> None:
    if _i18n(config)[1] or not _current:
        return
    if _Build.serving:
        # A preview shows the pages as soon as they are built: the search index and the data files
        # are finished meanwhile, and the next build waits for them (finish_background).
        current = _current.pop()
        _Build.background = threading.Thread(target=_site_outputs, args=(current,), name="aidcatalog-site", daemon=True)
        _Build.background.start()
        return
    try:
        outputs.run_phase("site", _current[-1].run)
    except outputs.OutputError as exc:
        _end(failed=True)
        raise _fail(exc) from None
    for code, count in languages.untranslated_interface().items():  # said once a build, never silently
        log.info("%s: %d interface words shown in the fallback language (no catalogue in aidcatalog/locale/%s)",
                 code, count, code)
    _end(failed=False)


on_post_build = CombinedEvent(_language_done, _site_done)


def _end(*, failed: bool) -> None:
    while _current:
        _current.pop().close(failed=failed)


def _site_outputs(current: _Build) -> None:
    """In the background of a preview: the ``site`` outputs of a build whose pages are served already."""
    failed, started = True, time.perf_counter()
    try:
        outputs.run_phase("site", current.run)
        failed = False
        log.info("Search index and data files updated (%.1f s after the pages)", time.perf_counter() - started)
    except outputs.OutputError as exc:
        log.error("%s", _fail(exc))
    except Exception:  # pragma: no cover - shown, and the preview goes on
        log.exception("aidcatalog: the site's outputs failed")
    finally:
        current.close(failed=failed)


def finish_background() -> None:
    """Wait for the ``site`` outputs a preview's last build left running (search index, data files)."""
    thread, _Build.background = _Build.background, None
    if thread is not None:
        thread.join()


def on_startup(command: str, dirty: bool) -> None:
    _Build.serving = command == "serve"
    _Build.dirty = dirty
    if _Build.serving and not dirty:
        log.info("mkdocs serve renders every page again after each edit; `mkdocs serve --dirty` only the pages "
                 "that changed (README, Performance)")


def on_shutdown() -> None:
    finish_background()


def on_build_error(error: Exception) -> None:
    _end(failed=True)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    preview.watch_hand_written(server, Path(config.docs_dir), Path(config.config_file_path).parent)
    return server

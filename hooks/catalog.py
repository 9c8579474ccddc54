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
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from aidcatalog import build, languages, outputs, preview, problems, search, site, siteconfig
from aidcatalog.validate import validate

log = logging.getLogger("mkdocs.hooks.catalog")


class _Build:
    """One build of every language: the checked catalogue, the outputs' run, the lock, the page frames."""

    serving = False  # set once per process by on_startup

    def __init__(self, run: outputs.Run, lock: build.BuildLock):
        self.run, self.lock = run, lock
        self.chrome: dict[str, Any] = {}

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
    _end(failed=True)  # a previous build of this process (mkdocs serve) that ended without on_post_build
    root = Path(config.config_file_path).parent
    default = languages.from_site_file(root / "catalog" / "site.yaml").default
    try:
        lock = build.BuildLock(root, lang=default, notify=log.info).acquire()
    except build.BuildBusy as exc:
        raise PluginError(str(exc)) from None
    report = validate(root / "catalog", shown_from=root)
    if report.catalogue is None:
        lock.release()
        raise PluginError("\n" + problems.render(report.problems, report.files, "text", default))
    for problem in report.problems:  # warnings: shown, without failing a --strict build
        log.info(problem.format(default))
    run = outputs.Run(report.catalogue, root, Path(config.docs_dir), Path(config.site_dir), config.site_url or "",
                      preview=_Build.serving)
    _current.append(_Build(run, lock))
    try:
        outputs.run_phase("sources", run)
    except outputs.OutputError as exc:
        _end(failed=True)
        raise _fail(exc) from None


def on_env(env: Any, config: MkDocsConfig, files: Any) -> Any:
    env.filters["d_words"] = search.d_words  # used by overrides/main.html
    return env


def on_page_context(context: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    lang = _i18n(kwargs["config"])[0]
    current = _current[-1] if _current else None
    frames = current.chrome if current else {}
    if lang not in frames:  # the words and office around every page, once per language
        frames[lang] = site.chrome(current.run.catalogue if current else None, lang)
    context["ac"] = frames[lang]
    return context


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


def on_startup(command: str, dirty: bool) -> None:
    _Build.serving = command == "serve"


def on_build_error(error: Exception) -> None:
    _end(failed=True)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    preview.watch_hand_written(server, Path(config.docs_dir), Path(config.config_file_path).parent)
    return server

"""MkDocs hooks: hand the checked catalogue to MkDocs; the work is done in the aidcatalog package.

mkdocs-static-i18n runs one complete build per language (shared notes, stack-facts.md): both
languages' pages are written once, before the first build collects its files, touching only
files whose content changed; each language is indexed for search as soon as it is built.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from aidcatalog import pdf, preview, problems, search, site
from aidcatalog.validate import validate

log = logging.getLogger("mkdocs.hooks.catalog")
_state: dict[str, Any] = {}
_serving: list[bool] = [False]  # set once per process by on_startup; _state is cleared per build


def _languages(config: MkDocsConfig) -> tuple[str, str, list[str], bool]:
    """(language being built, default language, all languages, inside a nested build?)"""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return site.DEFAULT_LANGUAGE, site.DEFAULT_LANGUAGE, [site.DEFAULT_LANGUAGE], False
    return i18n.current_language, i18n.default_language, i18n.build_languages, i18n.building


def on_pre_build(config: MkDocsConfig) -> None:
    _, default, _, nested = _languages(config)
    if nested:  # another language of the same build: its pages are already written
        return
    root = Path(config.config_file_path).parent
    report = validate(root / "catalog", shown_from=root)
    if report.catalogue is None:
        raise PluginError("\n" + problems.render(report.problems, report.files, "text", default))
    for problem in report.problems:  # warnings: shown, without failing a --strict build
        log.info(problem.format(default))
    _state.clear()
    _state["catalogue"] = report.catalogue
    changes = site.publish(report.catalogue, Path(config.docs_dir))
    log.info("catalogue: %d files written, %d deleted, %d unchanged", len(changes.written), len(changes.deleted),
             changes.kept)


def on_env(env: Any, config: MkDocsConfig, files: Any) -> Any:
    env.filters["d_words"] = search.d_words  # used by overrides/main.html
    return env


def on_page_context(context: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    lang = _languages(kwargs["config"])[0]
    if lang not in _state:  # the words and office around every page, once per language
        _state[lang] = site.chrome(_state.get("catalogue"), lang)
    context["ac"] = _state[lang]
    return context


on_template_context = on_page_context  # 404.html and sitemap.xml


@event_priority(-90)  # before mkdocs-static-i18n (-100) starts building the next language
def _index_language(config: MkDocsConfig) -> None:
    lang, default, languages, _ = _languages(config)
    others = [x for x in languages if x != default]
    _state.setdefault("search", []).append(search.start(Path(config.site_dir), lang, default, others))


@event_priority(-150)  # after every language is built
def _finish_index(config: MkDocsConfig) -> None:
    if not _languages(config)[3]:
        try:
            log.info("search index: %s", search.finish(_state.pop("search", [])))
        except search.SearchError as exc:
            raise PluginError(str(exc)) from None


@event_priority(-160)  # after every language is built: the PDFs are the same for the whole site
def _pdfs(config: MkDocsConfig) -> None:
    if _languages(config)[3] or _serving[0] or os.environ.get("AIDCATALOG_PDF") == "0":
        return  # previews skip the PDFs (seconds per edit); AIDCATALOG_PDF=0 skips them anywhere
    root = Path(config.config_file_path).parent
    try:
        stats = pdf.build_site_pdfs(_state["catalogue"], Path(config.site_dir), root, config.site_url)
    except Exception as exc:  # a PDF that cannot be made fails the build, with its reason
        raise PluginError(f"PDF: {exc}") from None
    log.info("PDFs: %d rendered, %d from the cache (%.1f s)", len(stats.rendered), stats.reused, stats.seconds)


on_post_build = CombinedEvent(_index_language, _finish_index, _pdfs)


def on_startup(command: str, dirty: bool) -> None:
    _serving[0] = command == "serve"


def on_build_error(error: Exception) -> None:
    search.stop(_state.pop("search", []))


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    preview.watch_hand_written(server, Path(config.docs_dir), Path(config.config_file_path).parent)
    return server

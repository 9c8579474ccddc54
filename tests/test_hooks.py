"""The MkDocs hook's own decisions, without a whole build: when the PDFs are made, generated pages
handed to MkDocs as the HTML they are, and previews (the search index finished after the pages, the
last valid catalogue kept served, a dirty preview's frame).

The hook runs the outputs registry (aidcatalog.outputs); these tests give it a build in progress
(a catalogue stand-in, the lock) and call its steps directly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from catalog_helpers import CATALOG, copy_catalog

from aidcatalog import build, outputs, pdf

HOOK = Path(__file__).resolve().parent.parent / "hooks" / "catalog.py"


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    spec = importlib.util.spec_from_file_location("catalog_hook_under_test", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls: list[tuple] = []
    monkeypatch.setattr(pdf, "build_site_pdfs", lambda *args: calls.append(args) or pdf.BuildStats())
    monkeypatch.delenv("AIDCATALOG_PDF", raising=False)
    monkeypatch.delenv(outputs.SKIP_ENV, raising=False)
    for name in outputs.names():  # the built-in outputs, registered; only the PDFs are under test here
        if name != "pdf":
            monkeypatch.setitem(outputs.REGISTRY, name, outputs.Output(name, "not under test", {}))
    config = SimpleNamespace(plugins={}, config_file_path=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"),
                             site_url="https://aid.example.org/")

    def begin() -> None:
        """What on_pre_build leaves behind: a build in progress, with its catalogue and lock."""
        catalogue = SimpleNamespace(site=SimpleNamespace(site_url=None))  # a stand-in: only its address is read
        run = outputs.Run(catalogue, tmp_path, tmp_path / "content", Path(config.site_dir), config.site_url,
                          preview=module._Build.serving)
        module._current.append(module._Build(run, build.BuildLock(tmp_path).acquire()))

    config.begin = begin
    return module, config, calls


def test_a_build_makes_the_pdfs(hook):
    module, config, calls = hook
    module.on_startup(command="build", dirty=False)
    config.begin()
    module._site_done(config)
    assert len(calls) == 1
    assert calls[0][1:] == (Path(config.site_dir), Path(config.config_file_path).parent, "https://aid.example.org/")


def test_a_preview_skips_them(hook):
    module, config, calls = hook
    module.on_startup(command="serve", dirty=False)
    config.begin()
    module._site_done(config)
    assert calls == []


def test_aidcatalog_pdf_0_skips_them_anywhere(hook, monkeypatch: pytest.MonkeyPatch):
    module, config, calls = hook
    monkeypatch.setenv("AIDCATALOG_PDF", "0")
    module.on_startup(command="build", dirty=False)
    config.begin()
    module._site_done(config)
    assert calls == []


def test_a_failing_pdf_stops_the_build_with_its_reason(hook, monkeypatch: pytest.MonkeyPatch):
    from mkdocs.exceptions import PluginError

    module, config, _ = hook

    def broken(*args):
        raise RuntimeError("the font file is unreadable")

    monkeypatch.setattr(pdf, "build_site_pdfs", broken)
    module.on_startup(command="build", dirty=False)
    config.begin()
    with pytest.raises(PluginError, match=r"^PDF: the font file is unreadable$"):
        module._site_done(config)


# --- previews (mkdocs serve) and the generated pages ------------------------------------------------


def _page(src_uri: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), present_anchor_ids=None)


def test_generated_pages_reach_mkdocs_as_the_html_they_are(hook):
    """MkDocs' Markdown is skipped for the generated pages (one block of HTML), not for hand-written ones."""
    module, config, _ = hook
    module.on_startup(command="build", dirty=False)
    config.begin()
    module._current[-1].run.state["pages"] = {"needs/x.md"}
    body = '<div class="ac-page" id="top"><h2 id="context-h">Context</h2><a name="old">x</a></div>'
    generated, written = _page("needs/x.md"), _page("about.md")
    assert module.on_page_markdown(f"\n{body}\n", page=generated, config=config, files=None) == ""
    assert module.on_page_markdown("# About\n", page=written, config=config, files=None) == "# About\n"
    assert module.on_page_content("", page=generated, config=config, files=None) == body
    assert generated.present_anchor_ids == {"top", "context-h", "old"}
    assert module.on_page_content("<h1>About</h1>", page=written, config=config, files=None) == "<h1>About</h1>"
    assert written.present_anchor_ids is None
    module._end(failed=False)


def test_a_preview_shows_the_pages_before_the_search_index_and_data_are_done(hook, monkeypatch: pytest.MonkeyPatch):
    """In `mkdocs serve` the site outputs finish after the build returns; the next build waits for them."""
    import threading

    module, config, _ = hook
    started, release, done = threading.Event(), threading.Event(), []

    def slow(run):
        started.set()
        release.wait(10)
        done.append(run)

    monkeypatch.setitem(outputs.REGISTRY, "search", outputs.Output("search", "slow", {"site": slow}))
    module.on_startup(command="serve", dirty=False)
    config.begin()
    lock = module._current[-1].lock
    module._site_done(config)  # returns while the index is still being made
    assert started.wait(10) and done == [] and not module._current
    release.set()
    module.finish_background()
    assert len(done) == 1 and not lock._taken  # done, and the build lock released by the background


def _project_with_catalogue(tmp_path: Path) -> Path:
    copy_catalog(tmp_path)
    (tmp_path / "content").mkdir()
    return tmp_path


def test_a_preview_keeps_serving_the_last_valid_catalogue_and_shows_the_problem(hook, tmp_path: Path, caplog):
    """An invalid edit during `mkdocs serve`: the validator's message in the terminal and on every page,
    the pages of the last valid catalogue still served; a build (`mkdocs build`) still stops."""
    import logging

    from mkdocs.exceptions import PluginError

    module, config, _ = hook
    project = _project_with_catalogue(tmp_path)
    config.docs_dir = str(project / "content")
    module.on_startup(command="serve", dirty=False)
    module.on_pre_build(config)
    valid = module._current[-1].run.catalogue
    module._end(failed=False)
    need = sorted((project / "catalog" / "needs").rglob("*.yaml"))[0]
    need.write_text(need.read_text(encoding="utf-8").replace("\nstatus:", "\nstatuss:", 1), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="mkdocs.hooks.catalog"):
        module.on_pre_build(config)  # no PluginError: the preview goes on
    current = module._current[-1]
    assert current.run.catalogue is valid
    assert "statuss" in caplog.text and "statuss" in current.problems
    banner = module._chrome(current, valid.languages.default.code)["banner"]
    assert "statuss" in banner and need.name in banner
    module._end(failed=False)
    module.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError, match="statuss"):
        module.on_pre_build(config)


def test_a_dirty_preview_renders_every_page_again_when_their_frame_changes(hook, tmp_path: Path):
    """`mkdocs serve --dirty` renders only pages whose Markdown changed: when the frame around every page
    changes (here the theme's templates; also site.yaml's office or banner, the fonts, mkdocs.yml), the
    hook clears the site so that MkDocs renders them all."""
    from aidcatalog.validate import validate

    module, config, _ = hook
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    config.theme = SimpleNamespace(dirs=[str(overrides), str(tmp_path / "theme")])
    site_dir = Path(config.site_dir)
    catalogue = validate(CATALOG).catalogue
    module.on_startup(command="serve", dirty=True)

    def rebuild(deleted: tuple[str, ...] = ()) -> None:
        current = module._Build(outputs.Run(catalogue, tmp_path, tmp_path / "content", site_dir, config.site_url,
                                            preview=True), build.BuildLock(tmp_path))
        current.run.state["pages deleted"] = list(deleted)
        module._check_frame(config, current)

    rebuild()
    site_dir.mkdir()
    (site_dir / "index.html").write_text("built", encoding="utf-8")
    rebuild()
    assert (site_dir / "index.html").is_file()  # nothing around the pages changed: the pages stay
    (overrides / "main.html").write_text("{% extends 'base.html' %}\n{# changed #}\n", encoding="utf-8")
    rebuild()
    assert not any(site_dir.iterdir())
    (site_dir / "needs" / "gone").mkdir(parents=True)
    rebuild(deleted=("needs/gone.md",))  # an entry removed: MkDocs would go on serving its old page
    assert not any(site_dir.iterdir())

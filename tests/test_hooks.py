"""The MkDocs hook's own decisions, without a whole build: when the PDFs are made.

The hook runs the outputs registry (aidcatalog.outputs); these tests give it a build in progress
(a catalogue stand-in, the lock) and call its after-the-last-language step directly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

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

"""Shared fixtures. The site tests build real sites (mkdocs + our hook) in temporary folders.

Builds are what makes this suite slow, above all their PDFs (WeasyPrint: ~0.5 s a document), so
the work is shared:

- ``example_build``: the example catalogue, built once per run with ``aidcatalog build`` (by
  whichever test process asks first; the others read what it recorded); every test that reads the
  example site reads this one.
- ``pdf_cache``: one PDF cache for every build of the example catalogue whose test is not about
  the cache (it is the project's ``.cache/pdf``, linked): a second build of the same sources
  renders no PDF again. The PDFs of the example catalogue are rendered once per run.
- ``small_build``: the small catalogue (3 needs, 1 model project), built once per run with an
  empty PDF cache, for the tests of the build's mechanisms (atomic replacement, hostile text,
  reproducibility). ``small_pdf_cache`` is its cache, shared by the builds derived from it.

The PDF tests that are about the cache (tests/test_pdf.py) give each build a cache of its own.
Every copy of the project shares the run's web-font subsets and compiled templates
(``shared_caches``), except the cold build of tests/test_build.py, which shows that they change
no byte of a site. Other session fixtures (a module's ``briefs``, ``example_catalogue``…) are
made once per test process.

Prerequisites outside Python (Node, make, git…): ``site_helpers.require(tool, how)`` skips the
test on a laptop but fails it under ``CI=true``.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import site_helpers
from site_helpers import Build, cli_build, copy_site_project, copy_small_project, mark_internal


def _shared(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder for ``name`` that every test process of this run shares (pytest-xdist's workers)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the workers' temporary folders share this parent
    folder = base / name
    folder.mkdir(exist_ok=True)
    return folder


def _shared_build(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Build:
    """A build made once per run (``make`` copies a project into the folder given) and read by every worker.

    The first worker builds while holding a lock; the others wait on the lock, then read what it
    recorded (the project's path and the build's exit code and output).
    """
    folder = _shared(factory, name)
    record = folder / "build.json"
    with open(folder.parent / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():
            project = make(folder / "project")
            result = cli_build(project)
            record.write_text(json.dumps({"project": str(project), "args": result.args, "returncode": result.returncode,
                                          "stdout": result.stdout, "stderr": result.stderr}), encoding="utf-8")
        done = json.loads(record.read_text(encoding="utf-8"))
    result = subprocess.CompletedProcess(done["args"], done["returncode"], done["stdout"], done["stderr"])
    return Build(Path(done["project"]), result)


@pytest.fixture(scope="session", autouse=True)
def shared_caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web fonts and compiled templates every copy of the project shares (``site_helpers.SHARED_CACHES``)."""
    site_helpers.SHARED_CACHES = _shared(tmp_path_factory, "tool-caches")
    return site_helpers.SHARED_CACHES


@pytest.fixture(scope="session")
def pdf_cache(tmp_path_factory: pytest.TempPathFactory):
    """The PDF cache shared by the builds of the example catalogue (by every worker)."""
    return _shared(tmp_path_factory, "pdf-cache")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory, pdf_cache) -> Build:
    """The example catalogue built once, both languages and PDFs, with SITE_URL set.

    Its internal records (funding, contacts, notes) carry markers (``mark_internal``), so that
    tests/test_funding.py can show that none of them reaches any file of this very site.
    """
    def make(folder: Path) -> Path:
        project = copy_site_project(folder, pdf_cache)
        mark_internal(project / "catalog")
        return project

    build = _shared_build(tmp_path_factory, "example", make)
    assert build.result.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def example_catalogue(example_build: Build):
    """The example build's catalogue, validated once per test process."""
    from aidcatalog.validate import validate

    report = validate(example_build.project / "catalog")
    assert report.catalogue is not None, [p.format() for p in report.problems]
    return report.catalogue


@pytest.fixture(scope="session")
def small_pdf_cache(tmp_path_factory: pytest.TempPathFactory):
    """The PDF cache of ``small_build``, shared by the builds derived from the small catalogue."""
    return _shared(tmp_path_factory, "small-pdf-cache")


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory, small_pdf_cache) -> Build:
    """The small catalogue built once with an empty PDF cache: every PDF rendered here."""
    build = _shared_build(tmp_path_factory, "small", lambda folder: copy_small_project(folder, small_pdf_cache))
    assert build.result.returncode == 0, build.output
    return build

"""Shared fixtures. The site tests build real sites (mkdocs + our hook) in temporary folders.

Builds are what makes this suite slow, above all their PDFs (WeasyPrint: ~0.5 s a document), so
the work is shared:

- ``example_build``: the example catalogue, built once per session with ``aidcatalog build``;
  every test that reads the example site reads this one.
- ``pdf_cache``: one PDF cache for every build of the example catalogue whose test is not about
  the cache (it is the project's ``.cache/pdf``, linked): a second build of the same sources
  renders no PDF again. The PDFs of the example catalogue are rendered once per session.
- ``small_build``: the small catalogue (3 needs, 1 model project), built once per session, cold,
  for the tests of the build's mechanisms (atomic replacement, hostile text, reproducibility).
  ``small_pdf_cache`` is its cache, shared by the builds derived from it.

The PDF tests that are about the cache (tests/test_pdf.py) give each build a cache of its own.

Prerequisites outside Python (Node, make, git…): ``site_helpers.require(tool, how)`` skips the
test on a laptop but fails it under ``CI=true``.
"""

from __future__ import annotations

import pytest
from site_helpers import Build, cli_build, copy_site_project, copy_small_project


@pytest.fixture(scope="session")
def pdf_cache(tmp_path_factory: pytest.TempPathFactory):
    """The PDF cache shared by the builds of the example catalogue."""
    return tmp_path_factory.mktemp("pdf-cache")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory, pdf_cache) -> Build:
    """The example catalogue built once per session, both languages and PDFs, with SITE_URL set."""
    project = copy_site_project(tmp_path_factory.mktemp("example"), pdf_cache)
    build = Build(project, cli_build(project))
    assert build.result.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def small_pdf_cache(tmp_path_factory: pytest.TempPathFactory):
    """The PDF cache of ``small_build``, shared by the builds derived from the small catalogue."""
    return tmp_path_factory.mktemp("small-pdf-cache")


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory, small_pdf_cache) -> Build:
    """The small catalogue built once per session with an empty PDF cache: every PDF rendered here."""
    project = copy_small_project(tmp_path_factory.mktemp("small"), small_pdf_cache)
    build = Build(project, cli_build(project))
    assert build.result.returncode == 0, build.output
    return build

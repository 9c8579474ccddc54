"""Shared fixtures. The site tests build real sites (mkdocs + our hook) in temporary folders."""

from __future__ import annotations

import pytest
from site_helpers import Build, copy_site_project, mkdocs_build


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The example catalogue built once per session, both languages, with SITE_URL set."""
    build = mkdocs_build(copy_site_project(tmp_path_factory.mktemp("example")))
    assert build.result.returncode == 0, build.output
    return build

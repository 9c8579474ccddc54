"""Helpers for the site tests: copy the site project to a temporary folder and build it there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_PARTS = ("mkdocs.yml", "content", "hooks", "overrides", "catalog")
SITE_URL = "https://aid.example.org/"


@dataclass
class Build:
    project: Path
    result: subprocess.CompletedProcess[str]

    @property
    def site(self) -> Path:
        return self.project / "site"

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def copy_site_project(dest: Path) -> Path:
    """The repository's site project (config, pages, hooks, theme, catalogue), without generated files."""
    manifest = REPO / "content" / ".generated.json"
    generated = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    content = REPO / "content"

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        skip = {n for n in names if n in ("__pycache__", ".generated.json")}
        if here.is_relative_to(content):
            rel = here.relative_to(content)
            skip |= {n for n in names if (rel / n).as_posix() in generated}
        return skip

    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy(src, dest / part)
    return dest


def mkdocs_build(project: Path) -> Build:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    return Build(project, result)

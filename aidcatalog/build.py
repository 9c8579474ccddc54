"""An atomic, reproducible site build: the whole new site, or the old one untouched.

MkDocs writes pages into ``site_dir`` as it goes, so a build that fails half-way (an invalid
catalogue, a template error, a PDF that cannot be made) would leave a half-written site. Here
MkDocs builds into a staging folder beside it; only a build that finished replaces ``site/``,
in two renames.

Dates written into the output (sitemap, PDF metadata) come from ``SOURCE_DATE_EPOCH``: when it
is not set, the time of the last git commit, else the newest ``last_reviewed`` of the catalogue,
so two builds of the same commit are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger("aidcatalog.build")


def source_date_epoch(project: Path) -> int:
    """The moment the output claims to be from (seconds since 1970, UTC)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True,
                             check=True, timeout=10).stdout.strip()
        if out.isdigit():
            return int(out)
    except (OSError, subprocess.SubprocessError):
        pass
    newest = dt.date(2025, 7, 1)
    for path in (project / "catalog").rglob("*.y*ml"):
        try:
            for found in re.findall(r"^last_reviewed:\s*(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M):
                newest = max(newest, dt.date.fromisoformat(found))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool = True) -> bool:
    """Build into a staging folder and swap it in. True on success; on failure ``site_dir`` is untouched."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    project = config_file.resolve().parent
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(project))
    target = (site_dir or _configured_site_dir(config_file)).resolve()
    staging = target.with_name(f".{target.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        message = str(exc).strip()
        if message:
            log.error(message)
        return False
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def _configured_site_dir(config_file: Path) -> Path:
    import yaml

    class _Loose(yaml.SafeLoader):
        """mkdocs.yml may hold !ENV and !!python/name tags: read past them, we only want site_dir."""

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loose)
    name = (data or {}).get("site_dir") or "site"
    return config_file.resolve().parent / name

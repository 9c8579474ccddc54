"""`mkdocs serve`: rebuild once per edit, although each build writes the generated pages.

MkDocs watches the whole docs folder. The catalogue hook writes the generated pages into it at
the start of every build (only those whose content changed), so without help one edit of a YAML
file gives two builds: the one the edit asked for, and one more for the pages that build wrote.

:func:`watch_hand_written` replaces MkDocs' watch of the docs folder by one that ignores the
generated files (listed in the manifest :data:`aidcatalog.site.MANIFEST`). A change to any other
file there (a hand-written page, the stylesheet) touches a trigger file in a folder MkDocs does
watch, so the rebuild goes through MkDocs' own public ``watch`` machinery.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .site import MANIFEST

log = logging.getLogger("mkdocs.hooks.catalog")
TRIGGER = Path(".cache") / "aidcatalog-serve" / "changed"


class Generated:
    """Whether a path under the docs folder is, or was during this session, written by the generator.

    Paths stay known after they leave the manifest: the deletion of a removed entry's page is
    seen by the watcher after the manifest that no longer lists it.
    """

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir.resolve()
        self._stamp: float | None = None
        self._paths: set[str] = set()

    def __call__(self, path: str) -> bool:
        try:
            rel = Path(path).resolve().relative_to(self.docs_dir).as_posix()
        except ValueError:
            return False
        return rel == MANIFEST or rel in self.refresh()

    def refresh(self) -> set[str]:
        manifest = self.docs_dir / MANIFEST
        try:
            stamp = manifest.stat().st_mtime
            if stamp != self._stamp:
                self._paths |= set(json.loads(manifest.read_text(encoding="utf-8")))
                self._stamp = stamp
        except (OSError, ValueError):
            self._stamp = None
        return self._paths


class _HandWritten(FileSystemEventHandler):
    def __init__(self, generated: Callable[[str], bool], poke: Callable[[], None]):
        self.generated, self.poke = generated, poke

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed", "closed_no_write"):
            return
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if any(not self.generated(p) for p in paths):
            log.debug("hand-written file changed: %s", event)
            self.poke()


def watch_hand_written(server: Any, docs_dir: Path, project: Path) -> None:
    """On MkDocs' LiveReloadServer (``on_serve``): watch ``docs_dir`` but not its generated files."""
    trigger = project / TRIGGER
    trigger.parent.mkdir(parents=True, exist_ok=True)
    trigger.touch()
    generated = Generated(docs_dir)
    generated.refresh()  # read the manifest now, before a build replaces it
    server.unwatch(str(docs_dir))
    server.watch(str(trigger.parent))
    server.observer.schedule(_HandWritten(generated, trigger.touch), str(docs_dir), recursive=True)

"""Keep the gettext catalogues in step with the program's messages.

    python scripts/messages.py          # add new messages to every catalogue, drop removed ones
    python scripts/messages.py --check  # exit 1 when a catalogue is out of step (a test runs this)
    python scripts/messages.py --add new.json   # new interface words with their translations, in one step

``new.json`` maps a key to its English text and its translations:
``{"report.title": ["Report {year}", {"vi": "Báo cáo năm {year}"}]}``. The words are appended to
``LABELS`` in aidcatalog/labels.py, the catalogues brought in step and the translations filled in,
under a lock, so that several people (or scripts) adding words at once lose none.

The program's words are written in English in two tables: interface words in
``aidcatalog/labels.py`` (``LABELS``) and validator messages in ``aidcatalog/problems.py``
(``MESSAGES``). Each becomes a gettext message whose ``msgctxt`` is its key and whose ``msgid``
is the English text; every catalogue under ``aidcatalog/locale/<code>/LC_MESSAGES/`` holds the
translations. A new or changed English text arrives with an empty translation, to be filled in;
translations already made are kept.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aidcatalog import languages  # noqa: E402
from aidcatalog.messages import source_messages  # noqa: E402


def updated(code: str) -> tuple[bytes, bytes]:
    """(the catalogue's bytes now, what they should be)."""
    path = languages.po_path(code)
    old = path.read_bytes() if path.is_file() else b""
    known: dict[tuple[str, str], str] = {}
    if old:
        for message in read_po(io.BytesIO(old)):
            if message.id:
                known[(message.context or "", message.id)] = message.string
    catalog = Catalog(locale=code, project="aidcatalog", domain=languages.DOMAIN, fuzzy=False,
                      copyright_holder="", msgid_bugs_address="", last_translator="", language_team="")
    for key, english in source_messages():
        catalog.add(english, known.get((key, english), ""), context=key)
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False, no_location=True)
    return old, _clean(out.getvalue())


def add(path: Path) -> None:
    """Append new words to LABELS and fill their translations (see the module's docstring)."""
    import fcntl
    import json
    import re
    import textwrap

    wanted = json.loads(path.read_text(encoding="utf-8"))
    labels = ROOT / "aidcatalog" / "labels.py"
    lock = ROOT / ".cache" / "messages.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        text = labels.read_text(encoding="utf-8")
        end = text.rindex("\n}\n")
        lines = []
        for key, (english, _) in wanted.items():
            if re.search(rf"^    {re.escape(json.dumps(key))}:", text, re.M):
                continue
            entry = f"    {json.dumps(key, ensure_ascii=False)}: {json.dumps(english, ensure_ascii=False)},"
            if len(entry) > 128:
                parts = textwrap.wrap(english, 100, drop_whitespace=False)
                entry = "\n".join([f"    {json.dumps(key, ensure_ascii=False)}: (",
                                    *(f"        {json.dumps(p, ensure_ascii=False)}" for p in parts), "    ),"])
            lines.append(entry)
        if lines:
            labels.write_text(text[:end] + "\n" + "\n".join(lines) + text[end:], encoding="utf-8")
        import importlib

        import aidcatalog.labels

        importlib.reload(aidcatalog.labels)
        for code in sorted(p.name for p in languages.LOCALE_DIR.iterdir() if p.is_dir()):
            _, new = updated(code)
            catalog = read_po(io.BytesIO(new))
            for message in catalog:
                if message.context in wanted and code in wanted[message.context][1]:
                    message.string = wanted[message.context][1][code]
            out = io.BytesIO()
            write_po(out, catalog, width=0, omit_header=False, sort_output=False, no_location=True)
            languages.po_path(code).write_bytes(_clean(out.getvalue()))
        languages._catalogue.cache_clear()


def _clean(data: bytes) -> bytes:
    drop = (b'"POT-Creation-Date', b'"PO-Revision-Date', b"# Copyright", b"# FIRST AUTHOR", b'"Report-Msgid-Bugs-To',
            b'"Last-Translator', b'"Generated-By')
    return b"\n".join(ln for ln in data.split(b"\n") if not ln.startswith(drop))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the catalogues are current")
    parser.add_argument("--add", type=Path, metavar="JSON", help="add words with their translations (see above)")
    args = parser.parse_args(argv)
    if args.add:
        add(args.add)
    codes = sorted(p.name for p in languages.LOCALE_DIR.iterdir() if p.is_dir())
    stale = []
    for code in codes:
        old, new = updated(code)
        if old != new:
            stale.append(code)
            if not args.check:
                path = languages.po_path(code)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(new)
    if args.check and stale:
        print(f"out of step: {', '.join(stale)}; run python scripts/messages.py", file=sys.stderr)
        return 1
    print(f"{len(codes)} catalogue(s) {'checked' if args.check else 'updated'}; {len(stale)} changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

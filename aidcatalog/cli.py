"""The ``aidcatalog`` command: argument parsing and output only; the work is done elsewhere."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, languages
from .cliargs import DEFAULT_CATALOG, EXIT_INVALID, EXIT_OK, EXIT_USAGE, common
from .problems import render
from .validate import validate


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that, no traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _lang(args: argparse.Namespace, catalog: Path) -> str:
    """The language of messages: ``--lang``, else the catalogue's default (its first declared language)."""
    declared = languages.from_site_file(Path(catalog) / "site.yaml")
    languages.use(declared)
    wanted = getattr(args, "lang", None)
    if wanted:
        if wanted not in declared:
            raise _UnknownLanguage(wanted, declared.codes)
        return declared.get(wanted)
    return declared.default


class _UnknownLanguage(Exception):
    def __init__(self, code: str, declared: tuple[str, ...]):
        super().__init__(f"--lang {code}: not a language of this catalogue (declared in site.yaml: {', '.join(declared)})")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aidcatalog", description="Check, report on and publish the aid-calling catalogue.")
    parser.add_argument("--version", action="version", version=f"aidcatalog {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check every file; exit 0 when clean, 1 when invalid")
    common(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text for people, json for tools, github for pull-request annotations")
    p.set_defaults(func=cmd_validate)

    from . import commands, exportcli, formcli, pdfcli, reportcli

    commands.register(sub, common)
    pdfcli.register(sub, common)
    exportcli.register(sub, common)
    formcli.register(sub, common)
    reportcli.register(sub, common)
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    report = validate(args.catalog)
    lang = _lang(args, args.catalog)
    print(render(report.problems, report.files, args.format, lang))
    return EXIT_OK if report.ok else EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.lang_resolved = _lang(args, getattr(args, "catalog", DEFAULT_CATALOG))
    except _UnknownLanguage as exc:
        parser.error(str(exc))
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - output piped to `head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The ``aidcatalog`` command: argument parsing and output only; the work is done elsewhere."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .problems import Lang, render
from .validate import validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
DEFAULT_CATALOG = Path("catalog")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that, no traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _lang(args: argparse.Namespace, catalog: Path) -> Lang:
    if getattr(args, "lang", None):
        return args.lang
    try:  # the catalogue's own default language, read cheaply and without trusting it
        for line in (catalog / "site.yaml").read_text(encoding="utf-8").splitlines():
            if line.startswith("default_language:"):
                value = line.split(":", 1)[1].strip().strip("'\"")
                if value in ("vi", "en"):
                    return value  # type: ignore[return-value]
    except (OSError, UnicodeDecodeError):
        pass
    return "vi"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aidcatalog", description="Check, report on and publish the aid-calling catalogue.")
    parser.add_argument("--version", action="version", version=f"aidcatalog {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("catalog", nargs="?", type=Path, default=DEFAULT_CATALOG,
                       help="the catalogue folder (default: catalog)")
        p.add_argument("--lang", choices=("vi", "en"), help="language of messages (default: the catalogue's)")

    p = sub.add_parser("validate", help="check every file; exit 0 when clean, 1 when invalid")
    common(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text for people, json for tools, github for pull-request annotations")
    p.set_defaults(func=cmd_validate)

    from . import commands

    commands.register(sub, common)
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    report = validate(args.catalog)
    lang = _lang(args, args.catalog)
    print(render(report.problems, report.files, args.format, lang))
    return EXIT_OK if report.ok else EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.lang_resolved = _lang(args, getattr(args, "catalog", DEFAULT_CATALOG))
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - output piped to `head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""What every command shares: exit codes, the catalogue and --lang options, loading the catalogue.

One place for each, so ``cli``, ``commands`` and ``pdfcli`` agree without importing each other.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalogue import Catalogue
from .problems import render
from .validate import validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
"""0: done, or no problems; 1: the catalogue (or the result) is not right; 2: the command was mistyped."""
DEFAULT_CATALOG = Path("catalog")


def add_catalog(p: argparse.ArgumentParser) -> None:
    p.add_argument("catalog", nargs="?", type=Path, default=DEFAULT_CATALOG, help="the catalogue folder (default: catalog)")


def add_lang(p: argparse.ArgumentParser, *, shown: bool = True,
             help: str = "language of messages: a code declared in site.yaml (default: the catalogue's first)") -> None:
    """``--lang CODE``: checked against the catalogue's declared languages once arguments are parsed."""
    p.add_argument("--lang", metavar="CODE", help=help if shown else argparse.SUPPRESS)


def common(p: argparse.ArgumentParser) -> None:
    add_catalog(p)
    add_lang(p)


def load_or_report(args: argparse.Namespace) -> Catalogue | None:
    """The validated catalogue, or None after printing its problems in the staff's language."""
    report = validate(args.catalog)
    if report.catalogue is None:
        print(render(report.problems, report.files, "text", args.lang_resolved), file=sys.stderr)
    return report.catalogue


def fail(command: str, message: str, code: int) -> int:
    """Print ``aidcatalog <command>: <message>`` on stderr; the exit code, for ``return fail(…)``."""
    print(f"aidcatalog {command}: {message}", file=sys.stderr)
    return code

"""``aidcatalog report``: the year against the plan, for the department's leadership (internal)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from .cliargs import EXIT_INVALID, EXIT_OK, common
from .labels import t
from .problems import render
from .report import report_markdown, report_xlsx, year_report
from .validate import validate


def register(sub: argparse._SubParsersAction, common_: Callable[[argparse.ArgumentParser], None] = common) -> None:
    p = sub.add_parser(
        "report", help="the year against the plan: projects signed, money committed, gaps, follow-ups (internal)",
    )
    common_(p)
    p.add_argument("--year", type=int, default=None, help="the year (default: this year)")
    p.add_argument("--format", choices=("markdown", "xlsx"), default="markdown")
    p.add_argument("--out", type=Path, help="the file to write (default: standard output; for xlsx report-YEAR-LANG.xlsx)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    lang = args.lang_resolved
    today = args.today or dt.date.today()
    found = validate(args.catalog, today=today)  # the internal records come with the validation, not the catalogue
    if found.catalogue is None:
        print(render(found.problems, found.files, "text", lang), file=sys.stderr)
        return EXIT_INVALID
    rep = year_report(found.catalogue, found.internal, args.year or today.year, lang, today)
    if args.format == "xlsx":
        out = args.out or Path(f"report-{rep.year}-{lang}.xlsx")
        out.parent.mkdir(parents=True, exist_ok=True)
        report_xlsx(found.catalogue, rep, lang, out)
        print(t("yr.written", lang, path=out))
        return EXIT_OK
    text = report_markdown(found.catalogue, rep, lang)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(t("yr.written", lang, path=args.out))
    else:
        print(text, end="")
    return EXIT_OK

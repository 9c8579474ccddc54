"""``aidcatalog form``, ``aidcatalog import`` and ``aidcatalog review-sheet``: spreadsheets in and out.

Argument parsing and output only; the work is in :mod:`aidcatalog.form`, :mod:`aidcatalog.intake`
and :mod:`aidcatalog.review`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .cliargs import DEFAULT_CATALOG, EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_lang, load_or_report
from .labels import t

EPILOG_IMPORT = """\
Each workbook becomes a draft (status: draft) in catalog/needs/<its first sector>/, with a fresh id;
no file is ever replaced. A problem is shown with its cell, e.g.
  de-xuat.xlsx!Đề xuất!C12: amount-as-text: budget.total: …
and a workbook with any problem writes nothing.
"""


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("form", help="write the proposal form (an Excel workbook) that communes and departments fill in")
    common(p)
    p.add_argument("--out", type=Path, required=True, help="the workbook to write, e.g. de-xuat.xlsx")
    p.set_defaults(func=cmd_form)

    p = sub.add_parser("import", help="turn filled proposal forms (.xlsx, .ods) into draft needs",
                       epilog=EPILOG_IMPORT, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="filled forms (.xlsx or .ods)")
    p.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG, help="the catalogue folder (default: catalog)")
    p.add_argument("--dry-run", action="store_true", help="check the forms and say what would be written; write nothing")
    add_lang(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("review-sheet", help="export the review sheet (one row per need), or apply a filled one")
    common(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, help="write the review sheet to this workbook, e.g. ra-soat.xlsx")
    what.add_argument("--apply", type=Path, metavar="SHEET",
                      help="write the changed cells of this sheet back into the files (all rows or nothing)")
    p.add_argument("--dry-run", action="store_true", help="with --apply: show the changes, write nothing")
    p.set_defaults(func=cmd_review_sheet)


def cmd_form(args: argparse.Namespace) -> int:
    from .form import write_form

    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    write_form(cat, args.lang_resolved, args.out)
    print(t("form.written", args.lang_resolved, path=args.out))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .intake import run

    lang = args.lang_resolved
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    outcome = run(list(args.files), cat, lang, dry_run=args.dry_run)
    for issue in outcome.issues:
        print(issue.format(lang), file=sys.stderr)
    for source, path in outcome.written:
        print(t("intake.would_write" if args.dry_run else "intake.wrote", lang, path=path, source=source))
    print(t("intake.summary", lang, written=len(outcome.written), total=len(args.files)))
    return EXIT_OK if outcome.ok else EXIT_INVALID


def cmd_review_sheet(args: argparse.Namespace) -> int:
    from .review import apply, write_sheet

    lang = args.lang_resolved
    if args.dry_run and not args.apply:
        print("aidcatalog: --dry-run goes with --apply", file=sys.stderr)
        return EXIT_USAGE
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    if args.out:
        count = write_sheet(cat, lang, args.out)
        print(t("review.written", lang, count=count, path=args.out))
        return EXIT_OK
    result = apply(args.apply, str(args.apply), cat, lang, dry_run=args.dry_run)
    for issue in result.issues:
        print(issue.format(lang), file=sys.stderr)
    if not result.ok:
        print(t("review.refused", lang), file=sys.stderr)
        return EXIT_INVALID
    if not result.changes:
        print(t("review.nothing", lang))
        return EXIT_OK
    print(result.diff, end="")
    files = len({c.path for c in result.changes})
    key = "review.changed" if result.written else "review.would_change"
    print(t(key, lang, values=len(result.changes), files=files))
    return EXIT_OK

"""``aidcatalog export``: the open data of a selection — JSON, CSV, Excel or IATI XML — into one file.

The selection is the one ``aidcatalog pdf`` makes, with the same filters (``--sector``,
``--place``, ``--partner``…), so staff can hand a partner exactly its data. The files are the
site's (:mod:`aidcatalog.datasite`), limited to the chosen needs (and, in JSON, their model projects).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .cliargs import EXIT_INVALID, EXIT_OK, EXIT_USAGE, load_or_report
from .datasite import FORMATS
from .labels import t
from .opendata import Data
from .pdfcli import _budget, _merge, _values
from .select import Filters, check, partner_filters, select

SUFFIX = {"json": "json", "csv": "csv", "xlsx": "xlsx", "iati": "xml"}
EPILOG = """\
examples:
  aidcatalog export --format csv --out needs.csv                     every published need
  aidcatalog export --format xlsx --partner clearwater-asia --out clearwater.xlsx
  aidcatalog export --format iati --sector health --place yen-lap-district --out health.xml

Filters work as in `aidcatalog pdf`: a filter may be repeated or take several values separated by
commas; values of one filter are alternatives, different filters must all hold. With --partner,
a filter given here replaces the partner's.
"""


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("export", help="write the open data of a selection: JSON, CSV, Excel or IATI XML",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(p)
    p.add_argument("--format", choices=tuple(FORMATS), default="json", help="what to write (default: json)")
    p.add_argument("--partner", metavar="ID", help="the needs that match the partner in catalog/partners/ID.yaml")
    for name, meta, text in (
        ("sector", "ID", "sector id (sectors.yaml)"), ("theme", "ID", "theme id (themes.yaml)"),
        ("place", "ID", "commune id, or a former district or province id"), ("status", "ID", "status id"),
        ("sdg", "N", "Sustainable Development Goal, 1-17"), ("id", "NEED", "only these needs"),
    ):
        p.add_argument(f"--{name}", action="append", default=[], metavar=meta, help=text)
    p.add_argument("--min-budget", metavar="AMOUNT", help="least amount requested, e.g. 50000USD or 1e9VND")
    p.add_argument("--max-budget", metavar="AMOUNT", help="largest amount requested")
    p.add_argument("--currency", choices=("USD", "VND"), default="USD",
                   help="currency of amounts written without one (default: USD)")
    p.add_argument("--out", type=Path, help="the file to write (default: needs.<format's extension>)")
    p.add_argument("--site-url", help="the site's address, for links (default: $SITE_URL or the example address)")
    p.set_defaults(func=cmd_export)


def _fail(message: str, code: int) -> int:
    print(f"aidcatalog export: {message}", file=sys.stderr)
    return code


def cmd_export(args: argparse.Namespace) -> int:
    lang_msg = args.lang_resolved
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    try:
        low, high, currency = _budget(args.min_budget, args.max_budget, args.currency, cat.site.usd_to_vnd)
    except ValueError as exc:
        return _fail(t("pdf.budget_value", lang_msg, value=exc.args[0]), EXIT_USAGE)
    given = Filters(
        sectors=_values(args.sector), themes=_values(args.theme), places=_values(args.place),
        statuses=_values(args.status), ids=_values(args.id), min_budget=low, max_budget=high, currency=currency,
        sdgs=tuple(int(v) if v.isdigit() else v for v in _values(args.sdg)),  # type: ignore[misc]
    )
    wrong = check(cat, given, partner=args.partner)
    if wrong:
        for item in wrong:
            print(f"aidcatalog export: {item.message(lang_msg)}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "iati" and cat.site.open_data is None:
        return _fail(t("export.no_iati_org", lang_msg), EXIT_INVALID)
    partner = cat.partners[args.partner] if args.partner else None
    filters = _merge(partner_filters(partner), given) if partner else given
    chosen = select(cat, filters)
    if not chosen.needs:
        described = filters.describe(cat, lang_msg) or t("pdf.no_needs", lang_msg)
        return _fail(t("export.empty", lang_msg, filters=described), EXIT_INVALID)
    from .pdf import default_site_url

    data = Data(cat, chosen.needs, chosen.stories, args.site_url or default_site_url())
    out = args.out or Path(f"needs.{SUFFIX[args.format]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(FORMATS[args.format](data))
    needs = t("pdf.count_one", lang_msg) if len(chosen.needs) == 1 else t("pdf.count", lang_msg, n=len(chosen.needs))
    print(t("export.written", lang_msg, path=out, needs=needs))
    return EXIT_OK

"""``aidcatalog export``: the open data of a selection — JSON, CSV, Excel or IATI XML — into one file.

The selection is the one ``aidcatalog pdf`` makes, with the same filters (``--sector``,
``--place``, ``--partner``…), so staff can hand a partner exactly its data. The files are the
site's (:mod:`aidcatalog.datasite`), limited to the chosen needs (and, in JSON, their model projects).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from .cliargs import EXIT_INVALID, EXIT_OK, fail, load_or_report
from .datasite import FORMATS
from .labels import t
from .opendata import Data
from .pdfcli import add_filter_options, given_filters, merge
from .select import partner_filters, select

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
    add_filter_options(p)
    p.add_argument("--out", type=Path, help="the file to write (default: needs.<format's extension>)")
    p.add_argument("--site-url", help="the site's address, for links (default: $SITE_URL or the example address)")
    p.set_defaults(func=cmd_export)



def cmd_export(args: argparse.Namespace) -> int:
    lang_msg = args.lang_resolved
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    given = given_filters(args, cat, "export")
    if isinstance(given, int):
        return given
    if args.format == "iati" and cat.site.open_data is None:
        return fail("export", t("export.no_iati_org", lang_msg), EXIT_INVALID)
    partner = cat.partners[args.partner] if args.partner else None
    filters = merge(partner_filters(partner), given) if partner else given
    chosen = select(cat, filters)
    if not chosen.needs:
        described = filters.describe(cat, lang_msg) or t("pdf.no_needs", lang_msg)
        return fail("export", t("export.empty", lang_msg, filters=described), EXIT_INVALID)
    from .pdf import default_site_url

    data = Data(cat, chosen.needs, chosen.stories, args.site_url or default_site_url())
    out = args.out or Path(f"needs.{SUFFIX[args.format]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(FORMATS[args.format](data))
    needs = t("pdf.count_one", lang_msg) if len(chosen.needs) == 1 else t("pdf.count", lang_msg, n=len(chosen.needs))
    print(t("export.written", lang_msg, path=out, needs=needs))
    return EXIT_OK

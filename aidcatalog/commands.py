"""The staff commands besides ``validate``: new, stats, status, schema, fields."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from .problems import render
from .render import templates
from .report import attention, attention_table, stats
from .schema import SCHEMA_IDS, field_reference, json_schema
from .text import slugify
from .validate import Catalogue, validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
DEFAULT_CATALOG = Path("catalog")


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("new", help="write a new entry from a commented template (as a draft)")
    p.add_argument("kind", choices=("need",))
    p.add_argument("--sector", required=True, help="sector id, e.g. health")
    p.add_argument("--title", help="Vietnamese title; the id is made from it")
    p.add_argument("--id", dest="ident", help="the id to use instead")
    common(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("stats", help="counts and money sought by sector, status and place")
    common(p)
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("status", help="entries that need attention (translation, review, dates, results)")
    common(p)
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("schema", help="write the JSON Schema files that editors use")
    common(p)
    p.add_argument("--out", type=Path, default=Path("schemas"), help="folder to write into (default: schemas)")
    p.add_argument("--check", action="store_true", help="exit 1 if the files there are out of date")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("build", help="build the site and its PDFs into site/, replacing it only when all went well")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--site-dir", type=Path, default=None, help="where to put the site (default: from the configuration)")
    p.add_argument("--no-strict", dest="strict", action="store_false", help="do not stop on MkDocs warnings")
    p.add_argument("--lang", choices=("vi", "en"), help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_build, catalog=DEFAULT_CATALOG)

    p = sub.add_parser("linkcheck", help="check every internal link, anchor, image and PDF of a built site")
    p.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    p.add_argument("--site-url", help="the site's own address, so that absolute links to it are checked too")
    p.set_defaults(func=cmd_linkcheck)

    p = sub.add_parser("fields", help="print the field reference (Markdown)")
    p.add_argument("kind", choices=("need", "story", "partner", "site"))
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(func=cmd_fields)

    from . import pdfcli

    pdfcli.register(sub, common)


def load_or_report(args: argparse.Namespace) -> Catalogue | None:
    """The validated catalogue, or None after printing why not (to stderr)."""
    report = validate(args.catalog)
    if report.catalogue is None:
        print(render(report.problems, report.files, "text", args.lang_resolved), file=sys.stderr)
    return report.catalogue


def cmd_new(args: argparse.Namespace) -> int:
    lang = args.lang_resolved
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    if args.sector not in cat.vocab["sectors"]:
        known = ", ".join(cat.vocab["sectors"])
        msg = f"lĩnh vực không có: {args.sector} (có: {known})" if lang == "vi" else \
            f"unknown sector: {args.sector} (known: {known})"
        print(f"aidcatalog: {msg}", file=sys.stderr)
        return EXIT_USAGE
    today = dt.date.today()
    base = args.ident or (slugify(args.title) if args.title else f"{args.sector}-{today:%Y%m%d}")
    taken = set(cat.sources) | set(cat.unpublished)
    ident, n = base, 2
    while ident in taken or any(args.catalog.glob(f"needs/**/{ident}.yaml")):
        ident, n = f"{base}-{n}", n + 1
    path = args.catalog / "needs" / args.sector / f"{ident}.yaml"
    text = templates().get_template("new/need.yaml.j2").render(
        id=ident, title_vi=args.title or "", sector=args.sector, today=today.isoformat(), next_year=today.year + 1,
        sectors=", ".join(cat.vocab["sectors"]), themes=", ".join(cat.vocab["themes"]),
        statuses=", ".join(cat.vocab["statuses"]), groups=", ".join(cat.vocab["beneficiary_groups"]),
        modalities=", ".join(cat.vocab["modalities"]),
    )
    yaml.safe_load(text)  # the template must stay valid YAML
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite an entry
        out.write(text)
    print(f"Đã tạo {path}" if lang == "vi" else f"Created {path}")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    print(stats(cat, args.lang_resolved, args.today or dt.date.today()))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    items = attention(cat, args.today or dt.date.today())
    print(attention_table(items, args.lang_resolved, markdown=args.format == "markdown"), end="")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    stale = []
    for kind, name in SCHEMA_IDS.items():
        text = json.dumps(json_schema(kind, cat), ensure_ascii=False, indent=2) + "\n"
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run `aidcatalog schema`): " + ", ".join(stale), file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    import logging

    from .build import build_site

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "aidcatalog"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    if not args.config.is_file():
        print(f"aidcatalog: no such configuration: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    ok = build_site(args.config, args.site_dir, strict=args.strict)
    if not ok:
        print("Không xây dựng được trang; bản cũ trong site/ được giữ nguyên." if args.lang_resolved == "vi" else
              "The site was not built; the previous site/ is kept as it was.", file=sys.stderr)
    return EXIT_OK if ok else EXIT_INVALID


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from .linkcheck import main as linkcheck

    return linkcheck([args.site, *(["--site-url", args.site_url] if args.site_url else [])])


def cmd_fields(args: argparse.Namespace) -> int:
    print(field_reference(args.kind, args.lang), end="")
    return EXIT_OK

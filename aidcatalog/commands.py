"""The staff commands besides ``validate``: new, stats, status, schema, fields."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from . import languages, opendata, outputs, siteconfig
from .cliargs import DEFAULT_CATALOG, EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_lang, load_or_report
from .labels import t
from .render import templates
from .report import attention, attention_table, stats
from .schema import SCHEMA_IDS, field_reference, json_schema
from .text import slugify


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
    p.add_argument("--wait", type=_seconds, default=None, metavar="SECONDS",
                   help="when another build of this project is running, wait at most this long for it "
                        "(default: until it finishes; 0: do not wait)")
    p.add_argument("--skip", action="append", default=[], choices=outputs.names(), metavar="OUTPUT",
                   help=f"leave an output out (one of: {', '.join(outputs.names())}; repeatable)")
    add_lang(p, shown=False)
    p.set_defaults(func=cmd_build, catalog=DEFAULT_CATALOG)

    p = sub.add_parser("outputs", help="list what a build makes, and when")
    p.set_defaults(func=cmd_outputs, catalog=DEFAULT_CATALOG)

    p = sub.add_parser("languages", help="write mkdocs.yml's languages from catalog/site.yaml (or --check them)")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    p.add_argument("--write", action="store_true", help="rewrite the generated block of mkdocs.yml")
    add_lang(p, shown=False)
    p.set_defaults(func=cmd_languages, catalog=DEFAULT_CATALOG)

    p = sub.add_parser("linkcheck", help="check every internal link, anchor, image and PDF of a built site")
    p.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    p.add_argument("--site-url", help="the site's own address, so that absolute links to it are checked too")
    p.set_defaults(func=cmd_linkcheck)

    p = sub.add_parser("fields", help="print the field reference (Markdown)")
    p.add_argument("kind", choices=("need", "story", "partner", "site"))
    add_lang(p, help="language of the reference: a code declared in site.yaml (default: the catalogue's first)")
    p.set_defaults(func=cmd_fields, catalog=DEFAULT_CATALOG)


def cmd_new(args: argparse.Namespace) -> int:
    lang = args.lang_resolved
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    if args.sector not in cat.vocab["sectors"]:
        known = ", ".join(cat.vocab["sectors"])
        msg = t("cli.unknown_sector", lang, sector=args.sector, known=known)
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
        id=ident, title=args.title or "", codes=cat.languages.codes, sector=args.sector, today=today.isoformat(),
        names={code: languages.LanguageName(code).localize(cat.languages.default) for code in cat.languages.codes},
        next_year=today.year + 1,
        sectors=", ".join(cat.vocab["sectors"]), themes=", ".join(cat.vocab["themes"]),
        statuses=", ".join(cat.vocab["statuses"]), groups=", ".join(cat.vocab["beneficiary_groups"]),
        modalities=", ".join(cat.vocab["modalities"]),
    )
    yaml.safe_load(text)  # the template must stay valid YAML
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite an entry
        out.write(text)
    print(t("cli.created", lang, path=path))
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
    print(attention_table(items, args.lang_resolved, markdown=args.format == "markdown",
                          months=cat.site.review_after_months), end="")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID
    stale = []
    schemas = {name: json_schema(kind, cat) for kind, name in SCHEMA_IDS.items()}
    schemas[opendata.SCHEMA_NAME] = opendata.json_schema(cat)  # needs.json, the open data (data/)
    for name, schema in schemas.items():
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
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

    from .build import BuildBusy, BuildLock, build_site

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "aidcatalog"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    if not args.config.is_file():
        print(f"aidcatalog: {t('cli.no_config', args.lang_resolved, path=args.config)}", file=sys.stderr)
        return EXIT_USAGE
    if args.skip:  # the outputs registry reads it (aidcatalog.outputs.skipped)
        os.environ[outputs.SKIP_ENV] = ",".join(sorted({*args.skip, *outputs.skipped()}))
    try:  # one build at a time, from the first file it writes (mkdocs.yml) to the swap of site/
        lock = BuildLock(args.config.resolve().parent, lang=args.lang_resolved).acquire(args.wait)
    except BuildBusy as exc:
        print(f"aidcatalog: {exc}", file=sys.stderr)
        print(t("cli.build_failed", args.lang_resolved), file=sys.stderr)
        return EXIT_INVALID
    try:
        try:
            siteconfig.write(args.config)  # mkdocs.yml's languages follow catalog/site.yaml
        except siteconfig.ConfigError as exc:
            print(f"aidcatalog: {exc}", file=sys.stderr)
            return EXIT_INVALID
        ok = build_site(args.config, args.site_dir, strict=args.strict, lang=args.lang_resolved)
    finally:
        lock.release()
    if not ok:
        print(t("cli.build_failed", args.lang_resolved), file=sys.stderr)
    return EXIT_OK if ok else EXIT_INVALID


def cmd_outputs(args: argparse.Namespace) -> int:
    outputs.names()
    for output in outputs.REGISTRY.values():
        phases = ", ".join(output.phases)
        preview = "" if output.in_preview else " (not in previews)"
        print(f"{output.name:8} {phases:16} {output.writes}{preview}")
    return EXIT_OK


def cmd_languages(args: argparse.Namespace) -> int:
    try:
        if args.write:
            changed = siteconfig.write(args.config)
            print(f"{args.config}: {'updated' if changed else 'already current'}")
            return EXIT_OK
        message = siteconfig.stale_message(args.config, args.lang_resolved)
    except (OSError, siteconfig.ConfigError) as exc:
        print(f"aidcatalog: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if message:
        print(message, file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.config}: current")
    return EXIT_OK


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}")
    return seconds


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from .linkcheck import main as linkcheck

    return linkcheck([args.site, *(["--site-url", args.site_url] if args.site_url else [])])


def cmd_fields(args: argparse.Namespace) -> int:
    print(field_reference(args.kind, args.lang_resolved), end="")
    return EXIT_OK

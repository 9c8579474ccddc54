"""The open-data files of a build (``site/data/``) and of ``aidcatalog export``, from one catalogue.

Registered as the ``data`` output (:mod:`aidcatalog.outputs`, phase ``site``): once every
language is built, it writes ``needs.json`` (and its schema), ``needs.csv`` with its
``datapackage.json``, ``needs.xlsx``, ``iati-activities.xml`` (when ``site.yaml`` names the
office's IATI identifier), one JSON file per need (``data/needs/<id>.json``, linked from its
page as "this need as JSON") and an Atom feed per language. Only published entries are in a
validated catalogue's ``needs`` and ``stories``: drafts never reach these files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .catalogue import Catalogue
from .feeds import feed, feed_path
from .iati import iati_xml
from .opendata import DATA_DIR, SCHEMA_NAME, Data, datapackage, dumps, json_schema, need_json, needs_csv, needs_json, needs_xlsx

FORMATS: dict[str, Callable[[Data], bytes]] = {"json": needs_json, "csv": needs_csv, "xlsx": needs_xlsx, "iati": iati_xml}
"""``aidcatalog export --format``: what each format writes."""


def need_file(need_id: str) -> str:
    """One need's JSON file, relative to the site's root."""
    return f"{DATA_DIR}/needs/{need_id}.json"


def files(cat: Catalogue, site_url: str = "") -> dict[str, bytes]:
    """Every open-data file of the site: ``{path relative to the site's root: bytes}``."""
    data = Data.of(cat, site_url)
    out = {
        f"{DATA_DIR}/needs.json": needs_json(data),
        f"{DATA_DIR}/{SCHEMA_NAME}": dumps(json_schema(cat)),
        f"{DATA_DIR}/needs.csv": needs_csv(data),
        f"{DATA_DIR}/datapackage.json": datapackage(data),
        f"{DATA_DIR}/needs.xlsx": needs_xlsx(data),
    }
    if cat.site.open_data is not None:
        out[f"{DATA_DIR}/iati-activities.xml"] = iati_xml(data)
    for record in data.need_records:
        out[need_file(record.id)] = need_json(data, record)
    for lang in cat.languages:
        out[feed_path(lang)] = feed(cat, lang, site_url)
    return out


def write(cat: Catalogue, site_dir: Path, site_url: str = "") -> int:
    """Write the files under ``site_dir``; how many."""
    return write_files(files(cat, site_url), site_dir)


def write_files(made: dict[str, bytes], site_dir: Path) -> int:
    """Write ``{path relative to the site's root: bytes}`` under ``site_dir``; how many files."""
    for rel, content in made.items():
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return len(made)


def listing(cat: Catalogue) -> list[tuple[str, str]]:
    """The files the data page offers, as (path from the site's root, the interface word that says what it holds)."""
    out = [(f"{DATA_DIR}/needs.json", "data.file.needs_json"), (f"{DATA_DIR}/{SCHEMA_NAME}", "data.file.schema"),
           (f"{DATA_DIR}/needs.csv", "data.file.needs_csv"), (f"{DATA_DIR}/datapackage.json", "data.file.datapackage"),
           (f"{DATA_DIR}/needs.xlsx", "data.file.needs_xlsx")]
    if cat.site.open_data is not None:
        out.append((f"{DATA_DIR}/iati-activities.xml", "data.file.iati"))
    return out


def page_context(cat: Catalogue, lang: str) -> dict[str, object]:
    """What the data page shows (``templates/site/data.md.j2``)."""
    from . import fmt
    from .opendata import VERSION, dictionary, licence_of, sources_date

    example = next((f"title_{code}" for code in cat.languages.codes), "")
    return {"files": listing(cat), "feed": feed_path(lang), "licence": licence_of(cat), "version": VERSION,
            "dated": sources_date(cat), "rate": fmt.number(cat.site.usd_to_vnd, lang),
            "dictionary": dictionary(cat, lang), "example": example}

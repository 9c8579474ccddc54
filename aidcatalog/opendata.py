"""Open data: the published needs (and model projects) as JSON, CSV, a spreadsheet and a data package.

Every file is made from the public views (:mod:`aidcatalog.views`), field by field, through the
record classes below: what a view does not carry (drafts, anything meant for staff only) cannot
reach a file. The record classes are also the JSON Schema of ``needs.json``
(``schemas/needs.schema.json``, :func:`json_schema`), and :data:`COLUMNS` is the one table behind
the CSV, the spreadsheet, the data package and the field dictionary of the data page.

- **Texts** are written as they are, one entry per declared language that has them: a missing
  optional translation is absent (JSON) or empty (CSV), never the fallback language's text.
- **Numbers are numbers** (no thousands separators), amounts in their currency and in US$ at the
  catalogue's indicative rate; **dates** are ISO 8601.
- **The same bytes every time**: sorted keys, entries in the catalogue's order, the spreadsheet's
  zip entries and properties dated by the sources (the newest review date), never by the clock.
- **Spreadsheet formulas**: a CSV text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab
  or carriage return) gets a leading ``'``, so Excel and LibreOffice show it as text; the
  spreadsheet stores every text as a string cell, which no spreadsheet evaluates.

**Version** (``version`` in ``needs.json`` and ``datapackage.json``): ``MAJOR.MINOR``. A new
field or column raises MINOR and keeps every existing one; renaming, removing or changing the
meaning or unit of a field raises MAJOR. Readers should ignore fields they do not know.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import languages
from .catalogue import Catalogue
from .labels import LABELS, t
from .model import Licence, Need, Story
from .views import MARKERS, READINESS, NeedView, PlaceView, StoryView, Views

VERSION = "1.0"
"""``MAJOR.MINOR`` of the files' shape (see the module's documentation for the rule)."""
SCHEMA_NAME = "needs.schema.json"
DATA_DIR = "data"
FILES = ("needs.json", "needs.csv", "needs.xlsx", "datapackage.json", "iati-activities.xml", SCHEMA_NAME)
DEFAULT_LICENCE = Licence(id="CC-BY-4.0", name="Creative Commons Attribution 4.0 International",
                          url="https://creativecommons.org/licenses/by/4.0/")
"""The licence of a catalogue whose ``site.yaml`` has no ``open_data`` block."""

Texts = dict[str, str]


def _d(key: str) -> Any:
    """A record field described by the interface word ``data.col.<key>`` (its English source)."""
    return Field(description=LABELS[f"data.col.{key}"])


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TermRecord(Record):
    id: str | int
    name: Texts


class SectorRecord(TermRecord):
    dac: list[int] = Field(description=LABELS["data.col.dac_codes"])


class StatusRecord(TermRecord):
    iati: int | None = Field(description=LABELS["data.col.iati_status"])


class PlaceRecord(Record):
    commune: str = _d("communes")
    code: str = _d("commune_codes")
    name: Texts
    detail: Texts | None = None
    former_district: Texts | None = None
    former_province: Texts | None = None
    lat: float | None = None
    lon: float | None = None


class BudgetRecord(Record):
    currency: Literal["VND", "USD"] = _d("currency")
    total: float = _d("total")
    requested: float = _d("requested")
    counterpart_cash: float = _d("counterpart_cash")
    counterpart_in_kind: float = _d("counterpart_in_kind")
    counterpart_source: Texts | None = None
    total_usd: float = _d("total_usd")
    requested_usd: float = _d("requested_usd")


class ResultRecord(Record):
    indicator: Texts
    baseline: float | None = None
    target: float
    unit: Texts


class BeneficiariesRecord(Record):
    groups: list[TermRecord] = _d("beneficiary_groups")
    direct: int = _d("direct_beneficiaries")
    indirect: int = _d("indirect_beneficiaries")
    women_share: float | None = _d("women_share")
    description: Texts | None = None


class ContactRecord(Record):
    name: str = _d("contact_name")
    role: Texts = _d("contact_role")
    email: str = _d("contact_email")
    phone: str | None = _d("contact_phone")


class LinkRecord(Record):
    title: Texts
    url: str


class NeedRecord(Record):
    """One published need, in every declared language."""

    id: str = _d("id")
    page: Texts = _d("page")
    brief: Texts = _d("brief")
    title: Texts = _d("title")
    summary: Texts = _d("summary")
    context: Texts = _d("context")
    status: StatusRecord = _d("status")
    sectors: list[SectorRecord] = _d("sectors")
    themes: list[TermRecord] = _d("themes")
    sdgs: list[TermRecord] = _d("sdgs")
    policy_markers: dict[str, int] = Field(description=LABELS["data.col.marker"])
    locations: list[PlaceRecord] = _d("places")
    objectives: list[Texts] = _d("objectives")
    activities: list[Texts] = _d("activities")
    expected_results: list[ResultRecord]
    beneficiaries: BeneficiariesRecord
    budget: BudgetRecord
    duration_months: int = _d("duration_months")
    planned_start: dt.date | None = _d("planned_start")
    modality: TermRecord = _d("modality")
    proposer: Texts = _d("proposer")
    owner: Texts | None = _d("owner")
    contact: ContactRecord
    readiness: dict[str, bool] = Field(description=LABELS["data.col.readiness"])
    documents: list[LinkRecord]
    related_needs: list[str]
    related_stories: list[str]
    last_reviewed: dt.date = _d("last_reviewed")


class DonorRecord(Record):
    name: str
    country: Texts | None = None
    url: str | None = None


class OutcomeRecord(Record):
    indicator: Texts
    unit: Texts
    baseline: float | None = None
    target: float | None = None
    actual: float
    year: int


class StoryRecord(Record):
    """One published model project."""

    id: str
    page: Texts
    title: Texts
    summary: Texts
    sectors: list[SectorRecord]
    themes: list[TermRecord]
    sdgs: list[TermRecord]
    locations: list[PlaceRecord]
    donors: list[DonorRecord]
    local_partner: Texts
    start: dt.date
    end: dt.date
    value: float
    currency: Literal["VND", "USD"]
    value_usd: float
    results: list[OutcomeRecord]
    beneficiaries_reached: int
    scale_up_needs: list[str]
    last_reviewed: dt.date


class LanguageRecord(Record):
    code: str
    name: str
    required: bool


class LicenceRecord(Record):
    id: str
    name: str
    url: str


class PublisherRecord(Record):
    name: Texts
    email: str
    phone: str
    website: str | None = None
    iati_org: str | None = None


class CatalogueRecord(Record):
    name: Texts
    province: Texts
    publisher: PublisherRecord
    languages: list[LanguageRecord]
    sources_date: dt.date = Field(description="The newest review date of the published entries: the date of the data.")
    usd_to_vnd: float = Field(description="The indicative rate every US$ amount is converted at (VND per US$).")
    licence: LicenceRecord
    site: str = Field(description="The site's address (empty when the files were made without it).")
    illustrative: bool = Field(description="True while the catalogue's projects, figures and contacts are examples.")


class NeedsDocument(Record):
    """``needs.json``: the catalogue's published needs and model projects."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Open data of the aid catalogue")
    schema_: str = Field(alias="$schema", default=SCHEMA_NAME)
    version: str = Field(description="MAJOR.MINOR: a new field raises MINOR; a renamed, removed or changed one MAJOR.")
    catalogue: CatalogueRecord
    needs: list[NeedRecord]
    stories: list[StoryRecord]


# --- from the views to records ------------------------------------------------------------


def texts(value: Any, cat: Catalogue) -> Texts:
    """A text as written, per declared language: a missing optional translation is simply absent."""
    if value is None:
        return {}
    out: Texts = {}
    for lang in cat.languages:
        found = value.get(lang.code) if hasattr(value, "get") else None
        if isinstance(found, str) and found:
            out[lang.code] = languages.plain(found)
    return out


def _maybe(value: Any, cat: Catalogue) -> Texts | None:
    return texts(value, cat) or None


def number(value: float) -> float | int:
    """A whole amount as an integer (``6800000000``, not ``6800000000.0``); others as they are."""
    return int(value) if float(value).is_integer() else value


def usd(value: float) -> float | int:
    return number(round(value, 2))


def sources_date(cat: Catalogue) -> dt.date:
    """The date of the data: the newest review date of a published entry (never the clock)."""
    days = [e.last_reviewed for e in (*cat.needs.values(), *cat.stories.values())]
    return max(days) if days else dt.date(cat.site.year, 1, 1)


def site_path(cat: Catalogue, site_url: str, lang: str, path: str) -> str:
    """A page or file of the site in ``lang``: in full with the site's address, else from the site's root."""
    rel = f"{cat.languages.prefix(lang)}{path}"
    return site_url.rstrip("/") + "/" + rel if site_url else rel


def file_url(site_url: str, path: str) -> str:
    """A file shared by every language (``pdf/en/…``, ``media/…``, ``data/…``)."""
    return site_url.rstrip("/") + "/" + path if site_url else path


def licence_of(cat: Catalogue) -> Licence:
    return cat.site.open_data.licence if cat.site.open_data else DEFAULT_LICENCE


class Maker:
    """Records of one catalogue, made from its public views (one :class:`Views` per language)."""

    def __init__(self, cat: Catalogue, site_url: str = ""):
        self.cat, self.site_url = cat, site_url
        self.views = {lang.code: Views(cat, lang) for lang in cat.languages}
        self.main = self.views[cat.languages.default.code]
        self._terms: dict[tuple[str, Any], TermRecord] = {}

    def t(self, value: Any) -> Texts:
        return texts(value, self.cat)

    def term(self, term: Any, kind: type[TermRecord] = TermRecord, **extra: Any) -> TermRecord:
        key = (kind.__name__, term.id)
        if key not in self._terms:
            self._terms[key] = kind(id=term.id, name=self.t(term.name), **extra)
        return self._terms[key]

    def sector(self, term: Any) -> SectorRecord:
        return self.term(term, SectorRecord, dac=list(term.dac))  # type: ignore[return-value]

    def pages(self, path: str) -> Texts:
        return {code: site_path(self.cat, self.site_url, code, path) for code in self.views}

    def places(self, each: Sequence[PlaceView], points: Sequence[Any]) -> list[PlaceRecord]:
        out = []
        for place, location in zip(each, points, strict=True):
            loc = self.cat.localities[place.id]
            point = location.point
            out.append(PlaceRecord(
                commune=place.id, code=loc.code, name=self.t(loc.name), detail=_maybe(location.detail, self.cat),
                former_district=_maybe(loc.former.district, self.cat) if loc.former else None,
                former_province=_maybe(loc.former.province, self.cat) if loc.former else None,
                lat=point.lat if point else None, lon=point.lon if point else None,
            ))
        return out

    def need(self, need: Need) -> NeedRecord:
        v: NeedView = self.main.need(need)
        cat, b = self.cat, need.budget
        cp = b.counterpart
        return NeedRecord(
            id=v.id, page=self.pages(v.page),
            brief={code: file_url(self.site_url, str(view.need(need).brief)) for code, view in self.views.items()},
            title=self.t(v.title), summary=self.t(v.summary), context=self.t(v.context),
            status=self.term(v.status, StatusRecord, iati=v.status.iati),
            sectors=[self.sector(s) for s in v.sectors], themes=[self.term(x) for x in v.themes],
            sdgs=[self.term(x) for x in v.sdgs],
            policy_markers={key: getattr(need.policy_markers, key) for key in MARKERS},
            locations=self.places(v.places.each, need.locations),
            objectives=[self.t(x) for x in v.objectives], activities=[self.t(x) for x in v.activities],
            expected_results=[ResultRecord(indicator=self.t(r.indicator), baseline=r.baseline, target=r.target,
                                           unit=self.t(r.unit)) for r in v.expected_results],
            beneficiaries=BeneficiariesRecord(
                groups=[self.term(g) for g in v.beneficiary_groups], direct=v.beneficiaries.direct,
                indirect=v.beneficiaries.indirect, women_share=v.beneficiaries.women_share,
                description=_maybe(v.beneficiaries.description, cat)),
            budget=BudgetRecord(
                currency=v.total.currency, total=number(v.total.amount), requested=number(v.requested.amount),
                counterpart_cash=number(v.counterpart_cash.amount if v.counterpart_cash else 0),
                counterpart_in_kind=number(v.counterpart_in_kind.amount if v.counterpart_in_kind else 0),
                counterpart_source=_maybe(cp.source if cp else None, cat),
                total_usd=usd(v.total.usd), requested_usd=usd(v.requested.usd)),
            duration_months=v.duration_months, planned_start=v.planned_start,
            modality=self.term(v.modality), proposer=self.t(v.proposer), owner=_maybe(v.owner, cat),
            contact=ContactRecord(name=v.contact.name, role=self.t(v.contact.role), email=v.contact.email,
                                  phone=v.contact.phone),
            readiness={key: item.on for key, item in zip(READINESS, v.readiness, strict=True)},
            documents=[LinkRecord(title=self.t(d.title), url=file_url(self.site_url, f"media/{d.file}") if d.file
                                  else d.url or "") for d in v.documents],
            related_needs=list(v.related_needs), related_stories=list(v.related_stories),
            last_reviewed=v.last_reviewed,
        )

    def story(self, story: Story) -> StoryRecord:
        v: StoryView = self.main.story(story)
        return StoryRecord(
            id=v.id, page=self.pages(v.page), title=self.t(v.title), summary=self.t(v.summary),
            sectors=[self.sector(s) for s in v.sectors], themes=[self.term(x) for x in v.themes],
            sdgs=[self.term(x) for x in v.sdgs], locations=self.places(v.places.each, story.locations),
            donors=[DonorRecord(name=d.name, country=_maybe(d.country, self.cat), url=d.url) for d in v.donors],
            local_partner=self.t(v.local_partner), start=v.period.start, end=v.period.end,
            value=number(v.value.amount), currency=v.value.currency, value_usd=usd(v.value.usd),
            results=[OutcomeRecord(indicator=self.t(r.indicator), unit=self.t(r.unit), baseline=r.baseline,
                                   target=r.target, actual=r.actual, year=r.year) for r in v.results],
            beneficiaries_reached=v.beneficiaries_reached, scale_up_needs=list(v.scale_up_needs),
            last_reviewed=v.last_reviewed,
        )

    def catalogue(self) -> CatalogueRecord:
        site, lic = self.cat.site, licence_of(self.cat)
        return CatalogueRecord(
            name=self.t(site.name), province=self.t(site.province),
            publisher=PublisherRecord(name=self.t(site.office.name), email=site.office.email, phone=site.office.phone,
                                      website=site.office.website,
                                      iati_org=site.open_data.iati_org if site.open_data else None),
            languages=[LanguageRecord(code=lang.code, name=lang.name, required=lang.required)
                       for lang in self.cat.languages],
            sources_date=sources_date(self.cat), usd_to_vnd=number(site.usd_to_vnd),
            licence=LicenceRecord(id=lic.id, name=lic.name, url=lic.url), site=self.site_url,
            illustrative=site.illustrative,
        )


@dataclass
class Data:
    """What one export holds: the chosen needs and model projects, as records, with the catalogue's metadata."""

    cat: Catalogue
    needs: list[Need]
    stories: list[Story]
    site_url: str = ""

    def __post_init__(self) -> None:
        self.maker = Maker(self.cat, self.site_url)
        self.need_records = [self.maker.need(n) for n in self.needs]
        self.story_records = [self.maker.story(s) for s in self.stories]

    @classmethod
    def of(cls, cat: Catalogue, site_url: str = "") -> Data:
        """Every published need and model project (drafts are not in a validated catalogue's entries)."""
        return cls(cat, list(cat.needs.values()), list(cat.stories.values()), site_url)

    def document(self) -> NeedsDocument:
        return NeedsDocument(version=VERSION, catalogue=self.maker.catalogue(), needs=self.need_records,
                             stories=self.story_records)


def dumps(value: Any) -> bytes:
    """JSON as the files hold it: UTF-8, sorted keys, two-space indent, a final newline."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def needs_json(data: Data) -> bytes:
    return dumps(data.document().model_dump(mode="json", by_alias=True))


def need_json(data: Data, record: NeedRecord) -> bytes:
    """One need alone (``data/needs/<id>.json``), with the version and the licence."""
    lic = licence_of(data.cat)
    return dumps({"version": VERSION, "licence": {"id": lic.id, "name": lic.name, "url": lic.url},
                  "need": record.model_dump(mode="json")})


def json_schema(cat: Catalogue | None = None) -> dict[str, Any]:
    """The JSON Schema of ``needs.json``, generated from the record classes; texts keyed by the declared languages."""
    schema = NeedsDocument.model_json_schema(mode="serialization", by_alias=True)
    declared = cat.languages if cat is not None else languages.active()
    codes = [lang.code for lang in declared]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_NAME

    def tune(node: Any) -> None:
        if isinstance(node, dict):
            extra = node.get("additionalProperties")
            if node.get("type") == "object" and isinstance(extra, dict) and extra.get("type") == "string" \
                    and "properties" not in node:
                node["propertyNames"] = {"enum": codes}  # a text: one entry per declared language
            for value in node.values():
                tune(value)
        elif isinstance(node, list):
            for value in node:
                tune(value)

    tune(schema)
    return schema


# --- the table: CSV, spreadsheet, data package, field dictionary ------------------------------

Kind = Literal["string", "integer", "number", "date", "boolean", "money", "usd"]


@dataclass(frozen=True)
class Column:
    """One field of the table; ``per_language`` makes one column per declared language (``title_vi``…)."""

    name: str
    kind: Kind
    get: Callable[[NeedRecord], Any]
    per_language: bool = False

    @property
    def key(self) -> str:
        return f"data.col.{self.name}"

    def names(self, codes: Sequence[str]) -> list[str]:
        return [f"{self.name}_{code}" for code in codes] if self.per_language else [self.name]


def _join(items: Iterable[Any]) -> str:
    return "; ".join(str(i) for i in items)


COLUMNS: tuple[Column, ...] = (
    Column("id", "string", lambda r: r.id),
    Column("page", "string", (lambda r: r.page), True),
    Column("title", "string", (lambda r: r.title), True),
    Column("summary", "string", (lambda r: r.summary), True),
    Column("status", "string", lambda r: r.status.id),
    Column("status_name", "string", (lambda r: r.status.name), True),
    Column("iati_status", "integer", lambda r: r.status.iati),
    Column("sectors", "string", lambda r: _join(s.id for s in r.sectors)),
    Column("sector_names", "string", (lambda r: [s.name for s in r.sectors]), True),
    Column("dac_codes", "string", lambda r: _join(c for s in r.sectors for c in s.dac)),
    Column("themes", "string", lambda r: _join(x.id for x in r.themes)),
    Column("sdgs", "string", lambda r: _join(x.id for x in r.sdgs)),
    Column("communes", "string", lambda r: _join(p.commune for p in r.locations)),
    Column("commune_codes", "string", lambda r: _join(p.code for p in r.locations)),
    Column("places", "string", (lambda r: [p.name for p in r.locations]), True),
    Column("currency", "string", lambda r: r.budget.currency),
    Column("total", "money", lambda r: r.budget.total),
    Column("requested", "money", lambda r: r.budget.requested),
    Column("counterpart_cash", "money", lambda r: r.budget.counterpart_cash),
    Column("counterpart_in_kind", "money", lambda r: r.budget.counterpart_in_kind),
    Column("total_usd", "usd", lambda r: r.budget.total_usd),
    Column("requested_usd", "usd", lambda r: r.budget.requested_usd),
    Column("duration_months", "integer", lambda r: r.duration_months),
    Column("planned_start", "date", lambda r: r.planned_start),
    Column("modality", "string", lambda r: r.modality.id),
    Column("direct_beneficiaries", "integer", lambda r: r.beneficiaries.direct),
    Column("indirect_beneficiaries", "integer", lambda r: r.beneficiaries.indirect),
    Column("women_share", "number", lambda r: r.beneficiaries.women_share),
    Column("beneficiary_groups", "string", lambda r: _join(g.id for g in r.beneficiaries.groups)),
    Column("objectives", "string", (lambda r: r.objectives), True),
    Column("activities", "string", (lambda r: r.activities), True),
    Column("proposer", "string", (lambda r: r.proposer), True),
    Column("owner", "string", (lambda r: r.owner or {}), True),
    Column("contact_name", "string", lambda r: r.contact.name),
    Column("contact_role", "string", (lambda r: r.contact.role), True),
    Column("contact_email", "string", lambda r: r.contact.email),
    Column("contact_phone", "string", lambda r: r.contact.phone),
    *(Column(f"ready_{key}", "boolean", (lambda k: lambda r: r.readiness[k])(key)) for key in READINESS),
    *(Column(f"marker_{key}", "integer", (lambda k: lambda r: r.policy_markers[k])(key)) for key in MARKERS),
    Column("last_reviewed", "date", lambda r: r.last_reviewed),
    Column("brief", "string", (lambda r: r.brief), True),
)
"""The table's fields, in order. Their meanings are interface words (``data.col.<name>``)."""


def column_meaning(column: Column, lang: str) -> str:
    """What a column holds, in ``lang`` (the readiness and marker columns say which item)."""
    if column.name.startswith("ready_"):
        return t("data.col.readiness_item", lang, item=t(f"readiness.{column.name[6:]}", lang))
    if column.name.startswith("marker_"):
        return t("data.col.marker_item", lang, item=t(f"site.marker.{column.name[7:]}", lang))
    return t(column.key, lang)


def header(cat: Catalogue) -> list[str]:
    codes = cat.languages.codes
    return [name for column in COLUMNS for name in column.names(codes)]


def _cell(value: Any, code: str | None) -> Any:
    if code is not None:  # a text, or a list of texts, read in one language
        if isinstance(value, list):
            return _join(item.get(code, "") for item in value if item.get(code))
        return value.get(code, "")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rows(data: Data) -> list[list[Any]]:
    """One row per need, in the catalogue's order: values as they are (numbers, booleans, text)."""
    codes = data.cat.languages.codes
    out = []
    for record in data.need_records:
        row: list[Any] = []
        for column in COLUMNS:
            value = column.get(record)
            if column.per_language:
                row.extend(_cell(value, code) for code in codes)
            else:
                row.append(_cell(value, None))
        out.append(row)
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """A CSV text cell a spreadsheet will not read as a formula: ``'`` before a leading ``= + - @``."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(number(value))
    return inert(str(value))


def needs_csv(data: Data) -> bytes:
    """``needs.csv``: UTF-8 with a byte-order mark (Excel then reads Vietnamese right), CRLF rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(data.cat))
    for row in rows(data):
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_TABLE_TYPES = {"string": "string", "integer": "integer", "number": "number", "date": "date", "boolean": "boolean",
                "money": "number", "usd": "number"}


def datapackage(data: Data) -> bytes:
    """``datapackage.json``: the Frictionless description of ``needs.csv`` (types and meanings of its columns)."""
    cat, lic = data.cat, licence_of(data.cat)
    default = cat.languages.default
    fields = []
    for column in COLUMNS:
        for lang_code, name in zip(cat.languages.codes if column.per_language else [None],
                                   column.names(cat.languages.codes), strict=True):
            field: dict[str, Any] = {"name": name, "type": _TABLE_TYPES[column.kind],
                                     "description": column_meaning(column, languages.SOURCE if languages.SOURCE
                                                                   in cat.languages else default)}
            if lang_code is not None:
                field["lang"] = lang_code
            if column.kind == "boolean":
                field["trueValues"], field["falseValues"] = ["true"], ["false"]
            if column.kind in ("money", "usd"):
                field["constraints"] = {"minimum": 0}
            if column.name == "id":
                field["constraints"] = {"required": True, "unique": True}
            fields.append(field)
    package = {
        "name": "aid-catalogue-needs",
        "title": languages.plain(languages.text(cat.site.name, default)),
        "version": VERSION,
        "created": sources_date(cat).isoformat() + "T00:00:00Z",
        "licenses": [{"name": lic.id, "title": lic.name, "path": lic.url}],
        "resources": [{
            "name": "needs", "path": "needs.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
            "schema": {"fields": fields, "primaryKey": ["id"], "missingValues": [""]},
        }],
    }
    return dumps(package)


def needs_xlsx(data: Data) -> bytes:
    """``needs.xlsx``: the table with a frozen header, set widths, money formats, and a sheet of the columns."""
    import xlsxwriter

    cat = data.cat
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    day = sources_date(cat)
    default = cat.languages.default
    book.set_properties({"title": languages.plain(languages.text(cat.site.name, default)),
                         "created": dt.datetime(day.year, day.month, day.day), "author": "", "company": "",
                         "comments": licence_of(cat).name})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF5"})
    formats = {"money_VND": book.add_format({"num_format": "#,##0"}),
               "money_USD": book.add_format({"num_format": "#,##0.00"}),
               "usd": book.add_format({"num_format": "#,##0.00"}), "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    sheet = book.add_worksheet("needs")
    names = header(cat)
    kinds = [column for column in COLUMNS for _ in column.names(cat.languages.codes)]
    for col, name in enumerate(names):
        sheet.write_string(0, col, name, bold)
        column = kinds[col]
        width = 12 if column.kind in ("money", "usd", "integer", "number", "date", "boolean") else 28
        if column.name in ("title", "summary", "objectives", "activities", "places"):
            width = 48
        sheet.set_column(col, col, width)
    currency_col = names.index("currency")
    for r, row in enumerate(rows(data), start=1):
        currency = row[currency_col]
        for col, value in enumerate(row):
            column = kinds[col]
            if value is None or value == "":
                continue
            if column.kind == "boolean":
                sheet.write_boolean(r, col, bool(value))
            elif column.kind == "money":
                sheet.write_number(r, col, value, formats[f"money_{currency}"])
            elif column.kind == "usd":
                sheet.write_number(r, col, value, formats["usd"])
            elif column.kind in ("integer", "number"):
                sheet.write_number(r, col, value)
            elif column.kind == "date":
                sheet.write_datetime(r, col, dt.datetime.fromisoformat(value), formats["date"])
            else:
                sheet.write_string(r, col, str(value))  # a string cell: never a formula
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(data.need_records), len(names) - 1)

    about = book.add_worksheet("columns")
    heads = ["column", *(lang.name for lang in cat.languages)]
    for col, head in enumerate(heads):
        about.write_string(0, col, head, bold)
        about.set_column(col, col, 24 if col == 0 else 70)
    r = 1
    for column in COLUMNS:
        for name in column.names(cat.languages.codes):
            about.write_string(r, 0, name)
            for col, lang in enumerate(cat.languages, start=1):
                about.write_string(r, col, column_meaning(column, lang))
            r += 1
    about.freeze_panes(1, 1)
    book.close()
    return buffer.getvalue()


def dictionary(cat: Catalogue, lang: str) -> list[tuple[str, str, str]]:
    """The field dictionary of the data page: (column, type in words, meaning) in ``lang``."""
    out = []
    for column in COLUMNS:
        kind = t(f"data.type.{column.kind}", lang)
        out.append((", ".join(column.names(cat.languages.codes)), kind, column_meaning(column, lang)))
    return out

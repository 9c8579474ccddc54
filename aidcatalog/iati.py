"""``iati-activities.xml``: the published needs as IATI 2.03 activities, made from their open-data records.

One ``iati-activity`` per need (:class:`aidcatalog.opendata.NeedRecord`, itself made from the public
view), in the order of the catalogue:

- the identifier is the office's IATI organisation identifier (``open_data.iati_org`` in
  ``site.yaml``) and the need's id: ``XI-IATI-EXAMPLE-PTDFA-first-1000-days-yen-lap``; the office
  is the reporting organisation, the owner (else the proposer) the implementing one;
- titles and descriptions (summary, objectives, who benefits) are one narrative per declared
  language that has the text, each with its ``xml:lang``;
- the activity status is the status vocabulary's ``iati`` code (needs seeking funding: 1,
  Pipeline/identification);
- sectors: the first OECD-DAC CRS code of each of the need's sectors (vocabulary 1) and the
  province's own sector ids (vocabulary 99), the shares split evenly so that each vocabulary
  sums to 100; SDG goals as tags (vocabulary 2); the policy markers that apply;
- recipient country VN, and one location per commune: its official administrative code
  (``location/@ref``, ``VN-ADM-<code>``), today's name, and the former units as its description;
- planned start and end (the start plus the duration; a need without a planned start is dated
  from the first day of the month after its last review), and the total cost as one budget per
  year of the activity, each valued at its period's start, in the need's currency;
- the contact person, and each brief PDF as a document (when the site's address is known).

Dates come from the data (the newest review date), never from the clock, so two exports of the
same sources are the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from .catalogue import Catalogue
from .opendata import Data, NeedRecord, Texts, licence_of, number, sources_date

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IATI_VERSION = "2.03"
POLICY_MARKERS = {"gender": 1, "climate_mitigation": 6, "climate_adaptation": 7, "disaster_risk_reduction": 10,
                  "disability": 11}
"""Our policy markers → IATI PolicyMarker codes (OECD DAC vocabulary 1)."""
PLANNED_START, PLANNED_END = "1", "3"
COUNTRY = "VN"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` (the last day of a shorter month when the day does not exist)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def planned(record: NeedRecord) -> tuple[dt.date, dt.date]:
    """Planned start and end: the start plus the duration, minus a day."""
    start = record.planned_start or add_months(record.last_reviewed.replace(day=1), 1)
    return start, add_months(start, record.duration_months) - dt.timedelta(days=1)


def yearly(total: float, start: dt.date, months: int, currency: str) -> list[tuple[dt.date, dt.date, float | int]]:
    """The total split into periods of at most a year, in proportion to their months; the last takes the rest."""
    periods, done, first = [], 0.0, start
    remaining = months
    while remaining > 0:
        span = min(12, remaining)
        last = add_months(first, span) - dt.timedelta(days=1)
        remaining -= span
        if remaining:
            share = total * span / months
            share = round(share) if currency == "VND" else round(share, 2)
        else:
            share = round(total - done, 2) if currency == "USD" else round(total - done)
        done += share
        periods.append((first, last, number(share)))
        first = last + dt.timedelta(days=1)
    return periods


def shares(count: int) -> list[int]:
    """``count`` whole percentages summing to 100, the first ones taking the remainder."""
    base, rest = divmod(100, count)
    return [base + (1 if i < rest else 0) for i in range(count)]


def _narratives(parent: ET.Element, text: Texts) -> ET.Element:
    for code, value in text.items():
        ET.SubElement(parent, "narrative", {XML_LANG: code}).text = value
    return parent


def _text(parent: ET.Element, tag: str, text: Texts, **attrs: str) -> ET.Element:
    return _narratives(ET.SubElement(parent, tag, attrs), text)


def _joined(items: Iterable[Texts], codes: Iterable[str]) -> Texts:
    """A list of texts as one text per language, a line each."""
    items = list(items)
    out = {}
    for code in codes:
        lines = [item[code] for item in items if code in item]
        if lines:
            out[code] = "\n".join(lines)
    return out


def _iso(day: dt.date) -> str:
    return day.isoformat()


def activity(data: Data, record: NeedRecord, org: str, org_type: int) -> ET.Element:
    cat = data.cat
    codes = cat.languages.codes
    site = cat.site
    need_currency = record.budget.currency
    root = ET.Element("iati-activity", {
        "last-updated-datetime": f"{_iso(record.last_reviewed)}T00:00:00Z", XML_LANG: cat.languages.default.code,
        "default-currency": need_currency, "hierarchy": "1"})
    ET.SubElement(root, "iati-identifier").text = f"{org}-{record.id}"
    _text(root, "reporting-org", data.maker.t(site.office.name), ref=org, type=str(org_type))
    _text(root, "title", record.title)
    _text(root, "description", record.summary, type="1")
    _text(root, "description", _joined(record.objectives, codes), type="2")
    if record.beneficiaries.description:
        _text(root, "description", record.beneficiaries.description, type="3")
    _text(root, "participating-org", record.owner or record.proposer, role="4")
    ET.SubElement(root, "activity-status", code=str(record.status.iati or 1))
    start, end = planned(record)
    ET.SubElement(root, "activity-date", type=PLANNED_START, **{"iso-date": _iso(start)})
    ET.SubElement(root, "activity-date", type=PLANNED_END, **{"iso-date": _iso(end)})
    contact = ET.SubElement(root, "contact-info", type="1")
    _text(contact, "organisation", record.proposer)
    _text(contact, "person-name", {code: record.contact.name for code in codes[:1]})
    _text(contact, "job-title", record.contact.role)
    if record.contact.phone:
        ET.SubElement(contact, "telephone").text = record.contact.phone
    ET.SubElement(contact, "email").text = record.contact.email
    ET.SubElement(root, "recipient-country", code=COUNTRY, percentage="100")
    for place in record.locations:
        loc = ET.SubElement(root, "location", ref=f"{COUNTRY}-ADM-{place.code}")
        ET.SubElement(loc, "location-reach", code="1")
        _text(loc, "name", place.name)
        former = {code: ", ".join(p[code] for p in (place.former_district or {}, place.former_province or {})
                                  if code in p) for code in codes}
        former = {code: text for code, text in former.items() if text}
        if former:
            _text(loc, "description", former)
        if place.lat is not None and place.lon is not None:
            point = ET.SubElement(loc, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
            ET.SubElement(point, "pos").text = f"{place.lat} {place.lon}"
        ET.SubElement(loc, "exactness", code="2")
        ET.SubElement(loc, "feature-designation", code="ADM2")
    dac = list(dict.fromkeys(s.dac[0] for s in record.sectors if s.dac))
    for code, pct in zip(dac, shares(len(dac)) if dac else [], strict=True):
        ET.SubElement(root, "sector", vocabulary="1", code=str(code), percentage=str(pct))
    for sector, pct in zip(record.sectors, shares(len(record.sectors)), strict=True):
        _text(root, "sector", sector.name, vocabulary="99", code=str(sector.id), percentage=str(pct))
    for goal in record.sdgs:
        _text(root, "tag", goal.name, vocabulary="2", code=str(goal.id))
    for key, code in POLICY_MARKERS.items():
        significance = record.policy_markers.get(key, 0)
        if significance:
            ET.SubElement(root, "policy-marker", vocabulary="1", code=str(code), significance=str(significance))
    for first, last, amount in yearly(record.budget.total, start, record.duration_months, need_currency):
        budget = ET.SubElement(root, "budget", type="1", status="1")
        ET.SubElement(budget, "period-start", **{"iso-date": _iso(first)})
        ET.SubElement(budget, "period-end", **{"iso-date": _iso(last)})
        ET.SubElement(budget, "value", currency=need_currency, **{"value-date": _iso(first)}).text = repr(amount)
    if data.site_url:
        for code, url in record.brief.items():
            link = ET.SubElement(root, "document-link", format="application/pdf", url=url)
            _text(link, "title", {code: record.title.get(code, "")})
            ET.SubElement(link, "category", code="A02")
            ET.SubElement(link, "language", code=code)
            ET.SubElement(link, "document-date", **{"iso-date": _iso(record.last_reviewed)})
    return root


def activities(data: Data) -> ET.Element:
    cat: Catalogue = data.cat
    settings = cat.site.open_data
    if settings is None:
        raise ValueError("site.yaml has no open_data.iati_org: the IATI file needs the office's IATI identifier")
    root = ET.Element("iati-activities", {"version": IATI_VERSION,
                                          "generated-datetime": f"{_iso(sources_date(cat))}T00:00:00Z"})
    root.append(ET.Comment(f" {licence_of(cat).name}: {licence_of(cat).url} "))
    for record in data.need_records:
        root.append(activity(data, record, settings.iati_org, settings.iati_org_type))
    return root


def iati_xml(data: Data) -> bytes:
    root = activities(data)
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"

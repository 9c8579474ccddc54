"""What a public reader sees of an entry, in one language: computed once, read by every output.

The site's pages (``templates/site/``), the print documents (``templates/pdf/``) and any later
output show an entry through its view, never by working things out from the model themselves:

- **places**: each location as today's commune, the village detail, the "formerly in …" phrase
  (:func:`aidcatalog.render.formerly`) and the full place line; and the locations grouped by the
  former unit they were part of, as one line (``Xã A, Xã B (trước đây thuộc …); Xã C (…)``);
- **money** in its own currency and ≈ the other one (:class:`MoneyView`), the budget rows and
  shares, and **totals** over a list of needs (:meth:`Views.totals`: the home page, the print
  catalogues' covers and sector pages);
- **readiness** and **policy markers** as lists of (label, value) items, one per field of the model;
- **URLs**: the entry's page, its brief PDF, the related entries.

A view copies what a public reader sees, field by field: a part of the model that is not
copied here (internal notes, say) cannot reach a page or a PDF through it.

``Views(cat, lang)`` makes the views of one catalogue and language, each once, on demand.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import fmt, languages
from .catalogue import Catalogue
from .labels import t
from .model import (
    Beneficiaries,
    Contact,
    Document,
    Donor,
    Location,
    Narrative,
    Need,
    Outcome,
    Period,
    Photo,
    PolicyMarkers,
    Quote,
    Readiness,
    Result,
    ShortText,
    Story,
    Term,
    Text,
)
from .render import formerly, tr

READINESS = tuple(Readiness.model_fields)
"""The readiness fields, in the model's order: each is one item of :attr:`NeedView.readiness`."""
MARKERS = tuple(PolicyMarkers.model_fields)
"""The policy markers, in the model's order."""


class Item(NamedTuple):
    """One line of a list of facts: ``(label, value)``, and whether it holds (a ticked box)."""

    label: str
    value: str
    on: bool = True


@dataclass(frozen=True)
class PlaceView:
    """One location: today's commune or ward, the village, and what it was part of before 1 July 2025."""

    id: str
    """The commune's id (its page is ``places/<id>/``)."""
    name: str
    """Today's commune or ward: ``Xã Pà Cò``."""
    detail: str
    """The village, hamlet or facility; empty when not given."""
    former: str
    """``trước đây thuộc huyện Mai Châu, tỉnh Hòa Bình``; empty when the gazetteer does not say."""
    district: str
    """The former district alone, for short lines (cards)."""

    @property
    def label(self) -> str:
        """The commune, with the village when given: ``Xã Pà Cò (bản Pà Cò Con)``."""
        return f"{self.name} ({self.detail})" if self.detail else self.name

    @property
    def line(self) -> str:
        """The full place line: ``Xã Pà Cò (bản Pà Cò Con) (trước đây thuộc huyện Mai Châu, tỉnh Hòa Bình)``."""
        return f"{self.label} ({self.former})" if self.former else self.label


@dataclass(frozen=True)
class PlaceGroup:
    """Locations that were part of the same former unit, in the order given."""

    places: tuple[PlaceView, ...]
    former: str

    @property
    def communes(self) -> str:
        return ", ".join(p.label for p in self.places)

    @property
    def line(self) -> str:
        return f"{self.communes} ({self.former})" if self.former else self.communes


@dataclass(frozen=True)
class Places:
    """Where an entry takes place: each location, the locations by former unit, and the whole line."""

    each: tuple[PlaceView, ...]
    groups: tuple[PlaceGroup, ...]

    @property
    def first(self) -> PlaceView:
        return self.each[0]

    @property
    def more(self) -> int:
        """How many locations besides the first (``Xã Pà Cò +2`` on cards)."""
        return len(self.each) - 1

    @property
    def line(self) -> str:
        """``Xã A, Xã B (trước đây thuộc …); Xã C (trước đây thuộc …)``: what the site and the PDFs print."""
        return "; ".join(g.line for g in self.groups)


@dataclass(frozen=True)
class MoneyView:
    """An amount in its currency and ≈ the other one, as text, with the raw numbers."""

    amount: float
    currency: str
    text: str
    """In its own currency: ``250.000.000 ₫`` / ``VND 250,000,000``."""
    approx: str
    """≈ the other currency, rounded: ``≈ US$9,000``."""
    usd: float
    vnd: float

    @property
    def usd_text(self) -> str:
        """``≈ US$9,000`` for another currency; empty when the amount is in US$ already (``text`` says it)."""
        return "" if self.currency == "USD" else self.approx


@dataclass(frozen=True)
class FundingView:
    """How much of a need's request is committed, from its public ``funding`` list (:mod:`aidcatalog.funding`)."""

    committed: MoneyView
    """Committed or disbursed, in the budget's currency."""
    disbursed: MoneyView
    sought: MoneyView
    """Still sought: requested minus committed (never below zero)."""
    share: int
    """Percent of the request committed, rounded down: the bar's length."""
    text: str
    """``US$150,000 of US$310,000 committed``."""
    sought_text: str
    """``Still sought: US$160,000``; empty once nothing is missing."""

    @property
    def shown(self) -> bool:
        """Whether there is anything to show: some money committed."""
        return self.committed.amount > 0


@dataclass(frozen=True)
class BudgetRow:
    """One row of the print budget table."""

    label: str
    amount: str
    other: str
    share: str
    total: bool = False


@dataclass(frozen=True)
class Totals:
    """What a list of needs seeks from donors, and where."""

    needs: int
    communes: int
    """Distinct communes and wards the needs take place in."""
    sought: MoneyView
    """The money still sought from donors, in VND (≈ US$): what was requested, less what donors have
    committed (:func:`aidcatalog.funding.of`, ``gap``). A project under way seeks nothing more."""
    compact: str
    """The money sought in VND, short: ``12,4 tỷ ₫`` / ``VND 12.4 billion``."""
    headline: str
    """The money sought, short, in the reader's currency: VND in Vietnamese, US$ in English."""


@dataclass(frozen=True)
class NeedView:
    """One need as a public reader sees it, in one language."""

    id: str
    lang: str
    title: Text
    summary: Text
    status: Term
    sectors: tuple[Term, ...]
    themes: tuple[Term, ...]
    sdgs: tuple[Term, ...]
    modality: Term
    places: Places
    context: Text
    objectives: tuple[Text, ...]
    activities: tuple[Text, ...]
    expected_results: tuple[Result, ...]
    beneficiaries: Beneficiaries
    beneficiary_groups: tuple[Term, ...]
    total: MoneyView
    requested: MoneyView
    requested_share: str
    """The share of the total cost requested: ``74%``."""
    counterpart: MoneyView | None
    """Cash and in kind together; None when there is none."""
    counterpart_cash: MoneyView | None
    counterpart_in_kind: MoneyView | None
    counterpart_source: str
    funding: FundingView
    budget_rows: tuple[BudgetRow, ...]
    other_currency: str
    """The currency the budget is also shown in (≈): ``USD`` for a VND budget, else ``VND``."""
    rate_note: str
    duration_months: int
    planned_start: dt.date | None
    proposer: ShortText
    owner: ShortText | None
    contact: Contact
    readiness: tuple[Item, ...]
    markers: tuple[Item, ...]
    """The policy markers that apply (significance 1 or 2), as (name, significance)."""
    photos: tuple[Photo, ...]
    documents: tuple[Document, ...]
    related_needs: tuple[str, ...]
    """Ids of the published needs it names."""
    related_stories: tuple[str, ...]
    """Ids of the published model projects it names, then of those that name it to scale up."""
    featured: bool
    last_reviewed: dt.date
    standing: str
    """``open`` (still seeks money: :meth:`Catalogue.is_open`), ``paused`` (IATI 6, suspended: not
    advertised) or ``funded`` (funded or under way)."""
    stale: str
    """Why an open need is shown as being updated: ``start-passed``, ``review-due``; empty when current."""
    page: str
    """Its page, relative to the language's root: ``needs/<id>/``."""
    brief: str
    """Its brief PDF, relative to the site's root: ``pdf/<lang>/briefs/<id>.pdf``."""
    url: str
    """Its page, in full (empty when the views were made without the site's address)."""

    @property
    def sector(self) -> Term:
        return self.sectors[0]

    @property
    def open(self) -> bool:
        return self.standing == "open"

    @property
    def counted(self) -> bool:
        """In the headline figures: open, and neither past its planned start nor overdue for review."""
        return self.open and not self.stale

    @property
    def fully_funded(self) -> bool:
        """Donors have committed the whole request: nothing is sought any more (``funding.sought`` is 0)."""
        return self.funding.shown and self.funding.sought.amount <= 0


@dataclass(frozen=True)
class StoryView:
    """One model project as a public reader sees it, in one language."""

    id: str
    lang: str
    title: Text
    summary: Text
    sectors: tuple[Term, ...]
    themes: tuple[Term, ...]
    sdgs: tuple[Term, ...]
    places: Places
    story: Narrative
    donors: tuple[Donor, ...]
    local_partner: ShortText
    period: Period
    value: MoneyView
    results: tuple[Outcome, ...]
    beneficiaries_reached: int
    quotes: tuple[Quote, ...]
    photos: tuple[Photo, ...]
    lessons: tuple[Text, ...]
    scale_up_needs: tuple[str, ...]
    """Ids of the published needs that would scale it up."""
    featured: bool
    last_reviewed: dt.date
    page: str
    """Its page, relative to the language's root: ``stories/<id>/``."""

    @property
    def sector(self) -> Term:
        return self.sectors[0]


def money(amount: float, currency: str, lang: str, usd_to_vnd: float) -> MoneyView:
    return MoneyView(
        amount=amount, currency=currency,
        text=fmt.money(amount, currency, lang), approx=fmt.approx(amount, currency, lang, usd_to_vnd),
        usd=fmt.convert(amount, currency, "USD", usd_to_vnd), vnd=fmt.convert(amount, currency, "VND", usd_to_vnd),
    )


PAUSED_IATI = 6
"""IATI ActivityStatus 6, suspended: a status with this code is on hold and not advertised."""


def standing(cat: Catalogue, need: Need) -> str:
    """``open`` (the statuses vocabulary marks it ``open``), ``paused`` (IATI 6) or ``funded``."""
    if cat.is_open(need):
        return "open"
    term = cat.vocab.get("statuses", {}).get(need.status)
    return "paused" if term is not None and term.iati == PAUSED_IATI else "funded"


def build_day() -> dt.date:
    """The day the output is dated (``SOURCE_DATE_EPOCH``, set by every build), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else dt.date.today()


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def staleness(cat: Catalogue, need: Need, today: dt.date) -> str:
    """Why an open need is being updated: its planned start has passed, or its review is older than
    ``review_after_months`` (``site.yaml``); empty when it is current or not open."""
    if not cat.is_open(need):
        return ""
    if need.planned_start and need.planned_start < today:
        return "start-passed"
    if add_months(need.last_reviewed, cat.site.review_after_months) < today:
        return "review-due"
    return ""


def page_url(site_url: str, lang: str, path: str) -> str:
    """A page in full: ``{site_url}/needs/<id>/`` (Vietnamese) or ``{site_url}/en/needs/<id>/``."""
    base = site_url.rstrip("/") + "/"
    return f"{base}{languages.active().prefix(lang)}{path}"


class Views:
    """The views of one catalogue's entries in one language, each made once, when first asked for.

    ``site_url`` (the site's address) gives the full URLs print documents show; pages link relatively.
    """

    def __init__(self, cat: Catalogue, lang: str, site_url: str = ""):
        self.cat = cat
        self.lang = lang
        self.site_url = site_url
        self.rate = cat.site.usd_to_vnd
        self.today = build_day()
        self._needs: dict[str, NeedView] = {}
        self._stories: dict[str, StoryView] = {}
        self._places: dict[tuple[str, str], PlaceView] = {}
        self._scaling: dict[str, list[str]] | None = None

    # --- entries --------------------------------------------------------------------------

    def need(self, need: Need | str) -> NeedView:
        ident = need if isinstance(need, str) else need.id
        if ident not in self._needs:
            self._needs[ident] = self._need(self.cat.needs[ident])
        return self._needs[ident]

    def story(self, story: Story | str) -> StoryView:
        ident = story if isinstance(story, str) else story.id
        if ident not in self._stories:
            self._stories[ident] = self._story(self.cat.stories[ident])
        return self._stories[ident]

    def needs(self, entries: Iterable[Need | str]) -> list[NeedView]:
        return [self.need(e) for e in entries]

    def stories(self, entries: Iterable[Story | str]) -> list[StoryView]:
        return [self.story(e) for e in entries]

    # --- parts ----------------------------------------------------------------------------

    def place(self, commune: str, detail: Text | None = None) -> PlaceView:
        """One commune (with a village, when given) in this language."""
        key = (commune, tr(detail, self.lang))
        if key not in self._places:
            loc = self.cat.localities[commune]
            self._places[key] = PlaceView(
                id=loc.id, name=tr(loc.name, self.lang), detail=key[1], former=formerly(loc, self.lang),
                district=tr(loc.former.district, self.lang) if loc.former else "",
            )
        return self._places[key]

    def places(self, locations: Iterable[Location]) -> Places:
        each = tuple(self.place(loc.commune, loc.detail) for loc in locations)
        groups: dict[str, list[PlaceView]] = {}
        for place in each:
            groups.setdefault(place.former, []).append(place)
        return Places(each, tuple(PlaceGroup(tuple(p), former) for former, p in groups.items()))

    def money(self, amount: float, currency: str) -> MoneyView:
        return money(amount, currency, self.lang, self.rate)

    def totals(self, needs: Iterable[Need | NeedView]) -> Totals:
        """The money ``needs`` still seek from donors and the communes they are in: one sum for every output."""
        from . import funding

        chosen = [self.cat.needs[n.id] for n in needs]
        rate, lang = self.rate, self.lang
        gaps = [(float(funding.of(n, rate).gap), n.budget.currency) for n in chosen]
        vnd = sum(fmt.convert(amount, currency, "VND", rate) for amount, currency in gaps)
        usd = sum(fmt.convert(amount, currency, "USD", rate) for amount, currency in gaps)
        sought = MoneyView(vnd, "VND", fmt.money(vnd, "VND", lang), fmt.approx(vnd, "VND", lang, rate), usd, vnd)
        return Totals(
            needs=len(chosen),
            communes=len({loc.commune for n in chosen for loc in n.locations}),
            sought=sought,
            compact=fmt.compact_money(vnd, "VND", lang),
            headline=fmt.compact_money(vnd, "VND", lang) if fmt.reader_currency(lang) == "VND"
            else fmt.compact_money(usd, "USD", lang),
        )

    def counted(self, needs: Iterable[Need | NeedView]) -> list[NeedView]:
        """The needs the headline figures count: open and current (:attr:`NeedView.counted`)."""
        return [v for v in (self.need(n.id) for n in needs) if v.counted]

    def by_standing(self, needs: Iterable[Need | NeedView]) -> dict[str, list[NeedView]]:
        """``{"open": [...], "funded": [...], "paused": [...]}``, each in the order given."""
        out: dict[str, list[NeedView]] = {"open": [], "funded": [], "paused": []}
        for n in needs:
            view = self.need(n.id)
            out[view.standing].append(view)
        return out

    def terms(self, vocabulary: str, keys: Iterable[Any]) -> tuple[Term, ...]:
        return tuple(self.cat.vocab[vocabulary][k] for k in keys)

    def rate_note(self) -> str:
        return t("approx_note", self.lang, rate=fmt.number(self.rate, self.lang))

    def url(self, path: str) -> str:
        return page_url(self.site_url, self.lang, path) if self.site_url else ""

    # --- making the views ---------------------------------------------------------------------

    def _published_needs(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(i for i in ids if i in self.cat.needs)

    def _stories_for(self, need_id: str) -> list[str]:
        if self._scaling is None:
            self._scaling = {}
            for story in self.cat.stories.values():
                for ident in story.scale_up_needs:
                    self._scaling.setdefault(ident, []).append(story.id)
        return self._scaling.get(need_id, [])

    def _need(self, need: Need) -> NeedView:
        from .pdf import brief_path  # pdf reads the views: imported when first needed

        lang, b = self.lang, need.budget
        cp = b.counterpart
        named = [i for i in need.related_stories if i in self.cat.stories]
        page = f"needs/{need.id}/"
        return NeedView(
            id=need.id, lang=lang, title=need.title, summary=need.summary,
            status=self.cat.term("statuses", need.status),
            sectors=self.terms("sectors", need.sectors), themes=self.terms("themes", need.themes),
            sdgs=self.terms("sdgs", need.sdgs), modality=self.cat.term("modalities", need.modality),
            places=self.places(need.locations),
            context=need.context, objectives=tuple(need.objectives), activities=tuple(need.activities),
            expected_results=tuple(need.expected_results),
            beneficiaries=need.beneficiaries,
            beneficiary_groups=self.terms("beneficiary_groups", need.beneficiaries.groups),
            total=self.money(b.total, b.currency), requested=self.money(b.requested, b.currency),
            requested_share=fmt.percent(b.requested / b.total * 100, lang),
            counterpart=self.money(cp.cash + cp.in_kind, b.currency) if cp and (cp.cash or cp.in_kind) else None,
            counterpart_cash=self.money(cp.cash, b.currency) if cp and cp.cash else None,
            counterpart_in_kind=self.money(cp.in_kind, b.currency) if cp and cp.in_kind else None,
            counterpart_source=tr(cp.source, lang) if cp else "",
            funding=self._funding(need),
            budget_rows=self._budget_rows(need),
            other_currency="USD" if b.currency == "VND" else "VND",
            rate_note=self.rate_note(),
            duration_months=need.duration_months, planned_start=need.planned_start,
            proposer=need.proposer, owner=need.owner, contact=need.contact,
            readiness=self._readiness(need.readiness), markers=self._markers(need.policy_markers),
            photos=tuple(need.photos), documents=tuple(need.documents),
            related_needs=self._published_needs(need.related_needs),
            related_stories=tuple(named + [s for s in self._stories_for(need.id) if s not in named]),
            featured=need.featured, last_reviewed=need.last_reviewed,
            standing=standing(self.cat, need), stale=staleness(self.cat, need, self.today),
            page=page, brief=str(brief_path(lang, need.id)), url=self.url(page),
        )

    def _story(self, story: Story) -> StoryView:
        return StoryView(
            id=story.id, lang=self.lang, title=story.title, summary=story.summary,
            sectors=self.terms("sectors", story.sectors), themes=self.terms("themes", story.themes),
            sdgs=self.terms("sdgs", story.sdgs), places=self.places(story.locations), story=story.story,
            donors=tuple(story.donors), local_partner=story.local_partner, period=story.period,
            value=self.money(story.value.amount, story.value.currency), results=tuple(story.results),
            beneficiaries_reached=story.beneficiaries_reached, quotes=tuple(story.quotes),
            photos=tuple(story.photos), lessons=tuple(story.lessons),
            scale_up_needs=self._published_needs(story.scale_up_needs),
            featured=story.featured, last_reviewed=story.last_reviewed, page=f"stories/{story.id}/",
        )

    def _funding(self, need: Need) -> FundingView:
        from . import funding

        found, currency, lang = funding.of(need, self.rate), need.budget.currency, self.lang
        committed = self.money(float(found.committed), currency)
        sought = self.money(float(found.gap), currency)
        return FundingView(
            committed=committed, disbursed=self.money(float(found.disbursed), currency), sought=sought,
            share=found.share,
            text=t("funding.progress", lang, committed=committed.text, requested=fmt.money(need.budget.requested,
                                                                                            currency, lang)),
            sought_text=t("funding.sought", lang, amount=sought.text) if found.gap else "",
        )

    def _budget_rows(self, need: Need) -> tuple[BudgetRow, ...]:
        b, lang, rate = need.budget, self.lang, self.rate

        def row(key: str, amount: float, total: bool = False) -> BudgetRow:
            return BudgetRow(t(key, lang), fmt.money(amount, b.currency, lang), fmt.approx(amount, b.currency, lang, rate),
                             fmt.percent(round(100 * amount / b.total), lang), total)

        from . import funding

        donors = "pdf.donor_funding" if funding.of(need, rate).committed else "requested"  # under way: not "requested"
        rows = [row("total", b.total, total=True), row(donors, b.requested)]
        if b.counterpart is not None:
            if b.counterpart.cash:
                rows.append(row("counterpart_cash", b.counterpart.cash))
            if b.counterpart.in_kind:
                rows.append(row("counterpart_in_kind", b.counterpart.in_kind))
        return tuple(rows)

    def _readiness(self, readiness: Readiness) -> tuple[Item, ...]:
        lang = self.lang
        return tuple(
            Item(t(f"readiness.{key}", lang), t("yes" if done else "no", lang), done)
            for key in READINESS
            for done in (bool(getattr(readiness, key)),)
        )

    def _markers(self, markers: PolicyMarkers) -> tuple[Item, ...]:
        lang = self.lang
        return tuple(
            Item(t(f"site.marker.{key}", lang), t(f"marker.{level}", lang))
            for key in MARKERS
            if (level := getattr(markers, key))
        )

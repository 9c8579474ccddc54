"""Choosing needs for a tailored catalogue: filters, partner profiles and their checks.

A filter is a set of values per dimension. Within one dimension the values are alternatives
(``--sector health --sector education``: either); across dimensions all must hold (a health
need *and* in Yên Lập). A place matches a need when it is one of the need's communes, or the
former district or province a commune was part of before 1 July 2025.

The budget range applies to the amount **requested** from donors (what a partner would fund),
converted at the catalogue's indicative rate ``site.usd_to_vnd`` when the currencies differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from . import fmt
from .catalogue import Catalogue
from .labels import t
from .languages import plain
from .model import Need, Partner, Story
from .render import tr
from .text import closest

Currency = Literal["VND", "USD"]


@dataclass(frozen=True)
class Filters:
    """What a reader asked for; an empty dimension does not filter."""

    sectors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    """Commune ids, or ids of former districts and provinces (``yen-lap-district``, ``hoa-binh``)."""
    statuses: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()
    min_budget: float | None = None
    max_budget: float | None = None
    currency: Currency = "USD"
    """Currency of ``min_budget`` and ``max_budget``."""

    @property
    def empty(self) -> bool:
        return not (self.sectors or self.themes or self.places or self.statuses or self.sdgs or self.ids
                    or self.min_budget is not None or self.max_budget is not None)

    def describe(self, cat: Catalogue, lang: str) -> str:
        """The filters in words, for messages: ``Lĩnh vực: Y tế; Địa bàn: Yên Lập``."""
        parts = []

        def names(vocabulary: str, values: Iterable[object]) -> str:
            return ", ".join(
                plain(tr(term.name, lang)) if (term := cat.vocab[vocabulary].get(v)) else str(v) for v in values
            )

        if self.ids:
            parts.append(f"{t('need', lang)}: {', '.join(self.ids)}")
        if self.sectors:
            parts.append(f"{t('sectors', lang)}: {names('sectors', self.sectors)}")
        if self.themes:
            parts.append(f"{t('themes', lang)}: {names('themes', self.themes)}")
        if self.places:
            parts.append(f"{t('places', lang)}: {', '.join(place_name(cat, p, lang) for p in self.places)}")
        if self.statuses:
            parts.append(f"{t('status', lang)}: {names('statuses', self.statuses)}")
        if self.sdgs:
            parts.append(f"SDG: {', '.join(str(s) for s in self.sdgs)}")
        if self.min_budget is not None or self.max_budget is not None:
            low = fmt.money(self.min_budget or 0, self.currency, lang)
            high = fmt.money(self.max_budget, self.currency, lang) if self.max_budget is not None else "…"
            parts.append(f"{t('requested', lang)}: {low} – {high}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Unknown:
    """A value that names nothing in the catalogue (a usage error), with the closest one."""

    option: str
    value: str
    suggestion: str | None = None
    status: Any = None
    """The status of an entry that exists but is not published (a draft, a withdrawn need): a Term."""

    def message(self, lang: str) -> str:
        if self.status is not None:
            return f"{self.option}: " + t("pdf.unpublished", lang, value=self.value, status=tr(self.status.name, lang))
        text = t("pdf.unknown", lang, option=self.option, value=self.value)
        if self.suggestion:
            text += t("pdf.did_you_mean", lang, value=self.suggestion)
        return text


@dataclass
class Selection:
    """The needs and model projects of one tailored catalogue."""

    needs: list[Need]
    stories: list[Story] = field(default_factory=list)


def place_name(cat: Catalogue, place: str, lang: str) -> str:
    """A commune, former district or former province id, in words."""
    if place in cat.localities:
        name = cat.localities[place].name
        return tr(name, lang)
    for loc in cat.localities.values():
        if loc.former is None:
            continue
        for unit in (loc.former.district, loc.former.province):
            if unit.id == place:
                return tr(unit, lang)
    return place


def check(cat: Catalogue, filters: Filters, partner: str | None = None, brief: str | None = None) -> list[Unknown]:
    """Every value that names nothing, so the command can stop before rendering."""
    wrong: list[Unknown] = []

    def look(option: str, values: Iterable[object], known: Iterable[object]) -> None:
        known = [str(k) for k in known]
        for value in values:
            if str(value) in cat.unpublished and option in ("--id", "--brief"):
                status = cat.vocab["statuses"].get(cat.unpublished[str(value)])
                wrong.append(Unknown(option, str(value), status=status))
            elif str(value) not in known:
                wrong.append(Unknown(option, str(value), closest(value, known)))

    look("--sector", filters.sectors, cat.vocab["sectors"])
    look("--theme", filters.themes, cat.vocab["themes"])
    look("--status", filters.statuses, cat.vocab["statuses"])
    look("--sdg", filters.sdgs, cat.vocab["sdgs"])
    look("--place", filters.places, sorted(cat.places()))
    look("--id", filters.ids, cat.needs)
    if partner is not None:
        look("--partner", [partner], cat.partners)
    if brief is not None:
        look("--brief", [brief], cat.needs)
    return wrong


def partner_filters(partner: Partner) -> Filters:
    """A partner profile as filters (its sectors, themes, places and budget range)."""
    budget = partner.budget
    return Filters(
        sectors=tuple(partner.sectors), themes=tuple(partner.themes), places=tuple(partner.places),
        min_budget=budget.min if budget and budget.min else None,
        max_budget=budget.max if budget else None,
        currency=budget.currency if budget else "USD",
    )


def matches(cat: Catalogue, need: Need, filters: Filters) -> bool:
    """Whether one need passes every filter."""
    if filters.ids and need.id not in filters.ids:
        return False
    if filters.sectors and not set(need.sectors) & set(filters.sectors):
        return False
    if filters.themes and not set(need.themes) & set(filters.themes):
        return False
    if filters.statuses and need.status not in filters.statuses:
        return False
    if filters.sdgs and not set(need.sdgs) & set(filters.sdgs):
        return False
    if filters.places:
        communes = {loc.commune for loc in need.locations}
        wanted = set()
        for place in filters.places:
            wanted |= cat.former.get(place, {place})
        if not communes & wanted:
            return False
    if filters.min_budget is not None or filters.max_budget is not None:
        requested = fmt.convert(need.budget.requested, need.budget.currency, filters.currency, cat.site.usd_to_vnd)
        if filters.min_budget is not None and requested < filters.min_budget:
            return False
        if filters.max_budget is not None and requested > filters.max_budget:
            return False
    return True


def select(cat: Catalogue, filters: Filters) -> Selection:
    """The published needs that pass the filters, in print order (sectors as listed in sectors.yaml), and
    their model projects.

    A model project comes along when one of the chosen needs names it (``related_stories``),
    when it names one of them (``scale_up_needs``), or when it shares a sector asked for.
    Without any filter, every published need and model project is chosen.
    """
    rank = {sector: i for i, sector in enumerate(cat.vocab["sectors"])}
    needs = sorted((n for n in cat.needs.values() if matches(cat, n, filters)),
                   key=lambda n: rank.get(n.sectors[0], len(rank)))  # stable: the catalogue's order within
    if filters.empty:
        return Selection(needs, list(cat.stories.values()))
    chosen = {n.id for n in needs}
    linked = {s for n in needs for s in n.related_stories}
    stories = [
        s for s in cat.stories.values()
        if s.id in linked or chosen & set(s.scale_up_needs) or set(s.sectors) & set(filters.sectors)
    ]
    return Selection(needs, stories if needs else [])


@dataclass(frozen=True)
class Outside:
    """A need outside a partner's registration (Decree 58/2022/NĐ-CP: a partner works only in the
    provinces and sectors written on it)."""

    need: Need
    sector: bool
    """Its main sector is not on the registration."""
    province: bool
    """One of its communes is in no province on the registration."""

    def why(self, cat: Catalogue, lang: str) -> str:
        parts = []
        if self.sector:
            name = plain(tr(cat.term("sectors", self.need.sectors[0]).name, lang))
            parts.append(t("pdf.outside_sector", lang, sectors=name))
        if self.province:
            parts.append(t("pdf.outside_province", lang))
        return "; ".join(parts)


def outside_registration(cat: Catalogue, partner: Partner, needs: Iterable[Need]) -> list[Outside]:
    """The needs a partner's registration does not cover: main sector not registered, or a commune in no
    registered province (today's province, ``site.province_id``, covers every commune; a former province
    covers its own). Empty when the partner has no registration recorded (the caller warns about that)."""
    reg = partner.registration
    if reg is None:
        return []
    provinces = set(reg.provinces)
    everywhere = cat.site.province_id is not None and cat.site.province_id in provinces
    found = []
    for need in needs:
        sector = need.sectors[0] not in reg.sectors
        formers = [cat.localities[loc.commune].former for loc in need.locations]
        province = not everywhere and not all(f is not None and f.province.id in provinces for f in formers)
        if sector or province:
            found.append(Outside(need, sector, province))
    return found

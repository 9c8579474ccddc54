"""Money given to a need, added up exactly: what is committed, disbursed, pledged, and what is still sought.

Amounts are written as numbers in YAML; here they become :class:`~decimal.Decimal` values and are
never mixed across currencies without the catalogue's indicative rate (``site.usd_to_vnd``). Sums
and comparisons are made in đồng, where converting from dollars is an exact multiplication;
figures in dollars are then rounded to the cent, once, for display.

``committed`` counts the contributions at stage ``committed`` or ``disbursed`` (money paid out was
committed first); pledges are shown to staff but never counted as committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

from .model import COMMITTED_STAGES, Contribution, Need

CENT = Decimal("0.01")


def exact(value: float | int | Decimal) -> Decimal:
    """A written amount as a Decimal: ``150000.0`` → ``150000``, ``0.1`` → ``0.1`` (never the float's binary tail)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def to_vnd(amount: float | Decimal, currency: str, usd_to_vnd: float) -> Decimal:
    """An amount in đồng, exactly (dollars × the indicative rate)."""
    value = exact(amount)
    return value if currency == "VND" else value * exact(usd_to_vnd)


def from_vnd(vnd: Decimal, currency: str, usd_to_vnd: float) -> Decimal:
    """Đồng back into ``currency``: whole đồng, or dollars rounded to the cent."""
    if currency == "VND":
        return vnd.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return (vnd / exact(usd_to_vnd)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def in_currency(amount: float | Decimal, currency: str, target: str, usd_to_vnd: float) -> Decimal:
    """An amount in ``target``: exact when the currencies agree or when converting into đồng."""
    if currency == target:
        return exact(amount)
    return from_vnd(to_vnd(amount, currency, usd_to_vnd), target, usd_to_vnd)


def sum_vnd(items: Iterable[Contribution], usd_to_vnd: float) -> Decimal:
    return sum((to_vnd(c.amount, c.currency, usd_to_vnd) for c in items), Decimal(0))


@dataclass(frozen=True)
class Funding:
    """A need's money, in its budget's currency."""

    currency: str
    requested: Decimal
    committed: Decimal
    """Committed or disbursed contributions."""
    disbursed: Decimal
    pledged: Decimal
    """Pledges not yet committed."""
    gap: Decimal
    """Still sought: requested minus committed, never below zero."""
    share: int
    """Percent of the request committed, rounded down (0–100): a bar shows 100 only when nothing is missing."""
    open_gap: bool
    """Whether anything is still missing, decided in exact đồng."""


def of(need: Need, usd_to_vnd: float) -> Funding:
    """The funding figures of one need."""
    b, rate = need.budget, usd_to_vnd
    requested_vnd = to_vnd(b.requested, b.currency, rate)
    committed_vnd = sum_vnd((c for c in need.funding if c.stage in COMMITTED_STAGES), rate)
    disbursed_vnd = sum_vnd((c for c in need.funding if c.stage == "disbursed"), rate)
    pledged_vnd = sum_vnd((c for c in need.funding if c.stage == "pledged"), rate)
    gap_vnd = max(requested_vnd - committed_vnd, Decimal(0))
    share = min(100, int((committed_vnd * 100 / requested_vnd).to_integral_value(rounding=ROUND_FLOOR)))
    if gap_vnd and share == 100:
        share = 99
    return Funding(
        currency=b.currency, requested=exact(b.requested),
        committed=from_vnd(committed_vnd, b.currency, rate), disbursed=from_vnd(disbursed_vnd, b.currency, rate),
        pledged=from_vnd(pledged_vnd, b.currency, rate), gap=from_vnd(gap_vnd, b.currency, rate),
        share=share, open_gap=gap_vnd > 0,
    )


class Amount:
    """An amount in a message's parameters, written in the reader's language when the message is."""

    def __init__(self, amount: Decimal | float, currency: str):
        self.amount, self.currency = amount, currency

    def localize(self, lang: str) -> str:
        from . import fmt

        return fmt.money(float(self.amount), self.currency, lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Amount) and (self.amount, self.currency) == (other.amount, other.currency)

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __repr__(self) -> str:
        return f"Amount({self.amount!r}, {self.currency!r})"


def funder(contribution: Any, partners: dict[str, Any]) -> str:
    """Who gave: the partner's name, or the organisation as written."""
    if contribution.partner and contribution.partner in partners:
        return partners[contribution.partner].name
    return contribution.organisation or contribution.partner or ""

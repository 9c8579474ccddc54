"""A validated catalogue and its look-ups: what the site, the PDFs and the reports are made from.

Made by :func:`aidcatalog.validate.validate`; the outputs import it from here, not the validator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import languages
from .languages import Languages
from .model import Locality, Need, NeedInternal, Partner, PartnerInternal, Site, Story, Term
from .problems import Problem


@dataclass
class Catalogue:
    """A validated catalogue: what the site, the PDFs and the reports are made from."""

    root: Path
    site: Site
    needs: dict[str, Need]
    """Published needs, by id, in a stable order (first sector, then title)."""
    stories: dict[str, Story]
    """Published model projects, by id."""
    partners: dict[str, Partner]
    vocab: dict[str, dict[Any, Term]]
    localities: dict[str, Locality]
    unpublished: dict[str, str] = field(default_factory=dict)
    """Ids of drafts and withdrawn entries → their status."""
    sources: dict[str, str] = field(default_factory=dict)
    """Entry id → its file, as shown to staff."""
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Entry id → its data as written (drafts included), for reports."""
    former: dict[str, set[str]] = field(default_factory=dict)
    """Former district or province id → the ids of today's communes that were part of it."""
    languages: Languages = languages.DEFAULT
    """The declared languages (``site.yaml``): the first is the default."""

    def places(self) -> set[str]:
        """Every id a place filter may name: communes, former districts, former provinces."""
        return set(self.localities) | set(self.former)

    def is_open(self, need: Need) -> bool:
        """Whether a published need still seeks money: its status is marked ``open`` in statuses.yaml,
        and its committed contributions (``funding``) do not yet cover what it requests."""
        from . import funding

        term = self.vocab.get("statuses", {}).get(need.status)
        return bool(term and term.open) and funding.of(need, self.site.usd_to_vnd).open_gap

    def term(self, vocabulary: str, key: Any) -> Term:
        return self.vocab[vocabulary][key]


@dataclass(frozen=True)
class Internal:
    """The department's internal records (``internal:`` blocks), by entry id: for staff commands only.

    Kept beside the catalogue, never in it: the site, the PDFs and the data files are made from a
    :class:`Catalogue`, which holds no internal record, so they cannot reach one.
    """

    needs: dict[str, NeedInternal] = field(default_factory=dict)
    """Need id → its internal block (drafts included)."""
    partners: dict[str, PartnerInternal] = field(default_factory=dict)


@dataclass
class Report:
    """What validating a catalogue folder gave: the catalogue (None when it has errors) and every problem."""

    catalogue: Catalogue | None
    problems: list[Problem]
    files: int
    internal: Internal = field(default_factory=Internal)
    """The internal records, apart from the catalogue (``aidcatalog report`` reads them)."""

    @property
    def ok(self) -> bool:
        return self.catalogue is not None

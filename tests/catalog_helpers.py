"""Shared helpers for tests that need a writable copy of the shipped catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

from aidcatalog.cli import main

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "catalog"

# A complete, valid need. Tests change one line and know exactly where the problem is.
GOOD_NEED = """\
# Nhu cầu: Trạm y tế thử nghiệm
id: test-health-post
title:
  vi: Nâng cấp trạm y tế xã Đà Bắc
  en: Upgrading the Đà Bắc commune health post
summary:
  vi: Sửa chữa trạm y tế và trang bị thiết bị khám chữa bệnh cơ bản.
  en: Repairs the health post and equips it for basic care.
status: calling
sectors: [health]
themes: [ethnic-minorities]
sdgs: [3]
locations:
  - commune: da-bac
context:
  vi: Trạm y tế xuống cấp, thiếu thiết bị.
  en: The health post is run down and lacks equipment.
objectives:
  - vi: Cải thiện chăm sóc sức khoẻ ban đầu.
    en: Better primary health care.
activities:
  - vi: Sửa chữa nhà trạm.
    en: Repair the building.
beneficiaries:
  groups: [ethnic-minority-households]
  direct: 5000
  women_share: 51
budget:
  total: 2500000000
  currency: VND
  requested: 2000000000
  counterpart:
    cash: 300000000
    in_kind: 200000000
duration_months: 18
planned_start: 2027-04-01
proposer: {vi: UBND xã Đà Bắc, en: Đà Bắc Commune People's Committee}
contact:
  name: Nguyễn Thị Lan
  role: {vi: Trưởng trạm y tế, en: Head of the health post}
  email: tramyte@example.gov.vn
  phone: "+84 218 3800 000"
last_reviewed: 2026-10-01
"""


def validated_example():
    """The example catalogue, validated (it must be valid)."""
    from aidcatalog.validate import validate

    report = validate(CATALOG)
    assert report.catalogue is not None, [p.format() for p in report.problems]
    return report.catalogue


def in_every_language(text, value: str):
    """A text (a model with a field per language) with ``value`` in every language: past the validator."""
    return text.model_copy(update={code: value for code in text.model_dump()})


def copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG, target)
    return target


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err

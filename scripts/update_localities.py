#!/usr/bin/env python3
"""Generate catalog/vocabularies/localities.yaml: the communes and wards of Phú Thọ.

Current units (xã / phường) of Phú Thọ, which absorbed Vĩnh Phúc and Hòa Bình on
1 Jul 2025, come from the installed vietnam-provinces 2025.x. Each unit's former
district and province come from vietnam-provinces 0.6.0, which is pip-downloaded
and read from the wheel without being installed (or from --old-json PATH). A new
unit keeps the code of one of the old wards merged into it, so the lookup goes by
code, then falls back to the name; units that still don't match get
``former: null`` and a warning. Usage: ``update_localities.py [--check] [--out PATH]``.

Next reorganisation: upgrade the pinned vietnam-provinces, rerun, and review the
diff (ids come from short_codename, so renamed units get new ids). If "former"
should describe the units from just before that change, point OLD_VERSION,
OLD_SHA256 and OLD_PROVINCES (and PROVINCE_CODE if it changed) at them. Post-2025
data has no districts, so former_units() and ``former.district`` need reworking.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter
from importlib.metadata import version as pkg_version
from pathlib import Path
from typing import Any

import vietnam_provinces
import yaml

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "catalog/vocabularies/localities.yaml"
PROVINCE_CODE = 25  # Phú Thọ in the 2025 gazetteer
OLD_VERSION = "0.6.0"
OLD_SHA256 = "4b5772870efdcb7c58a64fbdc0e0c9ce497e67017a0c189dff99582ddadb7815"
OLD_MEMBER = "vietnam_provinces/data/nested-divisions.json"
OLD_PROVINCES = {25, 26, 17}  # old codes: Phú Thọ, Vĩnh Phúc, Hòa Bình
UNIT_TYPES = {"xa": "Commune", "phuong": "Ward"}
DISTRICT_TYPES = {"Thành phố": "City", "Thị xã": "Town", "Huyện": "District"}
DISTRICT_PREFIX = re.compile("^(" + "|".join(DISTRICT_TYPES) + ") ")
WARD_PREFIX = re.compile(r"^(Xã|Phường|Thị trấn) ")
OLD_TONE = re.compile(r"(?i)(?<!q)(o(?=[ae])|u(?=y))([aey])([\u0300\u0301\u0303\u0309\u0323])$")

Json = dict[str, Any]
Label = dict[str, str]


def modern(text: str) -> str:
    """NFC, moving old-style tone marks to the modern position (Hoà → Hòa, Thuỷ → Thủy)."""

    def fix(m: re.Match[str]) -> str:
        word = unicodedata.normalize("NFD", m.group(0))
        return unicodedata.normalize("NFC", OLD_TONE.sub(r"\1\3\2", word))

    return re.sub(r"\w+", fix, unicodedata.normalize("NFC", text))


def fold(text: str) -> str:
    """Fold Vietnamese to ASCII (strip diacritics, đ → d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    out = "".join(c for c in text if not unicodedata.combining(c))
    out.encode("ascii")  # raises on anything left unfolded
    return out


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def base(name: str) -> str:
    """Matching key for a unit name: no type prefix, modern spelling, casefolded."""
    return DISTRICT_PREFIX.sub("", WARD_PREFIX.sub("", modern(name))).casefold()


def district_label(name: str) -> Label:
    vi = modern(name)
    if not (m := DISTRICT_PREFIX.match(vi)):
        sys.exit(f"unknown district type in {name!r}: extend DISTRICT_TYPES")
    # English keeps the Vietnamese letters (``Mai Châu district``), as every place name does;
    # the id stays ASCII (from the folded name and the capitalised kind, as before).
    name = vi[m.end():]
    kind = DISTRICT_TYPES[m.group(1)]
    return {"id": slug(f"{name} {kind}"), "vi": vi, "en": f"{name} {kind.lower()}"}


def province_label(name: str) -> Label:
    vi = modern(name).removeprefix("Tỉnh ")
    # '-province' keeps the id apart from the ward that bears the same name (Phường Phú Thọ…).
    return {"id": f"{slug(vi)}-province", "vi": vi, "en": vi}


def load_old(path: Path | None) -> list[Json]:
    if path is not None:
        return json.loads(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary=:all:", f"vietnam-provinces=={OLD_VERSION}", "-d", tmp]
        subprocess.run(cmd, check=True, stdout=sys.stderr)
        wheel = next(Path(tmp).glob("*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != OLD_SHA256:
            sys.exit(f"{wheel.name}: sha256 {digest} != expected {OLD_SHA256}")
        with zipfile.ZipFile(wheel) as zf:
            return json.loads(zf.read(OLD_MEMBER))


def former_units(old: list[Json]) -> tuple[dict[int, Json], dict[str, list[Json]]]:
    """Index old wards of OLD_PROVINCES by code, and wards/districts by name."""
    by_code: dict[int, Json] = {}
    by_name: dict[str, list[Json]] = {}
    for prov in (p for p in old if p["code"] in OLD_PROVINCES):
        plabel = province_label(prov["name"])
        for dist in prov["districts"]:
            former = {"district": district_label(dist["name"]), "province": plabel}
            by_name.setdefault("district:" + base(dist["name"]), []).append(former)
            for ward in dist["wards"]:
                by_code[ward["code"]] = former
                by_name.setdefault(base(ward["name"]), []).append(former)
    return by_code, by_name


def guess(name: str, by_name: dict[str, list[Json]]) -> Json | None:
    """Fallback: the district of a unique same-named old ward, else of a same-named district."""
    for key in (base(name), "district:" + base(name)):
        found = {f["district"]["id"]: f for f in by_name.get(key, [])}
        if len(found) == 1:
            return next(iter(found.values()))
    return None


def build(wards: list[Json], old: list[Json]) -> list[Json]:
    by_code, by_name = former_units(old)
    items: list[Json] = []
    for ward in wards:
        kind = fold(ward["division_type"]).replace(" ", "-")
        if kind not in UNIT_TYPES:
            sys.exit(f"unknown unit type {ward['division_type']!r}: extend UNIT_TYPES")
        vi = modern(ward["name"])
        former = by_code.get(ward["code"])
        if former is None:
            former = guess(vi, by_name)
            how = "matched by name" if former else "no former unit found"
            print(f"warning: {vi} ({ward['code']}) not in old data; {how}", file=sys.stderr)
        en = f"{WARD_PREFIX.sub('', vi)} {UNIT_TYPES[kind]}"  # Pà Cò Commune: diacritics in every language
        items.append({"id": slug(ward["short_codename"]), "code": f"{ward['code']:05d}",
                      "type": kind, "name": {"vi": vi, "en": en}, "former": former})
    counts = Counter(i["id"] for i in items)
    for item in (i for i in items if counts[i["id"]] > 1):
        item["id"] = f"{item['type']}-{item['id']}"
    if len({i["id"] for i in items}) != len(items):
        sys.exit("duplicate ids remain after prefixing: disambiguate them in build()")

    def key(item: Json) -> tuple[str, ...]:
        f = item["former"] or {"province": {"id": "~"}, "district": {"id": "~"}}
        name = fold(WARD_PREFIX.sub("", item["name"]["vi"])).lower()
        return (f["province"]["id"], f["district"]["id"], name, item["code"])

    return sorted(items, key=key)


def scalar(value: str) -> str:
    """Plain YAML scalar if it reads back unchanged, else a double-quoted one."""
    plain = re.fullmatch(r"\w[\w .'()-]*\w|\w", value) and yaml.safe_load(value) == value
    return value if plain else json.dumps(value, ensure_ascii=False)


def flow(label: Label) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in label.items()) + "}"


def generate(old_json: Path | None) -> tuple[str, list[Json]]:
    new = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text("utf-8"))
    prov = next(p for p in new if p["code"] == PROVINCE_CODE)
    province = {k: v for k, v in province_label(prov["name"]).items() if k != "id"}
    items = build(prov["wards"], load_old(old_json))
    data_version = str(vietnam_provinces.__data_version__)
    source = f"vietnam-provinces {pkg_version('vietnam-provinces')} (data {data_version})"
    lines = [
        "# Generated by scripts/update_localities.py — do not edit by hand.",
        f"# Source: {source}; former units from vietnam-provinces {OLD_VERSION}.",
        f"version: {json.dumps(data_version)}",
        f"province: {flow(province)}",
        "items:",
    ]
    for it in items:
        lines += [f"  - id: {scalar(it['id'])}", f'    code: "{it["code"]}"',
                  f"    type: {scalar(it['type'])}", f"    name: {flow(it['name'])}"]
        if it["former"] is None:
            lines.append("    former: null")
        else:
            lines += ["    former:", f"      district: {flow(it['former']['district'])}",
                      f"      province: {flow(it['former']['province'])}"]
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != {"version": data_version, "province": province, "items": items}:
        sys.exit("internal error: emitted YAML does not round-trip")
    return text, items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="file to write/check")
    parser.add_argument("--old-json", type=Path, help=f"nested-divisions.json of {OLD_VERSION}")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out is stale")
    args = parser.parse_args(argv)
    text, items = generate(args.old_json)
    if unmapped := sum(i["former"] is None for i in items):
        print(f"warning: {unmapped} unit(s) with former: null", file=sys.stderr)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current == text:
            return 0
        diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                         str(args.out), "generated", lineterm="", n=1))
        print("\n".join(diff[:40]) + (f"\n... ({len(diff) - 40} more)" if len(diff) > 40 else ""))
        print(f"{args.out} is stale: run scripts/update_localities.py", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(items)} units to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

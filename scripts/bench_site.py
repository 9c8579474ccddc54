"""Site build benchmark: our hooks against the stack's floor, on a synthetic catalogue.

    python scripts/bench_site.py            # 1,000 needs, then 250 and 27 to show the page weight stays flat
    python scripts/bench_site.py --sizes 1000 --keep /tmp/bench

For each size it writes a synthetic catalogue (the repository's vocabularies and site.yaml,
N needs, N/20 model projects) beside a copy of mkdocs.yml, content/, hooks/ and overrides/,
then times two builds of both languages:

- **ours**: ``mkdocs build`` with the catalogue hook (validate, generate the pages, Pagefind);
- **floor**: ``mkdocs build`` of the very same Markdown, copied as ready files into a project
  whose config has no hook: what MkDocs + Material + static-i18n cost on their own.

- **floor + shortcut**: the same floor, whose hook also hands MkDocs the generated pages as the HTML
  they are (what ours does, ``aidcatalog.site.html_body``) instead of letting Python-Markdown parse
  them: ours against it is what the catalogue's own work costs (validating, making the pages,
  Pagefind, data files), MkDocs' work being the same on both sides.

It prints the times, their ratios, the page count, the average page size, and the weight of the
pages that must not grow with the catalogue: a need's page (average and largest) and the
catalogue's first page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "content", "hooks", "overrides")

WORDS_VI = ("nước sạch", "trường học", "trạm y tế", "sinh kế", "phụ nữ", "trẻ em", "đồng bào", "vùng cao",
            "lũ quét", "hợp tác xã", "chè", "bưởi", "người cao tuổi", "khuyết tật", "vệ sinh")
WORDS_EN = ("clean water", "schools", "health station", "livelihoods", "women", "children", "ethnic minority",
            "uplands", "flash floods", "cooperative", "tea", "pomelo", "older people", "disability", "sanitation")


def _items(vocabularies: Path, name: str) -> list[Any]:
    data = yaml.safe_load((vocabularies / f"{name}.yaml").read_text(encoding="utf-8"))
    return [item["id"] for item in data["items"]]


def _text(rng: random.Random, sentences: int) -> dict[str, str]:
    picks = [rng.randrange(len(WORDS_VI)) for _ in range(sentences * 3)]
    vi = " ".join(f"Dự án hỗ trợ {WORDS_VI[a]}, {WORDS_VI[b]} và {WORDS_VI[c]} cho người dân."
                  for a, b, c in zip(picks[::3], picks[1::3], picks[2::3], strict=True))
    en = " ".join(f"The project supports {WORDS_EN[a]}, {WORDS_EN[b]} and {WORDS_EN[c]} for local people."
                  for a, b, c in zip(picks[::3], picks[1::3], picks[2::3], strict=True))
    return {"vi": vi, "en": en}


def _dump(doc: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def synthetic_catalogue(root: Path, needs: int, stories: int | None = None, seed: int = 3) -> Path:
    """Write a valid catalogue of ``needs`` needs (and ``needs // 20`` stories) under ``root``."""
    rng = random.Random(seed)
    stories = max(1, needs // 20) if stories is None else stories
    source = REPO / "catalog"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "vocabularies", root / "vocabularies", dirs_exist_ok=True)
    shutil.copy(source / "site.yaml", root / "site.yaml")
    vocab = root / "vocabularies"
    sectors, themes = _items(vocab, "sectors"), _items(vocab, "themes")
    groups, communes = _items(vocab, "beneficiary_groups"), _items(vocab, "localities")
    statuses = ["calling"] * 6 + ["in-discussion"]  # "committed" would need funding entries
    story_ids = [f"model-{i:04d}" for i in range(stories)]
    need_ids = [f"need-{i:04d}" for i in range(needs)]

    for i, ident in enumerate(need_ids):
        sector = rng.choice(sectors)
        total = rng.randrange(5, 200) * 100_000_000
        requested = total * rng.choice((6, 7, 8)) // 10
        doc = {
            "id": ident,
            "title": {"vi": f"Dự án {WORDS_VI[i % len(WORDS_VI)]} số {i}",
                      "en": f"{WORDS_EN[i % len(WORDS_EN)].capitalize()} project no. {i}"},
            "summary": _text(rng, 2),
            "status": "draft" if i % 50 == 49 else rng.choice(statuses),
            "sectors": [sector],
            "themes": rng.sample(themes, 2),
            "sdgs": sorted(rng.sample(range(1, 18), 3)),
            "locations": [{"commune": rng.choice(communes)}],
            "context": {k: v + "\n\n" + v for k, v in _text(rng, 4).items()},
            "objectives": [_text(rng, 1) for _ in range(3)],
            "activities": [_text(rng, 1) for _ in range(4)],
            "expected_results": [{"indicator": {"vi": "Người hưởng lợi", "en": "People reached"},
                                  "target": rng.randrange(100, 5000), "unit": {"vi": "người", "en": "people"}}],
            "beneficiaries": {"groups": rng.sample(groups, 2), "direct": rng.randrange(100, 5000),
                              "indirect": rng.randrange(1000, 20000), "women_share": 50},
            "budget": {"total": total, "currency": "VND", "requested": requested,
                       "counterpart": {"cash": (total - requested) // 2, "in_kind": (total - requested) // 2}},
            "duration_months": rng.choice((12, 24, 36)),
            "modality": "project",
            "proposer": {"vi": "UBND xã", "en": "Commune People's Committee"},
            "contact": {"name": "Nguyễn Văn An", "role": {"vi": "Chủ tịch UBND xã", "en": "Chairman"},
                        "email": "contact@example.gov.vn", "phone": "+84 210 3000 000"},
            "readiness": {"concept_note": True, "site_available": rng.random() < 0.5},
            "related_stories": rng.sample(story_ids, 1) if stories else [],
            "related_needs": [need_ids[(i + 1) % needs]] if needs > 1 and (i + 1) % 50 != 49 else [],
            "featured": i < 6,
            "last_reviewed": dt.date(2026, 9, 1),
        }
        folder = root / "needs" / sector
        folder.mkdir(parents=True, exist_ok=True)
        _dump(doc, folder / f"{ident}.yaml")

    (root / "stories").mkdir(exist_ok=True)
    for i, ident in enumerate(story_ids):
        doc = {
            "id": ident,
            "title": {"vi": f"Mô hình {WORDS_VI[i % len(WORDS_VI)]} số {i}",
                      "en": f"Model project {i}: {WORDS_EN[i % len(WORDS_EN)]}"},
            "summary": _text(rng, 2),
            "sectors": [rng.choice(sectors)],
            "themes": rng.sample(themes, 1),
            "sdgs": [6],
            "locations": [{"commune": rng.choice(communes)}],
            "story": {"problem": _text(rng, 3), "intervention": _text(rng, 3), "change": _text(rng, 3)},
            "donors": [{"name": "Example Foundation", "country": {"vi": "Nhật Bản", "en": "Japan"}}],
            "local_partner": {"vi": "Hội Phụ nữ tỉnh", "en": "Provincial Women's Union"},
            "period": {"start": dt.date(2021, 1, 1), "end": dt.date(2023, 12, 31)},
            "value": {"amount": 150_000, "currency": "USD"},
            "results": [{"indicator": {"vi": "Hộ có nước sạch", "en": "Households with clean water"},
                         "unit": {"vi": "hộ", "en": "households"}, "baseline": 20, "target": 300, "actual": 320,
                         "year": 2023}],
            "beneficiaries_reached": 1200,
            "scale_up_needs": [need_ids[i]] if i < needs and i % 50 != 49 else [],
            "featured": i < 3,
            "last_reviewed": dt.date(2026, 9, 1),
        }
        _dump(doc, root / "stories" / f"{ident}.yaml")
    return root


def project(dest: Path, needs: int) -> Path:
    """A copy of the site project (config, hand-written pages, hooks, theme) with a synthetic catalogue."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=_ignore_generated(src))
        else:
            shutil.copy(src, dest / part)
    synthetic_catalogue(dest / "catalog", needs)
    return dest


def _ignore_generated(src: Path) -> Any:
    """Leave out what an earlier build generated in content/ (listed in its manifest)."""
    manifest = src / ".generated.json"
    generated = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(src)
        return {n for n in names if (rel / n).as_posix() in generated or n in (".generated.json", "__pycache__")}

    return ignore


def _mkdocs(where: Path, *extra: str) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", AIDCATALOG_PDF="0")  # PDFs: scripts/bench_pdf.py
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *extra], cwd=where, env=env,
                          capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"mkdocs build failed in {where}:\n{done.stdout}\n{done.stderr}")
    return took


FLOOR_HOOK = """\
# The floor's only hook: the theme's words and office, ready-made (no catalogue, no generation).
import json
from pathlib import Path

CHROME = json.loads((Path(__file__).parent / "chrome.json").read_text(encoding="utf-8"))


def on_page_context(context, page, config, nav):
    context["ac"] = CHROME[config.plugins["i18n"].current_language]
    return context


def on_template_context(context, template_name, config):
    context["ac"] = CHROME[config.plugins["i18n"].current_language]
    return context


def on_env(env, config, files):
    env.filters["d_words"] = lambda html: ""  # ours indexes these words; the floor has no search
    return env
"""


SHORTCUT_HOOK = """
# The shortcut ours takes: a generated page is one block of HTML, handed to MkDocs as it is.
from aidcatalog.site import anchor_ids, html_body

GENERATED = set(json.loads((Path(__file__).parent / "generated.json").read_text(encoding="utf-8")))
BODIES = {}


def on_page_markdown(markdown, page, config, files):
    body = html_body(markdown) if page.file.src_uri in GENERATED else None
    if body is None:
        return markdown
    BODIES[page.file.src_uri] = body
    return ""


def on_page_content(html, page, config, files):
    body = BODIES.pop(page.file.src_uri, None)
    if body is None:
        return html
    page.present_anchor_ids = anchor_ids(body)
    return body
"""


def floor_project(ours: Path, dest: Path, shortcut: bool = False) -> Path:
    """The same pages as ready Markdown, in a project without the catalogue hook (and so no search index).

    ``shortcut``: its hook hands the generated pages to MkDocs as HTML, as ours does."""
    from aidcatalog import site
    from aidcatalog.validate import validate

    shutil.copytree(ours / "content", dest / "content", ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copytree(ours / "overrides", dest / "overrides")
    (dest / "hooks").mkdir()
    (dest / "hooks" / "floor.py").write_text(FLOOR_HOOK + (SHORTCUT_HOOK if shortcut else ""), encoding="utf-8")
    shutil.copy(ours / "content" / ".generated.json", dest / "hooks" / "generated.json")
    cat = validate(ours / "catalog").catalogue
    chrome = {lang: site.chrome(cat, lang) for lang in cat.languages.codes}
    (dest / "hooks" / "chrome.json").write_text(json.dumps(chrome, ensure_ascii=False), encoding="utf-8")
    config = (ours / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("hooks/catalog.py", "hooks/floor.py").replace("watch:\n  - catalog\n", "")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def site_stats(site: Path) -> tuple[int, float, int]:
    pages = [p for p in site.rglob("*.html") if p.name == "index.html"]
    total = sum(p.stat().st_size for p in pages)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return len(pages), total / max(1, len(pages)), size


def page_weights(site: Path) -> dict[str, float]:
    """KB of the pages that must not grow with the catalogue: need pages (average, largest), the catalogue."""
    needs = [p.stat().st_size for p in (site / "needs").glob("*/index.html")]
    return {"need_kb": round(sum(needs) / max(1, len(needs)) / 1024, 1), "need_max_kb": round(max(needs) / 1024, 1),
            "catalogue_kb": round((site / "catalogue" / "index.html").stat().st_size / 1024, 1)}


def with_material_search(floor: Path, dest: Path) -> Path:
    """The floor plus Material's own search plugin: what the alternative to Pagefind costs."""
    shutil.copytree(floor, dest, ignore=shutil.ignore_patterns("site"))
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("plugins:\n", "plugins:\n  - search:\n      lang: [vi, en]\n", 1)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def _folded_size(index: Path) -> int:
    """search_index.json once every Vietnamese entry also carries its accent-folded text (what lunr would need)."""
    from aidcatalog.text import fold

    data = json.loads(index.read_text(encoding="utf-8"))
    for doc in data["docs"]:
        if not doc["location"].startswith("en/"):
            doc["text"] += " " + fold(doc["text"])
            doc["title"] += " " + fold(doc["title"])
    return len(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def bench(needs: int, work: Path, repeat: int = 3, search: bool = False) -> dict[str, Any]:
    ours = project(work / "ours", needs)
    cold = _mkdocs(ours)  # first build: every page is written
    floor = floor_project(ours, work / "floor")
    shortcut = floor_project(ours, work / "shortcut", shortcut=True)
    warm, base, short = [], [], []
    for _ in range(repeat):  # interleaved, best of n: the machine is shared, timings are noisy
        base.append(_mkdocs(floor))
        short.append(_mkdocs(shortcut))
        warm.append(_mkdocs(ours))
    pages, average, size = site_stats(ours / "site")
    result = {"needs": needs, "cold_s": round(cold, 2), "ours_s": round(min(warm), 2), "floor_s": round(min(base), 2),
              "ratio": round(min(warm) / min(base), 2), "cold_ratio": round(cold / min(base), 2), "pages": pages,
              "shortcut_s": round(min(short), 2), "hook_ratio": round(min(warm) / min(short), 2),
              "avg_page_kb": round(average / 1024, 1), "site_mb": round(size / 2**20, 1), **page_weights(ours / "site")}
    if search:
        from aidcatalog import search as pagefind

        start = time.perf_counter()
        pagefind.index(ours / "site")
        result["pagefind_s"] = round(time.perf_counter() - start, 2)
        bundle = ours / "site" / "pagefind"
        result["pagefind_mb"] = round(sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()) / 2**20, 2)
        chunks = [p.stat().st_size for p in (bundle / "index").iterdir()]
        result["pagefind_chunk_kb"] = round(max(chunks) / 1024, 1)
        material = with_material_search(floor, work / "material")
        result["material_search_s"] = round(min(_mkdocs(material) for _ in range(repeat)) - min(base), 2)
        index = material / "site" / "search" / "search_index.json"
        result["material_index_mb"] = round(index.stat().st_size / 2**20, 2)
        result["material_folded_mb"] = round(_folded_size(index) / 2**20, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 250, 27], help="catalogue sizes (needs)")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind; the best is kept")
    parser.add_argument("--search", action="store_true", help="also measure Pagefind against Material's search")
    parser.add_argument("--keep", type=Path, help="build here and keep the result (default: a temp dir)")
    args = parser.parse_args(argv)
    for needs in args.sizes:
        with tempfile.TemporaryDirectory(prefix="aidcatalog-bench-") as tmp:
            work = (args.keep / str(needs)) if args.keep else Path(tmp)
            if args.keep and work.exists():
                shutil.rmtree(work)
            r = bench(needs, work, args.repeat, args.search)
        print(f"{r['needs']} needs, {r['pages']} pages (both languages), average page {r['avg_page_kb']} KB, "
              f"site {r['site_mb']} MB")
        print(f"  ours {r['ours_s']} s (first build, writing every page: {r['cold_s']} s); "
              f"floor {r['floor_s']} s; ratio {r['ratio']} (first build {r['cold_ratio']})")
        print(f"  floor + shortcut (generated pages not parsed) {r['shortcut_s']} s: ours / it = {r['hook_ratio']} "
              f"(the catalogue's own work)")
        print(f"  need page {r['need_kb']} KB on average, {r['need_max_kb']} KB the largest; "
              f"catalogue page {r['catalogue_kb']} KB; load average {os.getloadavg()[0]:.1f}")
        if args.search:
            print(f"  search: Pagefind {r['pagefind_s']} s after the build, bundle {r['pagefind_mb']} MB, "
                  f"largest index chunk {r['pagefind_chunk_kb']} KB; Material search +{r['material_search_s']} s "
                  f"in the build, search_index.json {r['material_index_mb']} MB "
                  f"({r['material_folded_mb']} MB with folded Vietnamese)")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

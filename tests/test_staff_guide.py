"""The staff guide (docs/staff/huong-dan.md) stays true to the code.

Its generated blocks are made by scripts/staff_guide.py from real runs of the commands; here they
are made again and compared, like ``cog --check``. The commands, YAML examples and links written
by hand are checked too.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import shlex
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from catalog_helpers import REPO, copy_catalog, run
from site_helpers import require

from aidcatalog.cli import build_parser
from aidcatalog.problems import MESSAGES
from aidcatalog.validate import validate

GUIDE = REPO / "docs" / "staff" / "huong-dan.md"
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w*)\n(?P<body>.*?)^(?P=indent)```$", re.S | re.M)


def load_script():
    spec = importlib.util.spec_from_file_location("staff_guide", REPO / "scripts" / "staff_guide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def blocks(text: str, *langs: str) -> list[str]:
    """The fenced blocks in one of ``langs``, indentation (inside a list item) removed."""
    return [textwrap.dedent(m["body"]) for m in FENCE.finditer(text) if m["lang"] in langs]


def test_generated_parts_are_up_to_date(guide: str) -> None:
    fresh = load_script().render(guide)
    diff = "".join(difflib.unified_diff(guide.splitlines(True), fresh.splitlines(True), "huong-dan.md", "fresh"))
    assert fresh == guide, "run `python scripts/staff_guide.py`\n" + diff[:4000]


def test_every_message_code_says_how_to_fix_it() -> None:
    fixes = load_script().FIXES
    assert set(fixes) == set(MESSAGES), "add the fix for each new code to FIXES in scripts/staff_guide.py"
    assert all(len(text) > 20 for text in fixes.values())


def test_the_example_output_shows_each_mistake_of_the_example_entry(guide: str) -> None:
    script = load_script()
    english = next(b for b in blocks(guide, "console") if "validate --lang en" in b)
    codes = re.findall(rf"^{re.escape(script.BROKEN_PATH)}:\d+:\d+: ([a-z-]+):", english, re.M)
    assert codes == ["missing-translation", "unknown-field", "not-in-vocabulary", "thousands-separator", "bad-date",
                     "duplicate-key"]
    assert "6 errors, 0 warnings in 1 file (" in english
    # The hand-written explanation below the example reads this very line.
    assert f"{script.BROKEN_PATH}:27:10: thousands-separator: budget.total:" in english
    assert "`…/nuoc-sach-cao-son.yaml:27:10: thousands-separator: budget.total: …`" in guide


def commands(text: str, program: str) -> list[list[str]]:
    """The `program …` command lines of the guide's shell blocks, without prompts and comments."""
    found = []
    for body in blocks(text, "bash", "console"):
        for line in body.splitlines():
            line = line.removeprefix("$ ").split(" #")[0].strip()
            if re.match(rf"{re.escape(program)} [a-z-]+: ", line):  # what a command printed: `aidcatalog pdf: …`
                continue
            if line.startswith(program + " "):
                found.append(shlex.split(line)[1:])
    return found


def test_every_aidcatalog_command_in_the_guide_is_accepted(guide: str) -> None:
    parser = build_parser()
    found = commands(guide, "aidcatalog")
    assert len(found) >= 5
    for argv in found:
        try:
            parser.parse_args(argv)
        except SystemExit as exc:  # a usage error: the guide shows a command the program does not take
            pytest.fail(f"`aidcatalog {shlex.join(argv)}` is not accepted (exit {exc.code})")


def test_every_make_target_in_the_guide_exists(guide: str) -> None:
    make = require("make", "apt-get install make")
    targets = {argv[0] for argv in commands(guide, "make")}
    assert {"build", "serve"} <= targets
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    for target in sorted(targets):
        result = subprocess.run([make, "-n", "-C", str(REPO), target], capture_output=True, text=True, env=env)
        assert result.returncode == 0, f"make {target}: {result.stderr}"


def test_yaml_examples_are_valid_yaml(guide: str) -> None:
    examples = blocks(guide, "yaml")
    assert len(examples) >= 4
    for body in examples:
        assert isinstance(yaml.load(body, Loader=yaml.BaseLoader), dict), body[:200]  # syntax only


def test_example_partner_profile_validates(guide: str, tmp_path: Path) -> None:
    partner = next(yaml.safe_load(b) for b in blocks(guide, "yaml") if "\ncontact_name:" in b)
    cat = copy_catalog(tmp_path)
    path = cat / "partners" / f"{partner['id']}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(partner, allow_unicode=True), encoding="utf-8")
    problems = [p.format("vi") for p in validate(cat).problems if p.file.startswith("catalog/partners/")]
    assert problems == []
    assert commands(guide, "aidcatalog").count(["pdf", "--partner", partner["id"]]) == 1


def test_links_inside_the_guide_lead_somewhere(guide: str) -> None:
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', guide))
    links = set(re.findall(r"\]\(#([^)]+)\)", guide))
    assert links and links <= anchors, sorted(links - anchors)


def test_the_guide_is_not_on_the_public_site() -> None:
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    docs_dir = re.search(r"^docs_dir:\s*(\S+)", mkdocs, re.M)
    assert docs_dir and not GUIDE.is_relative_to(REPO / docs_dir[1])


def test_pull_request_template_points_to_the_guide() -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "docs/staff/huong-dan.md" in template
    assert template.count("- [ ]") >= 8


# One spelling for Vietnamese words whose tone mark may sit on either vowel: the old style
# (hoá, xoá, khoá, hoà, thuỷ), in the messages, the interface words and the guide's own text.
# Place names keep their official spelling (Hòa Bình), and the vocabulary tables quote the data.
NEW_STYLE = re.compile(r"\w*(?:[óòỏõọ][ae]|(?<![qQ])[úùủũụ]y)(?!\w)", re.I)
PLACE_NAMES = re.compile(r"Hòa Bình|Khánh Hòa|Ủy ban Công tác")  # official names, as the state writes them
DATA_BLOCKS = ("sectors", "statuses", "themes", "beneficiary-groups", "modalities",
               "stats")  # `aidcatalog stats` prints the sectors' names as the data spells them


def test_one_spelling_convention_for_vietnamese(guide: str) -> None:
    from aidcatalog import languages

    po = languages.po_path(languages.from_site_file(REPO / "catalog" / "site.yaml").default.code)
    texts = {"po": po.read_text(encoding="utf-8"), "fixes": "\n".join(load_script().FIXES.values())}
    own = guide
    for name in DATA_BLOCKS:
        own = re.sub(rf"<!-- BEGIN GENERATED: {name} -->.*?<!-- END GENERATED: {name} -->", "", own, flags=re.S)
    texts["guide"] = own
    found = {where: sorted(set(NEW_STYLE.findall(PLACE_NAMES.sub("", text)))) for where, text in texts.items()}
    assert found == {"po": [], "fixes": [], "guide": []}


@pytest.mark.parametrize("command", ["stats", "status"])
def test_stats_and_status_examples_are_a_real_run_over_the_shipped_catalogue(
        guide: str, command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """The guide shows what `aidcatalog stats` and `aidcatalog status` print for the shipped catalogue (on the
    guide's example day), and an edit of the catalogue that changes what they print makes the guide stale."""
    script = load_script()
    block = re.search(rf"<!-- BEGIN GENERATED: {command} -->\n(.*?)<!-- END GENERATED: {command} -->", guide, re.S)
    assert block, f"the guide has no generated `{command}` block"
    monkeypatch.setenv("COLUMNS", script.WIDTH)
    monkeypatch.chdir(REPO)
    code, out, _ = run(capsys, command, "--today", script.EXAMPLE_DAY)
    assert code == 0
    assert block[1] == f"```console\n$ aidcatalog {command}\n{out.rstrip(chr(10))}\n```\n"
    assert "…/ncd-screening-tam-dao.yaml" in out and "quá hạn rà soát (quá 12 tháng)" in out

    copy = copy_catalog(tmp_path)  # the entry reviewed again: no longer overdue, so the output changes
    need = copy / "needs" / "health" / "ncd-screening-tam-dao.yaml"
    need.write_text(re.sub(r"(?m)^last_reviewed: .*$", "last_reviewed: 2026-11-01", need.read_text(encoding="utf-8")),
                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, edited, _ = run(capsys, command, "--today", script.EXAMPLE_DAY)
    assert code == 0 and "…/ncd-screening-tam-dao.yaml" not in edited
    assert script.shipped(command) == block[1]  # the script makes the block from the shipped catalogue, not this copy

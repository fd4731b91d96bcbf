"""`build.py validate` on a deliberately broken data folder: every problem in one run, each with
file:line:column, a Korean message and no traceback; the build refuses and writes nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from budgetsite.config import load_config
from conftest import ROOT, copy_project

BROKEN = {
    # file → (text, expected "file:line:col" and a phrase of the Korean message)
    "programs/bad-syntax.yaml": ("id: bad-syntax\nname: 이름: 콜론\n  org: x\n", "2:", "YAML 문법 오류"),
    "programs/missing-org.yaml": (
        "id: missing-org\nsource:\n  doc: s000\n  lines: \"1-2\"\nname: 조직 없는 사업\n",
        "1:1", "필수 항목 'org'"),
    "budget/text-number.yaml": (
        "id: text-number\nsource:\n  doc: s000\n  lines: \"1\"\nname: 글자 예산\nunit: 백만원\nyear: 2020\n"
        "budget: \"36,351\"\n", "8:9", "숫자를 써야"),
    "budget/negative.yaml": (
        "id: negative\nsource:\n  doc: s000\n  lines: \"1\"\nname: 음수\nunit: 백만원\nyear: 2020\nspent: -5\n",
        "8:8", "음수"),
    "budget/wrong-type.yaml": (
        "id: wrong-type\nsource:\n  doc: s000\n  lines: \"1\"\nname: 목록 연도\nunit: 백만원\nyear: [2020]\n",
        "7:7", "값 종류"),
    "audits/unknown-org.yaml": (
        "id: unknown-org\nsource:\n  doc: s000\n  lines: \"1\"\naudit: 2019 행정사무감사\ncategory: 건의사항\n"
        "number: 1\nrequest: 요구\norg: labour-policy-div\nstatus: 추진완료\n", "9:6", "'labour-policy-div'라는 ID가 없습니다"),
    "audits/bad-status.yaml": (
        "id: bad-status\nsource:\n  doc: s000\n  lines: \"1\"\naudit: 2019 행정사무감사\ncategory: 건의사항\n"
        "number: 1\nrequest: 요구\norg: labor-policy-div\nstatus: 완료됨\n", "10:9", "쓸 수 없는 값"),
    "budget/year-text.yaml": (
        "id: year-text\nsource:\n  doc: s000\n  lines: \"1\"\nname: 연도 글자\nunit: 백만원\nyear: 이천이십\n",
        "7:7", "숫자를 써야"),
    "orgs/fair-economy-div-copy.yaml": (
        "id: fair-economy-div\nname: 복제\ntype: 담당관\njurisdiction: 서울특별시\nsource:\n  doc: s000\n  lines: \"25\"\n",
        "1:5", "이미 쓰였습니다"),
    "programs/escape.yaml": (
        "id: ../../etc/passwd\nsource:\n  doc: s000\n  lines: \"1\"\nname: 탈출\norg: labor-policy-div\n",
        "1:5", "영문 소문자, 숫자, 하이픈"),
    "budget/twice.yaml": (
        "id: twice\nsource:\n  doc: s000\n  lines: \"1\"\nname: 두 번\nunit: 백만원\nyear: 2020\nbudget: 215\nbudget: 1\n",
        "9:1", "두 번 쓰였습니다"),
    "audits/korean-org-name.yaml": (
        "id: korean-org-name\nsource:\n  doc: s000\n  lines: \"1\"\naudit: 2019 행정사무감사\ncategory: 건의사항\n"
        "number: 1\nrequest: 요구\norg: 노동정책담당관\nstatus: 추진완료\n", "9:6", "혹시 이것?: labor-policy-div"),
    "programs/typo-field.yaml": (
        "id: typo-field\nsource:\n  doc: s000\n  lines: \"1\"\nname: 오타\norg: labor-policy-div\nsumary: 오타\n",
        "7:1", "알 수 없는 항목 'sumary'"),
}


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("broken"))
    for rel, (text, _, _) in BROKEN.items():
        (root / "data" / rel).write_text(text, encoding="utf-8")
    return root


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def _blocks(stderr: str) -> list[str]:
    """One block per reported problem: its first line and the indented lines under it."""
    return ["data/" + b for b in ("\n" + stderr).split("\ndata/")[1:]]


def test_every_problem_reported_in_one_run_with_position(broken_project: Path) -> None:
    proc = run("validate", "--root", str(broken_project))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    blocks = _blocks(proc.stderr)
    for rel, (_, where, phrase) in BROKEN.items():
        mine = [b for b in blocks if b.startswith(f"data/{rel}:{where}")]
        assert any(phrase in b for b in mine), (rel, [b for b in blocks if b.startswith(f"data/{rel}:")])


def test_duplicate_id_names_both_files(broken_project: Path) -> None:
    proc = run("validate", "--root", str(broken_project))
    dup = [b for b in _blocks(proc.stderr) if "이미 쓰였습니다" in b]
    assert {b.split(":")[0] for b in dup} == {"data/orgs/fair-economy-div.yaml", "data/orgs/fair-economy-div-copy.yaml"}


def test_messages_say_what_to_write_instead(broken_project: Path) -> None:
    proc = run("validate", "--root", str(broken_project))
    blocks = {b.split(":")[0]: b for b in _blocks(proc.stderr)}
    block = blocks["data/budget/text-number.yaml"]
    assert "찾은 값: \"36,351\"" in block
    assert "올바른 예: budget: 36351" in block
    block = blocks["data/audits/bad-status.yaml"]
    assert "추진완료, 추진 중, 검토 중, 미반영" in block
    block = blocks["data/audits/unknown-org.yaml"]
    assert "labor-policy-div" in block  # the similar existing id is suggested
    assert re.search(r"오류 \d+건, 경고 \d+건", proc.stderr)


def test_english_messages_with_flag(broken_project: Path) -> None:
    proc = run("validate", "--root", str(broken_project), "--lang", "en")
    assert proc.returncode == 1
    assert "required field 'org' is missing" in proc.stderr


def test_failed_build_leaves_previous_site_untouched(broken_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the last good site", encoding="utf-8")
    proc = run("build", "--root", str(broken_project), "--out", str(out))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert not list(tmp_path.glob(".site.*"))


def test_real_data_has_no_errors() -> None:
    proc = run("validate")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "오류 0건" in proc.stderr


# ---- the schema fast path agrees with jsonschema --------------------------------------------------

def _mutations(data: dict, schema: dict, registry) -> list[dict]:
    """Records an editor could write by mistake, made from a valid one: every required field
    missing, every field with a value of another type, an unknown field, values outside an enum,
    negative and textual amounts, lists for strings and the other way round."""
    import copy
    out = []
    for name in schema.get("required", []):
        broken = copy.deepcopy(data)
        broken.pop(name, None)
        out.append(broken)
    for name, value in data.items():
        for replacement in (None, 7, -3, 2.5, "글자", "", [], ["a", "a"], {}, {"amount": -1, "unit": "원"}, True):
            if type(replacement) is type(value) and replacement == value:
                continue
            broken = copy.deepcopy(data)
            broken[name] = replacement
            out.append(broken)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for key in value[0]:
                broken = copy.deepcopy(data)
                broken[name][0][key] = {"nested": True}
                out.append(broken)
    out.append({**data, "no_such_field": 1})
    return out


def test_the_fast_path_never_accepts_what_jsonschema_rejects() -> None:
    from budgetsite.kinds import registry_for
    from budgetsite.load.records import load_records
    from budgetsite.validate.fastpath import fast_checks
    from budgetsite.validate.schema import validators

    config = load_config(ROOT)
    registry = registry_for(config)
    fast, slow = fast_checks(registry), validators(registry)
    assert set(fast) == set(registry.names), "a kind's schema fell off the fast path"
    raws, problems = load_records(config.root, config.data_dir)
    assert not problems
    checked = accepted = rejected = 0
    for rec in raws:
        assert fast[rec.kind](rec.data), f"{rec.file}: valid, but the fast path rejects it"
        for data in _mutations(rec.data, registry.schemas[rec.kind], registry):
            valid = not any(True for _ in slow[rec.kind].iter_errors(data))
            quick = fast[rec.kind](data)
            checked += 1
            if quick and not valid:
                raise AssertionError(f"{rec.file}: the fast path accepts what jsonschema rejects: {data}")
            accepted += quick
            rejected += not valid
    print(f"fast path vs jsonschema: {len(raws)} records, {checked} mutations, {rejected} invalid, "
          f"{accepted} accepted by both")
    assert checked > 10 * len(raws) and rejected > checked // 2

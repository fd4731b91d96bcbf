"""An editor's mistakes in real records, through the command line, on a copy of the project.

Each test makes one edit an editor might make on GitHub (a figure written as "215만", a colon in a
name, an organisation's Korean name where its id belongs, a copied file with the old id …), runs
`build.py validate` and reads what the editor would read: exit code 1, the file and the line they
changed, a Korean message that says what to write instead, and no traceback. The edit is undone
after each test. tests/test_validation.py covers the same checks on new, deliberately broken files;
this file follows CONTRIBUTING.md's procedures (fix a figure, add a program, rename an id)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

HARASSMENT = "data/budget/s000-v-12-workplace-harassment.yaml"  # 2020 세부사업, unit 백만원, budget 215
FAIR_ECONOMY = "data/budget/s000-v-dept-fair-economy.yaml"  # a department total with rate_stated
SAFETY_PLAN = "data/programs/s000-p-1-5-occupational-safety-plan.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("editor"))


class Edits:
    """Changes to the project copy, as an editor makes them on GitHub; every file touched or
    created is put back as it was after the test."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.saved: dict[Path, str | None] = {}

    def track(self, rel: str) -> Path:
        path = self.project / rel
        self.saved.setdefault(path, path.read_text(encoding="utf-8") if path.exists() else None)
        return path

    def line(self, rel: str, old: str, new: str) -> int:
        """Replace one whole line of a file; returns the line's number."""
        path = self.track(rel)
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines.count(old) == 1, f"{rel}: {old!r} is not one line of the file"
        number = lines.index(old) + 1
        lines[number - 1] = new
        path.write_text("\n".join(lines), encoding="utf-8")
        return number

    def create(self, rel: str, text: str) -> None:
        self.track(rel).write_text(text, encoding="utf-8")

    def delete(self, rel: str) -> None:
        self.track(rel).unlink()

    def undo(self) -> None:
        for path, text in self.saved.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")


@pytest.fixture
def edit(project: Path) -> Iterator[Edits]:
    edits = Edits(project)
    yield edits
    edits.undo()


def build_py(project: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--root", str(project)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    return proc


def errors(proc: subprocess.CompletedProcess) -> list[str]:
    """The error blocks of validate's report: the `file:line:col: 오류:` line and the lines under it."""
    blocks = re.split(r"\n(?=\S)", proc.stderr)
    return [b for b in blocks if re.match(r"\S+: (오류|error): ", b)]


def only_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, proc.stderr[-2000:]
    found = errors(proc)
    assert len(found) == 1, found
    assert "오류 1건" in proc.stderr or "1 errors" in proc.stderr
    return found[0]


# ---- fixing a figure -------------------------------------------------------------------------


def test_budget_written_as_korean_amount(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "budget: 215", "budget: 215만")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:9: 오류: 'budget'에는 숫자를 써야 하는데 글자가 있습니다")
    assert "쉼표나 단위 없이 숫자만 쓰세요" in block
    assert '찾은 값: "215만"' in block
    assert re.search(r"올바른 예: budget: \d+$", block, re.M)


def test_budget_message_in_english(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "budget: 215", "budget: 215만")
    block = only_error(build_py(project, "validate", "--lang", "en"))
    assert block.startswith(f"{HARASSMENT}:{line}:9: error: 'budget' must be a number but contains text")
    assert "Write digits only, without commas or units." in block
    assert 'found: "215만"' in block


def test_corrected_figure_passes(project: Path, edit: Edits) -> None:
    edit.line(HARASSMENT, "budget: 215", "budget: 216")
    proc = build_py(project, "validate")
    assert proc.returncode == 0, errors(proc)
    assert "오류 0건" in proc.stderr


def test_rate_written_with_percent_sign(project: Path, edit: Edits) -> None:
    line = edit.line(FAIR_ECONOMY, "rate_stated: 64.3", "rate_stated: 64.3%")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{FAIR_ECONOMY}:{line}:14: 오류: 'rate_stated'에는 숫자를 써야")
    assert '찾은 값: "64.3%"' in block


def test_year_written_with_korean_suffix(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "year: 2020", "year: 2020년")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:7: 오류: 'year'에는 숫자를 써야")
    assert "올바른 예: year: 2020" in block


def test_unit_not_in_the_list(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "unit: 백만원", "unit: 만원")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:7: 오류: 'unit'에 쓸 수 없는 값입니다")
    assert "쓸 수 있는 값: 원, 천원, 백만원, 억원, 조원" in block


# ---- YAML mistakes ---------------------------------------------------------------------------


def test_colon_in_a_name(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "name: 서울시 직장내 괴롭힘 방지 확산", "name: 서울시 직장내 괴롭힘 방지 확산: 2차")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:")
    assert "YAML 문법 오류" in block and "따옴표로 감싸세요" in block


def test_quoting_as_the_message_says_fixes_it(project: Path, edit: Edits) -> None:
    edit.line(HARASSMENT, "name: 서울시 직장내 괴롭힘 방지 확산", "name: '서울시 직장내 괴롭힘 방지 확산: 2차'")
    assert build_py(project, "validate").returncode == 0


def test_tab_for_indentation(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "  doc: s000", "\tdoc: s000")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:")
    assert "YAML 문법 오류" in block


def test_one_program_written_where_a_list_belongs(project: Path, edit: Edits) -> None:
    edit.line(HARASSMENT, "- s000-p-1-5-occupational-safety-plan", "")
    line = edit.line(HARASSMENT, "programs:", "programs: s000-p-1-5-occupational-safety-plan")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:11: 오류: 'programs'의 값 종류가 맞지 않습니다")
    assert '찾은 값: "s000-p-1-5-occupational-safety-plan"' in block


# ---- links between records -------------------------------------------------------------------


def test_misspelt_organisation_id(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "org: labor-policy-div", "org: labour-policy-div")
    block = only_error(build_py(project, "validate"))
    assert block.startswith(f"{HARASSMENT}:{line}:6: 오류: 'org'의 'labour-policy-div'라는 ID가 없습니다")
    assert re.search(r"혹시 이것\?: .*\blabor-policy-div\b", block)


def test_organisation_name_where_its_id_belongs(project: Path, edit: Edits) -> None:
    line = edit.line(HARASSMENT, "org: labor-policy-div", "org: 노동정책담당관")
    proc = build_py(project, "validate")
    assert proc.returncode == 1
    found = errors(proc)
    assert found and all(b.startswith(f"{HARASSMENT}:{line}:6: 오류: ") for b in found), found
    assert any("한글" in b for b in found)  # ids are lowercase ASCII; Korean names are data


def test_copied_file_keeps_the_old_id(project: Path, edit: Edits) -> None:
    """Adding a program by copying a similar one and forgetting to change its id."""
    original = (project / SAFETY_PLAN).read_text(encoding="utf-8")
    copy = "data/programs/s000-p-1-9-new-program.yaml"
    edit.create(copy, original)
    proc = build_py(project, "validate")
    assert proc.returncode == 1
    found = errors(proc)
    duplicate = [b for b in found if "이미 쓰였습니다" in b]
    assert {b.split(":")[0] for b in duplicate} == {SAFETY_PLAN, copy}
    assert all(b.split(":")[1:3] == ["1", "5"] for b in duplicate)
    [mine] = [b for b in duplicate if b.startswith(copy)]
    assert f"{SAFETY_PLAN}에서 이미 쓰였습니다" in mine  # says where the id already is
    edit.line(copy, "id: s000-p-1-5-occupational-safety-plan", "id: s000-p-1-9-new-program")
    proc = build_py(project, "validate")
    assert proc.returncode == 0, errors(proc)


# ---- adding a program ------------------------------------------------------------------------


def test_new_program_is_valid_at_once(project: Path, edit: Edits) -> None:
    rel = "data/programs/s000-p-9-1-test-program.yaml"
    edit.track(rel)  # removed after the test
    proc = build_py(project, "new", "program", "s000-p-9-1-test-program")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {rel}"
    text = (project / rel).read_text(encoding="utf-8")
    assert text.startswith("# ") and "\nid: s000-p-9-1-test-program\n" in text
    proc = build_py(project, "validate")
    assert proc.returncode == 0, errors(proc)
    lint = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yaml"), str(project / rel)],
                          capture_output=True, text=True, timeout=120)
    assert lint.returncode == 0, lint.stdout


def test_new_with_a_korean_or_capitalised_id_is_a_usage_error(project: Path) -> None:
    for bad in ("S000-P-9-1", "s000-p-9-1-야시장", "s000_p_9_1"):
        proc = build_py(project, "new", "program", bad)
        assert proc.returncode == 2, (bad, proc.stderr)
        assert "use lowercase letters, digits and hyphens" in proc.stderr
    assert not list((project / "data" / "programs").glob("*9-1*"))


# ---- renaming an id --------------------------------------------------------------------------


def test_rename_with_old_ids(project: Path, edit: Edits) -> None:
    """CONTRIBUTING.md's steps: new file name and id, the old id under old_ids, then every
    reference validate lists; the old address redirects to the new one."""
    old, new = "s000-p-1-5-occupational-safety-plan", "s000-p-1-5-safe-workplaces-plan"
    new_rel = f"data/programs/{new}.yaml"
    text = (project / SAFETY_PLAN).read_text(encoding="utf-8")
    edit.create(new_rel, text.replace(f"id: {old}\n", f"id: {new}\nold_ids:\n- {old}\n", 1))
    edit.delete(SAFETY_PLAN)

    proc = build_py(project, "validate")
    assert proc.returncode == 1
    found = errors(proc)
    referring = sorted(str(p.relative_to(project)) for p in (project / "data").rglob("*.yaml")
                       if p.name != f"{new}.yaml" and f"- {old}\n" in p.read_text(encoding="utf-8"))
    assert referring
    assert sorted(b.split(":")[0] for b in found) == referring
    for block in found:
        assert f"'{old}'라는 ID가 없습니다" in block and new in block  # the new id is suggested

    for rel in referring:
        edit.line(rel, f"- {old}", f"- {new}")
    proc = build_py(project, "validate")
    assert proc.returncode == 0, errors(proc)

    from budgetsite import pipeline
    from budgetsite.config import load_config
    site = pipeline.check(load_config(project)).site
    assert site.redirects == {f"programs/{old}/": f"programs/{new}/"}

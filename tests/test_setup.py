"""The README's set-up on a stock Debian or Ubuntu: `scripts/setup` with the distribution's own
/usr/bin/python3 first on PATH (which refuses `pip install` into the system, PEP 668) makes the
project's virtual environment and installs everything there, never into the system Python."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import tracked_copy

SYSTEM_PYTHON = Path("/usr/bin/python3")


def test_setup_uses_a_project_venv_with_the_distributions_python(tmp_path: Path) -> None:
    if not SYSTEM_PYTHON.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/python3 is missing: CI runs on a stock Debian or Ubuntu")
        pytest.skip("no distribution Python at /usr/bin/python3")
    clone = tracked_copy(tmp_path / "clone")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHON")}
    env["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin"  # the distribution's python3 first, nothing else before it
    proc = subprocess.run(["scripts/setup"], cwd=clone, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "externally-managed-environment" not in proc.stderr
    venv_python = clone / ".venv" / "bin" / "python"
    base = subprocess.run([str(venv_python), "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert base == "/usr", f"the venv was made from {base}, not the distribution's Python"
    validate = subprocess.run([str(venv_python), "build.py", "validate"], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=600)
    assert validate.returncode == 0, validate.stderr[-3000:]
    # nothing went into the system's Python
    system = subprocess.run([str(SYSTEM_PYTHON), "-c", "import budgetsite"], capture_output=True, env=env, cwd=tmp_path)
    assert system.returncode != 0
    # a second run finds everything in place and changes nothing
    again = subprocess.run(["scripts/setup"], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]

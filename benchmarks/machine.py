"""The machine a benchmark ran on, for the first line of its report."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """CPU count and model, and the load average (1, 5, 15 minutes) when the benchmark starts:
    other work on the machine moves every number, so a report says how busy it was."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    return f"{os.cpu_count()} CPUs ({model}); load average {load}"

#!/usr/bin/env python3
"""`build.py validate` output as GitHub Actions annotations (budgetsite.tools.annotate; a portal
runs it as `budgetsite annotate`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's package, as build.py uses

from budgetsite.tools.annotate import main

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""`build.py validate` output as GitHub Actions annotations (budgetsite.tools.annotate; a portal
runs it as `budgetsite annotate`)."""

import sys

from budgetsite.tools.annotate import main

if __name__ == "__main__":
    sys.exit(main())

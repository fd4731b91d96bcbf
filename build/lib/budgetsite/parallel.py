"""When work may be shared out to forked processes.

The build's parallel steps (parsing many files, rendering pages) fork workers that inherit the
model copy-on-write, which needs the `fork` start method: Linux has it, macOS and Windows do not
by default. Forking a process that runs other threads is unsafe (a lock another thread held stays
locked in the child), so a process with threads (the dev server) does the work in one process."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import threading


def fork_context() -> multiprocessing.context.BaseContext | None:
    """The fork context, or None where the work must stay in this process."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")

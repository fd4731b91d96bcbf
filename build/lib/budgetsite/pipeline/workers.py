"""Rendering on every core: the derived files and the pages of a build, cut into tasks that forked
worker processes run in parallel once the model is complete.

The model is built once, in the parent; the workers are forked from it (copy-on-write, and
gc.freeze() keeps the collector from touching the parent's objects), so nothing but a task's
number goes to a worker. A worker writes the files of its task into the build's temporary folder
itself and sends back their paths, or, when the build keeps files in memory, the bytes. Results
are put back in task order, so the output never depends on which worker was faster.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..parallel import fork_context
from ..write import FileWriter

Files = list[tuple[str, bytes]]
Deps = dict[str, frozenset[str]]  # page path → what it read (when the renderer tracks)

# Below this many pages forking costs more than it saves (tiny fixture sites in tests).
MIN_PAGES_FOR_WORKERS = 200


@dataclass
class Task:
    name: str
    run: Callable[[], Files | tuple[Files, Deps]]
    cost: float  # rough relative cost, for the order of scheduling
    pages: int = 0  # pages among its files, for progress


def jobs() -> int:
    """Worker processes: BUDGETSITE_JOBS, else every core the build may use."""
    env = os.environ.get("BUDGETSITE_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# The tasks of the build being run, inherited by forked workers (never pickled).
_TASKS: list[Task] = []
_WRITER: FileWriter | None = None


def _work(i: int) -> tuple[int, Files | list[str], Deps, float]:
    start = time.process_time()
    made = _TASKS[i].run()
    files, deps = made if isinstance(made, tuple) else (made, {})
    if _WRITER is None:
        return i, files, deps, time.process_time() - start
    for path, data in files:
        _WRITER.write(path, data)
    return i, [path for path, _ in files], deps, time.process_time() - start


def _worker_init() -> None:
    gc.disable()  # short-lived: the frozen model needs no collecting, and scanning it would copy it


def run_tasks(tasks: list[Task], writer: FileWriter | None, workers: int,
              progress: Callable[[int], None] = lambda n: None
              ) -> Iterator[tuple[Task, Files | list[str], Deps, float]]:
    """Run every task; yield (task, its files or their paths when written, what its pages read,
    CPU seconds) in task order."""
    global _WRITER
    _TASKS[:] = tasks
    _WRITER = writer
    results: dict[int, tuple[Files | list[str], Deps, float]] = {}
    ctx = fork_context()
    try:
        if workers <= 1 or len(tasks) <= 1 or ctx is None:
            for i in range(len(tasks)):
                _, files, deps, cpu = _work(i)
                results[i] = (files, deps, cpu)
                progress(tasks[i].pages)
        else:
            order = sorted(range(len(tasks)), key=lambda i: -tasks[i].cost)  # longest first
            gc.collect()
            gc.freeze()
            try:
                with ctx.Pool(min(workers, len(tasks)), initializer=_worker_init) as pool:
                    for i, files, deps, cpu in pool.imap_unordered(_work, order):
                        results[i] = (files, deps, cpu)
                        progress(tasks[i].pages)
            finally:
                gc.unfreeze()
    finally:
        _TASKS.clear()
        _WRITER = None
    for i, task in enumerate(tasks):
        yield (task, *results[i])

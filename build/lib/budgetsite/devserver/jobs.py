"""One background job for the site-wide files (search index, downloads): they take seconds at
size, so the dev server writes everything else first and makes these after, in a thread.

A new job supersedes the one before it: each job has a generation number, and only the job of
the current generation writes, under a lock, so an older job can never overwrite a newer job's
files. A superseded job stops at its next checkpoint."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Files = list[tuple[str, bytes]]
Log = Callable[[str], None]


@dataclass
class Result:
    files: set[str] = field(default_factory=set)  # every site-wide file the job made
    written: list[str] = field(default_factory=list)  # those whose bytes changed


class SiteWideJob:
    """`start(parts, write, remove)`: run each part (a function returning files) in turn, then
    hand the files to `write` (path, bytes → written?) and the paths no longer made to `remove`."""

    def __init__(self, log: Log = lambda s: None) -> None:
        self.log = log
        self.generation = 0
        self.lock = threading.Lock()  # held while a job writes, and while its generation is checked
        self.thread: threading.Thread | None = None
        self.made: set[str] = set()  # the site-wide files on disk: the last finished job's (replaced whole)

    def start(self, parts: list[Callable[[], Files]], write: Callable[[str, bytes], bool],
              remove: Callable[[str], None]) -> None:
        with self.lock:
            self.generation += 1
            generation = self.generation
        started = time.perf_counter()

        def run() -> None:
            files: Files = []
            try:
                for part in parts:
                    if self.generation != generation:
                        return  # superseded: a newer job is running
                    files += part()
            except Exception as exc:  # the next change tries again; a full build says more
                self.log(f"search index and downloads: update failed ({type(exc).__name__}: {exc}); "
                         "run build.py build to see why")
                return
            with self.lock:
                if self.generation != generation:
                    return
                result = Result({p for p, _ in files})
                result.written = [p for p, data in files if write(p, data)]
                for gone in sorted(self.made - result.files):
                    remove(gone)
                self.made = result.files
            self.log(f"search index and downloads: {len(result.written)} files updated in "
                     f"{time.perf_counter() - started:.1f}s")

        self.thread = threading.Thread(target=run, daemon=True, name="budgetsite-sitewide")
        self.thread.start()

    def cancel(self) -> None:
        """Supersede the running job without starting another (a full build makes these files itself)."""
        with self.lock:
            self.generation += 1

    def wait(self) -> None:
        thread = self.thread
        if thread is not None:
            thread.join()

"""Which files changed: Linux inotify (through ctypes, no dependency), else polling.

A save is seen within a millisecond with inotify, whatever the size of the project; polling has
to look at every file, which takes seconds with 50,000 records, so it is only the fallback for
systems without inotify. Editors save in several steps (write a temporary file, rename it over
the old one, touch it again), so changes are gathered until the folder has been quiet for a
moment (`settle`), and reported together.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import time
from collections.abc import Iterable
from pathlib import Path

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
MASK = IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF \
    | IN_MODIFY | IN_ATTRIB
_EVENT = struct.Struct("iIII")


class _Inotify:
    def __init__(self) -> None:
        name = ctypes.util.find_library("c")
        libc = ctypes.CDLL(name or "libc.so.6", use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.fd = fd
        self.dirs: dict[int, Path] = {}

    def add(self, folder: Path) -> None:
        wd = self._add(self.fd, os.fsencode(folder), MASK)
        if wd >= 0:
            self.dirs[wd] = folder

    def add_tree(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        self.add(folder)
        for dirpath, dirnames, _ in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for d in dirnames:
                self.add(Path(dirpath) / d)

    def read(self, timeout: float | None) -> list[Path] | None:
        """Changed paths, [] on timeout; None when events were lost (rescan everything)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return []
        try:
            buf = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return []
        out: list[Path] = []
        i = 0
        while i + _EVENT.size <= len(buf):
            wd, mask, _, length = _EVENT.unpack_from(buf, i)
            name = buf[i + _EVENT.size:i + _EVENT.size + length].rstrip(b"\0")
            i += _EVENT.size + length
            if mask & IN_Q_OVERFLOW:
                return None
            folder = self.dirs.get(wd)
            if folder is None:
                continue
            if mask & IN_IGNORED:
                self.dirs.pop(wd, None)
                continue
            path = folder / os.fsdecode(name) if name else folder
            if mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO):
                self.add_tree(path)  # a new folder: watch it, and report what it already holds
                out.extend(p for p in path.rglob("*") if p.is_file())
            out.append(path)
        return out

    def close(self) -> None:
        os.close(self.fd)


class _Poller:
    """Stat every file under the watched folders; slow, but works everywhere."""

    def __init__(self) -> None:
        self.roots: list[Path] = []
        self.seen: dict[Path, tuple[int, int]] = {}

    def add_tree(self, folder: Path) -> None:
        self.roots.append(folder)
        self.seen.update(self._scan([folder]))

    def add(self, folder: Path) -> None:
        self.add_tree(folder)

    @staticmethod
    def _scan(roots: Iterable[Path]) -> dict[Path, tuple[int, int]]:
        out = {}
        for root in roots:
            if root.is_file():
                st = root.stat()
                out[root] = (st.st_mtime_ns, st.st_size)
                continue
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for f in filenames:
                    p = Path(dirpath) / f
                    try:
                        st = p.stat()
                    except OSError:
                        continue
                    out[p] = (st.st_mtime_ns, st.st_size)
        return out

    def read(self, timeout: float | None) -> list[Path]:
        time.sleep(min(timeout if timeout is not None else 0.5, 0.5))
        now = self._scan(self.roots)
        changed = [p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p)]
        self.seen = now
        return changed

    def close(self) -> None:
        pass


class Watcher:
    """Changed files under some folders (recursively) and some single files."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = (), settle: float = 0.02):
        self.settle = settle
        self.files = {f.resolve() for f in files}
        try:
            self.backend: _Inotify | _Poller = _Inotify()
        except (OSError, AttributeError):
            self.backend = _Poller()
        self.inotify = isinstance(self.backend, _Inotify)
        for folder in folders:
            self.backend.add_tree(folder.resolve())
        for f in self.files:
            if self.inotify:
                self.backend.add(f.parent)  # a file replaced by a rename needs its folder watched
            else:
                self.backend.add(f)
        self._file_parents = {f.parent for f in self.files}
        self._folders = [f.resolve() for f in folders]

    def _wanted(self, path: Path) -> bool:
        if path in self.files:
            return True
        if path.parent in self._file_parents and not any(path.is_relative_to(f) for f in self._folders):
            return False  # other files beside a watched file
        return True

    def changes(self, timeout: float | None = None) -> set[Path] | None:
        """The files changed since the last call (waits up to `timeout` for the first one);
        None when the system lost events and everything must be looked at again."""
        first = self.backend.read(timeout)
        if first is None:
            return None
        found = set(first)
        if not found:
            return set()
        while True:  # until quiet: an editor's save is several events
            more = self.backend.read(self.settle)
            if more is None:
                return None
            if not more:
                break
            found.update(more)
        return {p for p in found if self._wanted(p)}

    def close(self) -> None:
        self.backend.close()

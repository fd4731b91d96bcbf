"""The build's caches in .build-cache/: records as parsed and schema-checked by earlier builds
(RecordCache, in inputs/), and files made from inputs of a known digest (FileMemo).

The record cache finds a record by its file's content hash and its kind, so an unchanged file is neither parsed
nor checked against its schema again, whatever its name or date. The cache file's name holds an
epoch, a hash of everything a parse or a schema check depends on (the schema files, the loader and
validator code, PyYAML and Python), so a change to any of them starts an empty cache. Cross-record
checks (ids, references) always run: they depend on the other records.

A file whose size, modification time (ns) and inode are those of the last build is not even
read: its hash is taken from the cache, as git's index does. The cache is one marshal file, the
fastest format Python reads for plain YAML data (dicts, lists, strings, numbers). It is rewritten
only when something changed, atomically, so two builds sharing a project never read half a file.
Anything wrong with it means a cold build, never a failed one.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

import yaml

from .. import load, validate
from ..files import write_atomic
from ..kinds import Registry
from ..load.records import RawRecord

Entry = tuple[dict, bool]  # (data, passed its schema)


def _epoch(registry: Registry) -> str:
    h = hashlib.sha256()
    for part in (sys.version, yaml.__version__, str(getattr(yaml, "__with_libyaml__", False))):
        h.update(part.encode() + b"\0")
    for package in (load, validate):  # the code that parses and checks
        for path in sorted(Path(str(package.__file__)).parent.glob("*.py")):
            h.update(path.read_bytes())
    h.update(registry.digest.encode())
    return h.hexdigest()[:20]


class RecordCache:
    def __init__(self, root: Path, registry: Registry):
        self.dir = root / ".build-cache" / "inputs"
        self.path = self.dir / f"records-{_epoch(registry)}.marshal"
        self.entries: dict[str, Entry] = {}  # "kind/digest" → entry
        # file → (size, mtime in ns, inode, digest): a file whose stat is unchanged is not even read
        self.stats: dict[str, tuple[int, int, int, str]] = {}
        self.seen: dict[str, RawRecord] = {}  # key → record of this build, hit or new
        self.new_stats: dict[str, tuple[int, int, int, str]] = {}
        try:
            loaded = marshal.loads(self.path.read_bytes())
            if isinstance(loaded, dict) and loaded.get("v") == 1:
                self.entries, self.stats = loaded["entries"], loaded["stats"]
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            self.entries, self.stats = {}, {}

    @staticmethod
    def _key(digest: str, kind: str) -> str:
        return f"{kind}/{digest}"

    def known_digest(self, rel: str, st: os.stat_result) -> str | None:
        known = self.stats.get(rel)
        if known is None or known[:3] != (st.st_size, st.st_mtime_ns, st.st_ino):
            return None
        return known[3]

    def get(self, digest: str, kind: str) -> Entry | None:
        key = self._key(digest, kind)
        entry = self.entries.get(key)
        if entry is None or key in self.seen:  # two files with the same content: parse the second
            return None
        return entry

    def put(self, rec: RawRecord, st: os.stat_result | None = None, rel: str | None = None) -> None:
        self.seen[self._key(rec.digest, rec.kind)] = rec
        if st is not None:
            self.new_stats[rel or rec.file.as_posix()] = (st.st_size, st.st_mtime_ns, st.st_ino, rec.digest)

    def save(self, records: list[RawRecord]) -> None:
        """Keep exactly the records of this build, with what validation found (schema_ok)."""
        for rec in records:
            self.seen.setdefault(self._key(rec.digest, rec.kind), rec)
        fresh: dict[str, Entry] = {}
        changed = self.new_stats != self.stats
        for key, rec in self.seen.items():
            old = self.entries.get(key)
            if old is not None and old[1] == rec.schema_ok:
                fresh[key] = old
            else:
                fresh[key] = (rec.data, rec.schema_ok)
                changed = True
        if not changed and len(fresh) == len(self.entries):
            return
        try:
            blob = marshal.dumps({"v": 1, "entries": fresh, "stats": self.new_stats})
        except ValueError:  # a value marshal cannot hold (a custom YAML tag): no cache, no harm
            return
        try:
            write_atomic(self.path, blob, only_if_changed=False)
            for old_file in self.dir.glob("records-*.marshal"):
                if old_file != self.path:
                    old_file.unlink(missing_ok=True)
        except OSError:
            return
        self.entries, self.stats = fresh, dict(self.new_stats)


class FileMemo:
    """Files a pure function made from inputs with this digest, kept in .build-cache/<name>/.

    For the search index: a function of the search documents alone (and of the code that makes
    it), costly at 50,000 records, and the same in every build where no record's text changed
    (a template, style or configuration change; `serve` after one). Only the latest is kept."""

    def __init__(self, root: Path, name: str, code: list[Path]):
        self.dir = root / ".build-cache" / name
        self.hash = hashlib.sha256()
        for path in code:
            self.hash.update(path.read_bytes())

    def add(self, *parts: object) -> None:
        for part in parts:
            self.hash.update(str(part).encode() + b"\x1f")
        self.hash.update(b"\x1e")

    @property
    def path(self) -> Path:
        return self.dir / f"{self.hash.hexdigest()[:32]}.marshal"

    def get(self) -> list[tuple[str, bytes]] | None:
        try:
            files = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return files if isinstance(files, list) else None

    def put(self, files: list[tuple[str, bytes]]) -> None:
        path = self.path
        try:
            write_atomic(path, marshal.dumps(files), only_if_changed=False)
            for old in self.dir.glob("*.marshal"):
                if old != path:
                    old.unlink(missing_ok=True)
        except (OSError, ValueError):
            return

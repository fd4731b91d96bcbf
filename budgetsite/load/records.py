"""Stage 1 — load: read every `data/<kind>/*.yaml` record, keeping where each value stands.

YAML is parsed with libyaml (CSafeLoader). When a message needs to say where a value stands
(`data/programs/x.yaml:17:5`), the file's node tree is composed again for its lines and columns:
only files with problems pay for it. An unchanged file is not parsed at all when an input cache
(budgetsite.pipeline.cache) knows its content hash.
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from ..parallel import fork_context
from ..problems import Problem, problem

Path_ = tuple[str | int, ...]


class _Loader(yaml.CSafeLoader):
    """Safe loader that keeps dates as strings: records store dates as printed (YYYY-MM-DD)
    and the schema checks their shape; implicit timestamps would turn them into objects.
    It also refuses a key written twice, which YAML would otherwise resolve silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        # Every mapping of the document passes here, so its own keys are enough to look at.
        keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            raise yaml.constructor.ConstructorError(None, None, "duplicate key", node.start_mark)
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class RawRecord:
    kind: str  # folder name under data/
    file: Path  # relative to the project root
    data: dict
    # 1-based line, column of every value. Computed on first use (a message, a warning) by parsing
    # the file again: most records never need them, and keeping them for all costs memory and time.
    positions: dict[Path_, tuple[int, int]] | None = field(default=None, repr=False)
    digest: str = ""
    path: str | Path | None = field(default=None, repr=False)  # absolute, to find positions later
    schema_ok: bool = False  # passed its JSON Schema (set by validate, or by the input cache)

    def where(self, path: Path_ = ()) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest parent that exists."""
        positions = self.positions
        if positions is None:
            positions = self.positions = self._parse_positions()
        p = tuple(path)
        while p and p not in positions:
            p = p[:-1]
        return positions.get(p, (1, 1))

    def _parse_positions(self) -> dict[Path_, tuple[int, int]]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as f:
                text = f.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return {}
        return parse_yaml(text, self.file)[1]

    def __getstate__(self) -> dict:
        # Sent to render workers and kept in caches without the positions: they are cheap to find again.
        state = dict(self.__dict__)
        state["positions"] = None
        return state


KEY = "<key>"  # positions[path + (KEY,)] is where the key of the value at `path` stands


def _positions(node: yaml.Node, path: Path_, out: dict[Path_, tuple[int, int]]) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[(*path, key.value, KEY)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                _positions(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*path, i), out)


def parse_yaml(text: str, file: Path) -> tuple[object, dict[Path_, tuple[int, int]], Problem | None]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, problem(file, 1, 1, "empty_file")
        dup = _duplicate_key(node)
        if dup is not None:
            key, line, col = dup
            return None, {}, problem(file, line, col, "duplicate_key", name=key)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, {}, problem(file, line, col, "yaml_syntax", detail=exc.problem or "",
                                 context=exc.context or "")
    except yaml.YAMLError as exc:  # e.g. a reader error on invalid characters
        return None, {}, problem(file, 1, 1, "yaml_syntax", detail=str(exc), context="")
    finally:
        loader.dispose()
    positions: dict[Path_, tuple[int, int]] = {}
    _positions(node, (), positions)
    return data, positions, None


def _duplicate_key(node: yaml.Node) -> tuple[str, int, int] | None:
    """A key written twice in one mapping. YAML loaders silently keep the last value, which would
    hide an editor's mistake (the figure they changed is not the one the site shows)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    return key.value, key.start_mark.line + 1, key.start_mark.column + 1
                seen.add(key.value)
            found = _duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item)
            if found:
                return found
    return None


_STR, _INT, _FLOAT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null"))


class _Unusual(Exception):
    """A node _build leaves to PyYAML's own constructor (merge keys, explicit tags, odd keys)."""


def _build(node: yaml.Node, loader: _Loader) -> object:
    """The value of a node tree of plain maps, lists and scalars, as `loader.construct_document`
    would make it, in a fraction of its time: PyYAML's constructor is pure Python and was 70% of
    parsing 55,000 records. Anything else raises _Unusual and goes to the full constructor."""
    cls = type(node)
    if cls is yaml.ScalarNode and isinstance(node, yaml.ScalarNode):  # isinstance: for the type checker
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT:
            return loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return loader.construct_yaml_float(node)
        if tag == _BOOL:
            return loader.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        raise _Unusual(tag)
    if cls is yaml.MappingNode:
        out: dict = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
                raise _Unusual(key_node.tag)  # merge keys (<<), numbers or maps as keys
            key = key_node.value
            if key in out:
                raise yaml.constructor.ConstructorError(None, None, "duplicate key", key_node.start_mark)
            out[key] = _build(value_node, loader)
        return out
    if cls is yaml.SequenceNode:
        return [_build(item, loader) for item in node.value]
    raise _Unusual(node.tag)


def _parse_fast(text: str) -> object:
    """The document without positions; raises on anything parse_yaml would report."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(node, loader)
        except (_Unusual, RecursionError):
            return loader.construct_document(node)
    finally:
        loader.dispose()


class InputCache(Protocol):
    """Parsed records by content hash (budgetsite.pipeline.cache): an unchanged file is not parsed again."""

    def known_digest(self, rel: str, st: os.stat_result) -> str | None: ...

    def get(self, digest: str, kind: str) -> tuple[dict, bool] | None: ...

    def put(self, rec: RawRecord, st: os.stat_result | None = None, rel: str | None = None) -> None: ...


def _parse_record(rel: Path, raw: bytes) -> tuple[dict | None, Problem | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, problem(rel, 1, exc.start + 1, "not_utf8")
    try:
        data: object = _parse_fast(text)
    except yaml.YAMLError:
        data = None
    if data is None:  # a syntax error, an empty file or a bare null: parse again to say which, where
        data, _, err = parse_yaml(text, rel)
        if err:
            return None, err
    if not isinstance(data, dict):
        return None, problem(rel, 1, 1, "not_mapping")
    return data, None


def load_file(root: Path, path: Path, kind: str, cache: InputCache | None = None) -> tuple[RawRecord | None,
                                                                                            Problem | None]:
    rel = path.relative_to(root)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    hit = cache.get(digest, kind) if cache is not None else None
    if hit is not None:
        return RawRecord(kind, rel, hit[0], None, digest, path, hit[1]), None
    parsed, err = _parse_record(rel, raw)
    if parsed is None:
        return None, err
    rec = RawRecord(kind, rel, parsed, None, digest, path)
    if cache is not None:
        cache.put(rec)
    return rec, None


def record_files(data_dir: Path) -> list[tuple[str, str]]:
    """(kind, absolute path) of every record file, in sorted path order (as sorted(rglob) gives)."""
    out: list[tuple[str, str]] = []
    with os.scandir(data_dir) as entries:
        kinds = sorted(e.name for e in entries if e.is_dir())
    for kind in kinds:
        found: list[str] = []
        stack = [os.path.join(data_dir, kind)]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for e in entries:
                    if e.is_dir():
                        stack.append(e.path)
                    elif e.name.endswith((".yaml", ".yml")) and e.is_file():
                        found.append(e.path)
        found.sort(key=lambda p: p.split(os.sep))
        out.extend((kind, p) for p in found)
    return out


# Parsing is the one slow step of a build without cache: from this many files on, it is shared
# between forked processes (each returns the parsed data; the parent keeps the order).
PARALLEL_PARSE_MIN = 2000
_TODO: list[tuple[Path, bytes]] = []


def _parse_chunk(bounds: tuple[int, int]) -> list[tuple[int, dict | None]]:
    out: list[tuple[int, dict | None]] = []
    for i in range(*bounds):
        rel, raw = _TODO[i]
        data, _ = _parse_record(rel, raw)
        out.append((i, data))
    return out


def _parse_all(todo: list[tuple[Path, bytes]], workers: int) -> list[dict | None]:
    results: list[dict | None] = [None] * len(todo)
    ctx = fork_context()
    if workers <= 1 or len(todo) < PARALLEL_PARSE_MIN or ctx is None:
        for i, (rel, raw) in enumerate(todo):
            results[i] = _parse_record(rel, raw)[0]
        return results
    _TODO[:] = todo
    try:
        step = max(200, len(todo) // (workers * 8))
        chunks = [(i, min(i + step, len(todo))) for i in range(0, len(todo), step)]
        with ctx.Pool(workers, initializer=gc.disable) as pool:
            for part in pool.imap_unordered(_parse_chunk, chunks):
                for i, data in part:
                    results[i] = data
    finally:
        _TODO.clear()
    return results


def load_records(root: Path, data_dir: Path, cache: InputCache | None = None,
                 workers: int = 1) -> tuple[list[RawRecord], list[Problem]]:
    """Every record under data_dir, in a stable order, and every file that could not be read.
    With a cache, a file whose size, date and inode are unchanged is not even read."""
    if not data_dir.is_dir():
        return [], [problem(data_dir.relative_to(root) if data_dir.is_relative_to(root) else data_dir,
                            0, 0, "no_data_dir")]
    files = record_files(data_dir)
    prefix = len(str(root)) + 1
    slots: list[RawRecord | Problem | None] = [None] * len(files)
    todo: list[tuple[Path, bytes]] = []
    todo_at: list[tuple[int, str, os.stat_result]] = []  # slot, digest, stat of each file to parse
    for i, (kind, path) in enumerate(files):
        rel_text = path[prefix:] if path.startswith(str(root)) else os.path.relpath(path, root)
        rel = Path(rel_text)
        st = os.stat(path)
        if cache is not None:
            digest = cache.known_digest(rel_text, st)
            hit = cache.get(digest, kind) if digest else None
            if hit is not None and digest:
                slots[i] = rec = RawRecord(kind, rel, hit[0], None, digest, path, hit[1])
                cache.put(rec, st, rel_text)
                continue
        with open(path, "rb") as f:
            raw = f.read()
        digest = hashlib.sha256(raw).hexdigest()
        hit = cache.get(digest, kind) if cache is not None else None
        if hit is not None:
            slots[i] = rec = RawRecord(kind, rel, hit[0], None, digest, path, hit[1])
            cache.put(rec, st, rel_text)  # type: ignore[union-attr]
            continue
        todo.append((rel, raw))
        todo_at.append((i, digest, st))
    for (i, digest, st), (rel, raw), data in zip(todo_at, todo, _parse_all(todo, workers), strict=True):
        kind, path = files[i]
        if data is None:  # could not be read: parse again, in this process, for the message
            slots[i] = _parse_record(rel, raw)[1]
            continue
        rec = RawRecord(kind, rel, data, None, digest, path)
        slots[i] = rec
        if cache is not None:
            cache.put(rec, st)
    records = [x for x in slots if isinstance(x, RawRecord)]
    problems = [x for x in slots if isinstance(x, Problem)]
    return records, problems

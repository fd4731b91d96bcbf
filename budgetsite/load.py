"""Stage 1 — load: read every `data/<kind>/*.yaml` record, keeping where each value stands.

YAML is parsed with libyaml (CSafeLoader). When a message needs to say where a value stands
(`data/programs/x.yaml:17:5`), the file's node tree is composed again for its lines and columns:
only files with problems pay for it. An unchanged file is not parsed at all when an input cache
(budgetsite.inputs) knows its content hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from .problems import Problem, problem

Path_ = tuple[str | int, ...]


class _Loader(yaml.CSafeLoader):
    """Safe loader that keeps dates as strings: records store dates as printed (YYYY-MM-DD)
    and the schema checks their shape; implicit timestamps would turn them into objects.
    It also refuses a key written twice, which YAML would otherwise resolve silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if _duplicate_key(node) is not None:
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
    path: Path | None = field(default=None, repr=False)  # absolute, to find positions later
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
            text = self.path.read_bytes().decode("utf-8")
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


def _parse_fast(text: str) -> object:
    """The document without positions; raises on anything parse_yaml would report."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


class InputCache(Protocol):
    """Parsed records by content hash (budgetsite.inputs): an unchanged file is not parsed again."""

    def get(self, digest: str, kind: str) -> tuple[dict, bool] | None: ...

    def put(self, rec: RawRecord) -> None: ...


def load_file(root: Path, path: Path, kind: str, cache: InputCache | None = None) -> tuple[RawRecord | None,
                                                                                            Problem | None]:
    rel = path.relative_to(root)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    hit = cache.get(digest, kind) if cache is not None else None
    if hit is not None:
        data, schema_ok = hit
        return RawRecord(kind, rel, data, None, digest, path, schema_ok), None
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
    rec = RawRecord(kind, rel, data, None, digest, path)
    if cache is not None:
        cache.put(rec)
    return rec, None


def load_records(root: Path, data_dir: Path, cache: InputCache | None = None) -> tuple[list[RawRecord],
                                                                                       list[Problem]]:
    """Every record under data_dir, in a stable order, and every file that could not be read."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return records, [problem(data_dir.relative_to(root) if data_dir.is_relative_to(root) else data_dir,
                                 0, 0, "no_data_dir")]
    for kind_dir in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        for path in sorted(kind_dir.rglob("*")):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            rec, err = load_file(root, path, kind_dir.name, cache)
            if err:
                problems.append(err)
            elif rec:
                records.append(rec)
    return records, problems

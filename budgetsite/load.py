"""Stage 1 — load: read every `data/<kind>/*.yaml` record, keeping where each value stands.

YAML is parsed once with libyaml (CSafeLoader); the node tree gives every value's line and
column, so later stages can say `data/programs/x.yaml:17:5`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem, problem

Path_ = tuple[str | int, ...]


class _Loader(yaml.CSafeLoader):
    """Safe loader that keeps dates as strings: records store dates as printed (YYYY-MM-DD)
    and the schema checks their shape; implicit timestamps would turn them into objects."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class RawRecord:
    kind: str  # folder name under data/
    file: Path  # relative to the project root
    data: dict
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # 1-based line, column
    digest: str = ""

    def where(self, path: Path_ = ()) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest parent that exists."""
        p = tuple(path)
        while p and p not in self.positions:
            p = p[:-1]
        return self.positions.get(p, (1, 1))


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


def load_file(root: Path, path: Path, kind: str) -> tuple[RawRecord | None, Problem | None]:
    rel = path.relative_to(root)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, problem(rel, 1, exc.start + 1, "not_utf8")
    data, positions, err = parse_yaml(text, rel)
    if err:
        return None, err
    if not isinstance(data, dict):
        return None, problem(rel, 1, 1, "not_mapping")
    return RawRecord(kind, rel, data, positions, hashlib.sha256(raw).hexdigest()), None


def load_records(root: Path, data_dir: Path) -> tuple[list[RawRecord], list[Problem]]:
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
            rec, err = load_file(root, path, kind_dir.name)
            if err:
                problems.append(err)
            elif rec:
                records.append(rec)
    return records, problems

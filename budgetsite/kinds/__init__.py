"""The registry of record kinds, read from their JSON Schemas: the one place that says which kinds
of record exist and how they link.

Each `<kind>.schema.json` describes one folder of records (`data/<kind>/*.yaml`, pages under
`/<kind>/`). Besides JSON Schema it carries two annotations that validators ignore:

- `x-kind` at the top: the kind's place in lists (`order`), the model class that holds its records
  (`model`), the singular names `build.py new` accepts (`aliases`), its search result type and
  document order (`search`), the field whose values are its statuses (`statuses`, with a key per
  value for translations and CSS), and `rebuild_all` when a change to one of its records changes
  text on every page (corrections);
- `x-link` on a field that holds record ids: the kind they must name (`"*"` for any) and, with
  `reverse`, the list on the named record that the model fills with the records naming it.

Schemas come from an ordered list of folders, the portal's own `schema/` first: a file there
replaces the package's file of the same name, a new name adds a kind. Nothing else in the package
keeps a list of kinds; model, validation, search documents, JSON twins, the dev server, `diff`,
`new` and the importer all read this registry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SiteConfig
from ..files import write_atomic

DEFS = "defs"  # shared definitions, not a kind
REF = "defs.schema.json#/$defs/ref"


@dataclass(frozen=True)
class Link:
    """A field holding the id of another record (or a list of ids)."""
    path: tuple[str, ...]  # property names from the record's top; list items are passed through
    target: str  # kind the ids must name; "*": any kind
    many: bool  # a list of ids
    reverse: str = ""  # attribute of the named record that lists the records naming it

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def top(self) -> bool:
        """A field at the record's top level (nested ones, such as `source.doc`, have no attribute)."""
        return len(self.path) == 1


@dataclass(frozen=True)
class Kind:
    name: str  # folder under data/ and first part of the URL
    title: str  # the schema's title, e.g. 사업
    order: int
    model: str  # name of the model class (budgetsite.model) that holds its records
    aliases: tuple[str, ...]
    links: tuple[Link, ...]
    search_type: str | None  # type of its search results; None: not searched
    search_order: int
    statuses: tuple[str, ...] = ()  # allowed values of its status field, in display order
    status_field: str = ""
    status_keys: dict[str, str] = field(default_factory=dict)  # status → key for translations and CSS
    rebuild_all: bool = False

    def link(self, name: str) -> Link | None:
        return next((lk for lk in self.links if lk.top and lk.name == name), None)

    @property
    def ref_fields(self) -> dict[str, str]:
        """Field name → kind its ids must name, for every link at any depth ("=": own kind)."""
        return {lk.name: lk.target for lk in self.links}


def _is_ref(node: dict) -> bool:
    return node.get("$ref") == REF or node.get("$ref") == "#/$defs/ref"


def _links(node: object, path: tuple[str, ...], out: list[Link]) -> None:
    """Every `x-link` under a schema node, with its path of property names."""
    if not isinstance(node, dict):
        return
    for name, sub in (node.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        items = sub.get("items") if isinstance(sub.get("items"), dict) else None
        link = sub.get("x-link")
        if isinstance(link, dict):
            many = items is not None
            if not _is_ref(items if items is not None else sub):
                raise ValueError(f"x-link on {'.'.join((*path, name))} which is not a reference")
            out.append(Link((*path, name), str(link["kind"]), many, str(link.get("reverse", ""))))
            continue
        _links(items if items is not None else sub, (*path, name), out)


@dataclass(frozen=True)
class Registry:
    kinds: dict[str, Kind]  # in list order
    schemas: dict[str, dict]  # file stem → schema, `defs` included
    files: dict[str, Path]  # file stem → the file it was read from
    digest: str  # of every schema's bytes: caches of parsed and checked records depend on it

    def __getitem__(self, name: str) -> Kind:
        return self.kinds[name]

    def __contains__(self, name: object) -> bool:
        return name in self.kinds

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.kinds.values())

    @property
    def names(self) -> list[str]:
        return list(self.kinds)

    def searched(self) -> list[Kind]:
        """Kinds with search results, in the order their documents are made."""
        return sorted((k for k in self if k.search_type), key=lambda k: (k.search_order, k.name))

    def resolve(self, name: str) -> Kind | None:
        """A kind by its folder name or one of its aliases (`build.py new program …`)."""
        if name in self.kinds:
            return self.kinds[name]
        return next((k for k in self if name in k.aliases), None)

    def statuses(self, kind: str) -> tuple[str, ...]:
        return self.kinds[kind].statuses if kind in self.kinds else ()

    def reverse_names(self) -> set[str]:
        """Attributes the model fills from other records' links (their change touches other pages)."""
        return {lk.reverse for k in self for lk in k.links if lk.reverse}


def _kind(name: str, schema: dict, defs_links: list[Link]) -> Kind:
    meta = schema.get("x-kind") or {}
    links: list[Link] = []
    _links(schema, (), links)
    if "source" in (schema.get("properties") or {}):  # `source` is the shared definition's
        links += defs_links
    search = meta.get("search") or {}
    statuses = meta.get("statuses") or {}
    status_field = str(statuses.get("field", ""))
    values: tuple[str, ...] = ()
    if status_field:
        prop = (schema.get("properties") or {}).get(status_field) or {}
        values = tuple(prop.get("enum") or ())
    return Kind(name=name, title=str(schema.get("title", name)), order=int(meta.get("order", 1000)),
                model=str(meta.get("model", "Record")), aliases=tuple(meta.get("aliases") or ()),
                links=tuple(links), search_type=search.get("type"), search_order=int(search.get("order", 1000)),
                statuses=values, status_field=status_field, status_keys=dict(statuses.get("keys") or {}),
                rebuild_all=bool(meta.get("rebuild_all", False)))


def load_registry(schema_dirs: list[Path], vocabulary: dict[str, list[str]] | None = None) -> Registry:
    """The kinds defined by the schemas in `schema_dirs` (first folder wins, file by file).

    `vocabulary` (the site's, budgetsite.config): for a shared definition of defs.schema.json
    (`jurisdiction`, `unit`), the values records may use; a definition with none listed keeps
    what the schema says. So no jurisdiction or currency is built into the kinds."""
    files: dict[str, Path] = {}
    for d in reversed(schema_dirs):  # the first folder wins
        for path in sorted(d.glob("*.schema.json")):
            files[path.name.removesuffix(".schema.json")] = path
    files = dict(sorted(files.items()))
    h = hashlib.sha256()
    schemas: dict[str, dict] = {}
    for stem, path in files.items():
        raw = path.read_bytes()
        h.update(stem.encode() + b"\0" + raw + b"\0")
        schemas[stem] = json.loads(raw.decode("utf-8"))
    shared = schemas.get(DEFS, {}).get("$defs", {})
    for name, values in sorted((vocabulary or {}).items()):
        if values and name in shared:
            shared[name] = {**shared[name], "enum": list(values)}
            h.update(json.dumps([name, list(values)], ensure_ascii=False).encode())
    defs_links: list[Link] = []
    if DEFS in schemas:
        _links({"properties": {"source": schemas[DEFS].get("$defs", {}).get("source", {})}}, (), defs_links)
    kinds = [_kind(stem, s, defs_links) for stem, s in schemas.items() if stem != DEFS]
    kinds.sort(key=lambda k: (k.order, k.name))
    return Registry({k.name: k for k in kinds}, schemas, files, h.hexdigest())


EDITOR_SCHEMAS = Path(".build-cache") / "schema"  # under the project root; .vscode/settings.json maps them


def registry_for(config: SiteConfig) -> Registry:
    """The kinds of a portal: its schema folders, with its vocabulary."""
    return load_registry(config.schema_dirs(), config.vocabulary())


def write_editor_copies(registry: Registry, folder: Path) -> None:
    """The schemas in effect (the package's with the portal's own over them) in one folder, so an
    editor's YAML extension and check-jsonschema resolve `defs.schema.json#…` beside each one.
    Written on every check; a file is rewritten only when its bytes changed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stem, schema in registry.schemas.items():  # with the site's vocabulary
            write_atomic(folder / f"{stem}.schema.json",
                         (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        for old in folder.glob("*.schema.json"):
            if old.name.removesuffix(".schema.json") not in registry.files:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout still builds; editors then miss autocompletion only

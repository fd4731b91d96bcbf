"""A Jinja environment that notes what each page reads, for the dev server's dependency index."""

from __future__ import annotations

from jinja2 import Environment

from ..model import Record, Site


class TrackingEnvironment(Environment):
    """An environment that notes what a template reads while `deps` is a set: the id of every
    record whose attribute it reads (and `<id>@` when it reads the record's reverse links, which
    change when another record links to it or stops), `site.<name>` for the site-wide lists it
    reads, and `template:<name>` for every template it loads. `serve` uses these to re-render
    exactly the pages a change touches (budgetsite.devserver)."""

    deps: set[str] | None = None
    # Record attributes the model fills from *other* records' links (the registry's reverse
    # names), and the ones computed from them.
    reverse_links: frozenset[str] = frozenset({"descendants"})

    def _read(self, deps: set[str], obj: object, name: object) -> None:
        if isinstance(obj, Record):
            deps.add(obj.id)
            if name in self.reverse_links:
                deps.add(f"{obj.id}@")
        elif isinstance(obj, Site):
            deps.add(f"site.{name}")

    def getattr(self, obj: object, attribute: str) -> object:
        if self.deps is not None:
            self._read(self.deps, obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: object, argument: object) -> object:
        if self.deps is not None:
            self._read(self.deps, obj, argument)
        return super().getitem(obj, argument)

    def get_template(self, name, parent=None, globals=None):
        if self.deps is not None and isinstance(name, str):
            self.deps.add(f"template:{name}")
        return super().get_template(name, parent, globals)

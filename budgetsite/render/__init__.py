"""Stage 5 — render: every page of the site as bytes, from the model and the theme's templates.

Templates resolve through an ordered list of theme folders (the site's theme, then the default),
so a site overrides any template by putting a file of the same name in its own theme.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    Template,
    Undefined,
    select_autoescape,
)
from markupsafe import Markup

from .. import i18n
from ..config import SiteConfig
from ..model import Record, Site
from ..model.corrections import Corrector, markdown, plain

STATUS_ORDER = ("추진완료", "추진 중", "검토 중", "미반영")


@dataclass
class Page:
    path: str  # output path relative to the site root, e.g. "programs/x/index.html"
    template: str
    context: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Site-relative URL of the page ("" for the home page)."""
        p = self.path
        if p.endswith("index.html"):
            return p[: -len("index.html")]
        return p


class Assets:
    """Theme static files, copied under assets/ with a content hash in the name, so hosts can
    cache them for a year and a changed file gets a new URL."""

    def __init__(self, theme_dirs: list[Path]):
        self.files: dict[str, bytes] = {}
        self.urls: dict[str, str] = {}
        seen: set[str] = set()
        for d in theme_dirs:
            static = d / "static"
            if not static.is_dir():
                continue
            for path in sorted(static.rglob("*")):
                rel = path.relative_to(static).as_posix()
                if path.is_file() and rel not in seen:
                    seen.add(rel)
                    self._add(rel, path.read_bytes())

    def _add(self, rel: str, data: bytes) -> None:
        p = PurePosixPath(rel)
        if p.suffix in (".css", ".js", ".mjs", ".svg", ".png", ".woff2", ".ico"):
            digest = hashlib.sha256(data).hexdigest()[:10]
            out = f"assets/{p.parent / f'{p.stem}.{digest}{p.suffix}'}".replace("/./", "/")
        else:
            out = f"assets/{rel}"
        self.urls[rel] = out
        self.files[out] = data


def _jsonable(value: object) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


# Record attributes the model computes from *other* records' links (reverse links).
REVERSE_LINKS = frozenset({"related", "children", "successors", "duplicates", "data_notes", "records", "descendants"})


class TrackingEnvironment(Environment):
    """An environment that notes what a template reads while `deps` is a set: the id of every
    record whose attribute it reads (and `<id>@` when it reads the record's reverse links, which
    change when another record links to it or stops), `site.<name>` for the site-wide lists it
    reads, and `template:<name>` for every template it loads. `serve` uses these to re-render
    exactly the pages a change touches (budgetsite.incremental)."""

    deps: set[str] | None = None

    def _read(self, deps: set[str], obj: object, name: object) -> None:
        if isinstance(obj, Record):
            deps.add(obj.id)
            if name in REVERSE_LINKS:
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
        return super().getitem(obj, argument)  # type: ignore[arg-type]

    def get_template(self, name, parent=None, globals=None):  # type: ignore[no-untyped-def]
        if self.deps is not None and isinstance(name, str):
            self.deps.add(f"template:{name}")
        return super().get_template(name, parent, globals)


class Renderer:
    def __init__(self, config: SiteConfig, site: Site, corrector: Corrector, extra_context: dict | None = None,
                 auto_reload: bool = False, track: bool = False):
        self.config = config
        self.site = site
        self.corrector = corrector
        self.t = i18n.load_translations(config.theme_dirs(), config.language)
        self.assets = Assets(config.theme_dirs())
        loaders = [FileSystemLoader(str(d / "templates")) for d in config.theme_dirs()]
        env_class = TrackingEnvironment if track else Environment
        env = env_class(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                        undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True,
                        keep_trailing_newline=True, auto_reload=auto_reload)
        self.tracking: TrackingEnvironment | None = env if isinstance(env, TrackingEnvironment) else None
        # auto_reload=False: a build compiles each template once and never stats its file again
        # (an include or import would otherwise check the file on disk on every page).
        self._templates: dict[str, Template] = {}
        lang = config.language
        env.filters.update(
            won=lambda m: i18n.format_won(m.won if hasattr(m, "won") else m, lang),
            printed=i18n.format_printed,
            figure=lambda v: i18n.format_figure(v if v is not None and not isinstance(v, Undefined) else None),
            shortage=lambda v: i18n.format_figure(
                v if v is not None and not isinstance(v, Undefined) else None, shortage=True),
            rate=i18n.format_rate,
            number=i18n.format_number,
            date=lambda s: i18n.format_date(s, lang),
            md=self.md, txt=self.txt, plain=plain,
            tojson_attr=lambda v: json.dumps(_jsonable(v), ensure_ascii=False),
            record_for_file=self.record_for_file,
            records=self.records,
        )
        env.globals.update(t=self.t, url=self.url, asset=self.asset, site=site, config=config,
                           lang=lang, record_url=self.record_url, as_of=self.as_of, as_of_text=self.as_of_text,
                           STATUS_ORDER=STATUS_ORDER, edit_url=self.edit_url, absolute=self.absolute,
                           source_text=self.source_text, charts_for=lambda rec=None, page=None: [])
        env.globals.update(extra_context or {})
        self.env = env

    def use_site(self, site: Site, corrector: Corrector, extra_context: dict | None = None) -> None:
        """Render from a new model with the same compiled templates (serve, after a data change)."""
        self.site, self.corrector = site, corrector
        self.env.globals["site"] = site
        self.env.globals.update(extra_context or {})
        self.__dict__.pop("_by_file", None)
        # An imported macro template keeps the globals of its first import: import it again.
        for template in list((self.env.cache or {}).values()) + list(self._templates.values()):
            template._module = None

    def _note(self, *tokens: str) -> None:
        deps = self.tracking.deps if self.tracking is not None else None
        if deps is not None:
            deps.update(tokens)

    def charts_lookup(self, lookup: Callable[..., list]) -> Callable[..., list]:
        """`charts_for` for templates; when tracking, a page notes whose charts it asked for."""
        if self.tracking is None:
            return lookup

        def charts_for(rec: Record | None = None, page: str | None = None) -> list:
            self._note(f"charts:{rec.id}" if rec is not None else f"charts:@{page or ''}")
            return lookup(rec, page)
        return charts_for

    # ---- helpers available to templates -------------------------------------------------
    def records(self, ids: object) -> list[Record]:
        wanted = list(ids or [])  # type: ignore[call-overload]
        self._note(*(str(i) for i in wanted))
        return [r for i in wanted if (r := self.site.get(i)) is not None]

    def url(self, path: str = "") -> str:
        return self.config.base_url + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        return self.config.site_url.rstrip("/") + self.url(path)

    def asset(self, rel: str) -> str:
        return self.url(self.assets.urls[rel])

    def record_for_file(self, path: str) -> Record | None:
        if not hasattr(self, "_by_file"):
            self._by_file = {rec.file.as_posix(): rec for rec in self.site.records.values()}
        found = self._by_file.get(path)
        self._note(found.id if found is not None else f"file:{path}")
        return found

    def record_url(self, rid: str) -> str:
        rec = self.site.get(rid)
        self._note(rid)
        return self.url(rec.url) if rec else ""

    def edit_url(self, rec: Record) -> str:
        if not self.config.repo_url:
            return ""
        return f"{self.config.repo_url.rstrip('/')}/edit/{self.config.repo_branch}/{rec.file.as_posix()}"

    def as_of(self, rec: Record) -> str:
        """The record's own as-of date, else its report's date."""
        own = rec.get("as_of")
        if isinstance(own, str):
            return own
        self._note(rec.source.doc)
        doc = self.site.get(rec.source.doc)
        return str(doc.get("report_date")) if doc else ""

    def as_of_text(self, rec: Record) -> str:
        """The as-of date as readers should see it: a record's own date in full, else the report's
        date as printed ("2020. 11."), never a day the report did not give."""
        own = rec.get("as_of")
        if isinstance(own, str):
            return i18n.format_date(own, self.config.language)
        self._note(rec.source.doc)
        doc = self.site.get(rec.source.doc)
        if doc is None:
            return ""
        return str(doc.get("report_date_printed")
                   or i18n.format_date(str(doc.get("report_date")), self.config.language))

    def source_text(self, doc: Record) -> list[str]:
        path = self.config.reports_dir / str(doc.get("file"))
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def txt(self, text: object, rec: Record | None = None) -> str:
        s = "" if text is None or isinstance(text, Undefined) else str(text)
        # Data notes quote the reports as printed, so no correction touches them.
        if rec is None or rec.kind == "notes":
            return s
        return self.corrector.apply(s, rec.source.doc)

    def md(self, text: object, rec: Record | None = None) -> Markup:
        return markdown(self.txt(text, rec))

    # ---- rendering ----------------------------------------------------------------------
    def render(self, page: Page, deps: set[str] | None = None) -> bytes:
        """The page's bytes; with `deps` (a tracking renderer), what it read is added to it."""
        template = self._templates.get(page.template)
        if template is None:
            template = self._templates[page.template] = self.env.get_template(page.template)
        if deps is None or self.tracking is None:
            return template.render(page=page, **page.context).encode("utf-8")
        deps.add(f"template:{page.template}")
        outer, self.tracking.deps = self.tracking.deps, deps
        try:
            return template.render(page=page, **page.context).encode("utf-8")
        finally:
            self.tracking.deps = outer

    def forget_templates(self) -> None:
        """Compile every template again on next use (serve, after a template changed)."""
        self._templates.clear()
        self.env.cache.clear()  # type: ignore[union-attr]

    def template_for(self, candidates: list[str]) -> str:
        for name in candidates:
            try:
                self.env.get_template(name)
                return name
            except Exception:
                continue
        raise LookupError(candidates)


def record_pages(site: Site, renderer: Renderer) -> Iterator[Page]:
    for kind in sorted(site.by_kind):
        records = site.by_kind[kind]
        yield Page(f"{kind}/index.html", renderer.template_for([f"lists/{kind}.html", "lists/records.html"]),
                   {"kind": kind, "records": records})
        single = renderer.template_for([f"kinds/{kind}.html", "kinds/record.html"])
        for rec in records:
            yield Page(f"{rec.url}index.html", single, {"record": rec, "kind": kind})

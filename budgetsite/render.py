"""Stage 5 — render: every page of the site as bytes, from the model and the theme's templates.

Templates resolve through an ordered list of theme folders (the site's theme, then the default),
so a site overrides any template by putting a file of the same name in its own theme.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, Undefined, select_autoescape
from markupsafe import Markup

from . import i18n
from .config import SiteConfig
from .model import Record, Site
from .text import Corrector, markdown, plain

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


class Renderer:
    def __init__(self, config: SiteConfig, site: Site, corrector: Corrector, extra_context: dict | None = None):
        self.config = config
        self.site = site
        self.corrector = corrector
        self.t = i18n.load_translations(config.theme_dirs(), config.language)
        self.assets = Assets(config.theme_dirs())
        loaders = [FileSystemLoader(str(d / "templates")) for d in config.theme_dirs()]
        env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                          undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True)
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
            records=lambda ids: [r for i in ids or [] if (r := site.get(i)) is not None],
        )
        env.globals.update(t=self.t, url=self.url, asset=self.asset, site=site, config=config,
                           lang=lang, record_url=self.record_url, as_of=self.as_of, as_of_text=self.as_of_text,
                           STATUS_ORDER=STATUS_ORDER, edit_url=self.edit_url, absolute=self.absolute,
                           source_text=self.source_text, charts_for=lambda rec=None, page=None: [])
        env.globals.update(extra_context or {})
        self.env = env

    # ---- helpers available to templates -------------------------------------------------
    def url(self, path: str = "") -> str:
        return self.config.base_url + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        return self.config.site_url.rstrip("/") + self.url(path)

    def asset(self, rel: str) -> str:
        return self.url(self.assets.urls[rel])

    def record_for_file(self, path: str) -> Record | None:
        if not hasattr(self, "_by_file"):
            self._by_file = {rec.file.as_posix(): rec for rec in self.site.records.values()}
        return self._by_file.get(path)

    def record_url(self, rid: str) -> str:
        rec = self.site.get(rid)
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
        doc = self.site.get(rec.source.doc)
        return str(doc.get("report_date")) if doc else ""

    def as_of_text(self, rec: Record) -> str:
        """The as-of date as readers should see it: a record's own date in full, else the report's
        date as printed ("2020. 11."), never a day the report did not give."""
        own = rec.get("as_of")
        if isinstance(own, str):
            return i18n.format_date(own, self.config.language)
        doc = self.site.get(rec.source.doc)
        if doc is None:
            return ""
        return str(doc.get("report_date_printed") or i18n.format_date(str(doc.get("report_date")), self.config.language))

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
    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        html = template.render(page=page, **page.context)
        return html.encode("utf-8")

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

"""The renderer: Jinja2 over the theme folders (the portal's theme first, file by file), with the
filters and globals every template uses."""

from __future__ import annotations

import json
from collections.abc import Callable

from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    select_autoescape,
)
from markupsafe import Markup

from .. import i18n
from ..config import SiteConfig
from ..model import Record, Site
from ..model.corrections import Corrector
from .assets import Assets
from .markdown import markdown, plain
from .page import Page
from .tracking import TrackingEnvironment


class PageError(Exception):
    """A page that could not be rendered: which template, at which line, for which page, and why.
    Plain text only, so it crosses from a render worker to the parent unchanged."""

    @classmethod
    def of(cls, exc: BaseException, template: str, page: str) -> PageError:
        where, line = template, 0
        if isinstance(exc, TemplateSyntaxError):
            where, line = exc.filename or exc.name or template, exc.lineno
        else:  # a runtime error: the innermost frame jinja2 mapped to a template line
            tb = exc.__traceback__
            while tb is not None:
                name = tb.tb_frame.f_code.co_filename
                if name.endswith((".html", ".xml", ".txt")):
                    where, line = name, tb.tb_lineno
                tb = tb.tb_next
        text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        at = f"{where}:{line}" if line else where
        return cls(f"{at}: {type(exc).__name__}: {text}" + (f" (while rendering {page})" if page else ""))


def _jsonable(value: object) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class Renderer:
    def __init__(self, config: SiteConfig, site: Site, corrector: Corrector, extra_context: dict | None = None,
                 auto_reload: bool = False, track: bool = False):
        self.config = config
        self.site = site
        self.corrector = corrector
        self.t = i18n.load_translations(config.theme_dirs(), config.language)
        self.assets = Assets(config.theme_dirs())
        loaders = [FileSystemLoader(str(d / "templates")) for d in config.theme_dirs()]
        env_class: type[Environment] = TrackingEnvironment if track else Environment
        env = env_class(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                        undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True,
                        keep_trailing_newline=True, auto_reload=auto_reload)
        self.tracking: TrackingEnvironment | None = env if isinstance(env, TrackingEnvironment) else None
        if self.tracking is not None:
            self.tracking.reverse_links = frozenset(site.kinds.reverse_names() | {"descendants"})
        # auto_reload=False: a build compiles each template once and never stats its file again
        # (an include or import would otherwise check the file on disk on every page).
        self._templates: dict[str, Template] = {}
        lang = config.language
        env.filters.update(
            amount=lambda m: i18n.format_amount(m.base if hasattr(m, "base") else m, lang),
            won=lambda m: i18n.format_amount(m.base if hasattr(m, "base") else m, lang),  # the filter's old name
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
        env.globals.update(currency=config.currency, t=self.t, url=self.url, asset=self.asset, site=site, config=config,
                           lang=lang, record_url=self.record_url, as_of=self.as_of, as_of_text=self.as_of_text,
                           STATUS_ORDER=site.kinds.statuses("audits"), edit_url=self.edit_url, absolute=self.absolute,
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
        return self.config.url(path)

    def absolute(self, path: str = "") -> str:
        return self.config.absolute(path)

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
        if not isinstance(rec.get("as_of"), str):
            self._note(rec.source.doc)
        return self.site.as_of(rec)

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
        try:
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
        except PageError:
            raise
        except Exception as exc:  # a template's mistake: name the template, its line and the page
            raise PageError.of(exc, page.template, page.path) from None

    def forget_templates(self) -> None:
        """Compile every template again on next use (serve, after a template changed)."""
        self._templates.clear()
        self.env.cache.clear()  # type: ignore[union-attr]

    def template_for(self, candidates: list[str]) -> str:
        """The first template of `candidates` the theme folders have. A template that exists but
        does not compile is an error (PageError), never a reason to fall back to the next."""
        for name in candidates:
            try:
                self.env.get_template(name)
            except TemplateNotFound as exc:
                if exc.name != name:  # it exists but extends or imports one that does not
                    raise PageError.of(exc, name, "") from None
                continue
            except TemplateSyntaxError as exc:
                raise PageError.of(exc, name, "") from None
            return name
        raise PageError(f"no template of {', '.join(candidates)} in {self._theme_list()}")

    def _theme_list(self) -> str:
        return ", ".join(str(d / "templates") for d in self.config.theme_dirs())



"""Site configuration: `site_config.yaml` at the project root."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .money import KRW, Currency, currency_from_config
from .numbers import DEFAULT_NUMBERS, NumberFormat

# What the package itself carries: the default theme and the default record kinds' schemas.
PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_THEMES = PACKAGE_DIR / "themes"
PACKAGE_SCHEMAS = PACKAGE_DIR / "kinds" / "schemas"


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str = "예산 공개 포털"
    description: str = ""
    base_url: str = "/"
    site_url: str = ""  # absolute origin for citations and sitemap, e.g. https://example.org
    language: str = "ko"
    theme: str = "default"
    publisher: str = ""
    licence: str = ""
    licence_url: str = ""
    repo_url: str = ""  # GitHub repository for "edit this page" links
    repo_branch: str = "main"
    # The values records may use for shared definitions (budgetsite.kinds): empty, any.
    jurisdictions: tuple[str, ...] = ()
    currency: Currency = KRW  # `currency:` in site_config.yaml (budgetsite.money); the won by default
    number_format: NumberFormat = DEFAULT_NUMBERS  # `number_format: {thousands: ",", decimal: "."}`
    extra: dict = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def reports_dir(self) -> Path:
        """The reports' text as extracted, so every record's line numbers can be opened."""
        return self.root / "reports"

    def url(self, path: str = "") -> str:
        """A site path as a link: under base_url (`programs/x/` → `/portal/programs/x/`)."""
        return self.base_url + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        """A site path as a full URL (for citations, feeds and the sitemap) when site_url is set."""
        return self.site_url.rstrip("/") + self.url(path)

    def vocabulary(self) -> dict[str, list[str]]:
        """Values that records may use, by shared definition of the kinds' schemas."""
        return {"jurisdiction": list(self.jurisdictions), "unit": [name for name, _ in self.currency.units]}

    def schema_dirs(self) -> list[Path]:
        """Folders of record-kind schemas, first match wins: the portal's own `schema/` (a file
        there replaces the package's schema of the same name, a new name adds a kind), then the
        kinds the package carries."""
        return [d for d in (self.root / "schema", PACKAGE_SCHEMAS) if d.is_dir()]

    def theme_dirs(self) -> list[Path]:
        """Folders searched for templates, static files and translations, first match wins, file
        by file: the portal's own `themes/<theme>/`, the package's theme of that name, then the
        package's default theme (as MkDocs' `custom_dir` overrides its theme)."""
        dirs: list[Path] = []
        for d in (self.root / "themes" / self.theme, PACKAGE_THEMES / self.theme, PACKAGE_THEMES / "default"):
            if d.is_dir() and d not in dirs:
                dirs.append(d)
        return dirs


def load_config(root: Path, overrides: dict | None = None) -> SiteConfig:
    path = root / "site_config.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    raw = dict(raw or {})
    raw.update(overrides or {})
    base = str(raw.get("base_url", "/"))
    if not base.startswith("/"):
        base = "/" + base
    if not base.endswith("/"):
        base += "/"
    raw["base_url"] = base
    known = {f for f in SiteConfig.__dataclass_fields__ if f not in ("root", "extra")}
    kwargs = {k: v for k, v in raw.items() if k in known}
    if isinstance(kwargs.get("currency"), dict):
        kwargs["currency"] = currency_from_config(kwargs["currency"])
    if isinstance(kwargs.get("number_format"), dict):
        kwargs["number_format"] = NumberFormat(**{k: str(v) for k, v in kwargs["number_format"].items()})
    if "jurisdictions" in kwargs:
        kwargs["jurisdictions"] = tuple(str(j) for j in kwargs["jurisdictions"] or ())
    extra = {k: v for k, v in raw.items() if k not in known}
    return SiteConfig(root=root, extra=extra, **kwargs)

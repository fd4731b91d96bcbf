"""Site configuration: `site_config.yaml` at the project root."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


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

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    def theme_dirs(self) -> list[Path]:
        """Folders searched for templates and static files, first match wins:
        the site's own `themes/<theme>/`, then the bundled default theme."""
        dirs = [self.root / "themes" / self.theme]
        default = self.root / "themes" / "default"
        if default not in dirs:
            dirs.append(default)
        return [d for d in dirs if d.is_dir()]


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
    extra = {k: v for k, v in raw.items() if k not in known}
    return SiteConfig(root=root, extra=extra, **kwargs)

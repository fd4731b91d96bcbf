"""Stage 4c — exports: the open-data downloads under /data/. (Filled in by the open-data work;
this is the contract.)"""

from __future__ import annotations

from .config import SiteConfig
from .model import Site


def export_files(site: Site, config: SiteConfig, renderer) -> dict[str, bytes]:
    return {}

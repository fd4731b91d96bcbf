"""Theme static files, published under /assets/ with a content hash in their names."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath


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

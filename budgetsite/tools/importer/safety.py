"""Where an import may write: a drafts folder that is none of the project's inputs."""

from __future__ import annotations

from pathlib import Path

from ...config import SiteConfig
from . import ImportRefused


def check_out_dir(out: Path, config: SiteConfig) -> Path:
    """The output folder, resolved; refused when it is, holds or lies inside an input folder
    (data/, reports/, content/, schema/, themes/) or the project folder itself, so drafts can
    never overwrite or delete records."""
    resolved = out.resolve()
    root = config.root.resolve()
    inputs = [config.data_dir, config.reports_dir, config.content_dir, root / "schema", root / "themes"]
    if resolved == root:
        raise ImportRefused(f"--out {out} is the project folder; give a drafts folder such as drafts/")
    for folder in inputs:
        folder = folder.resolve()
        if resolved == folder or resolved.is_relative_to(folder) or folder.is_relative_to(resolved):
            raise ImportRefused(f"--out {out} is or contains an input folder ({folder.relative_to(root)}/): "
                                "drafts go to a folder of their own, such as drafts/")
    if resolved.exists() and not resolved.is_dir():
        raise ImportRefused(f"--out {out} is a file")
    return resolved

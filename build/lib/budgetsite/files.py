"""Writing one file so that no reader ever sees half of it: the bytes go to a temporary file
beside it, which is then renamed over it (atomic on POSIX and Windows). Caches, the dev server
and the chart images all write this way, since another build or a browser may read at any time."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, only_if_changed: bool = True) -> bool:
    """Write `data` to `path` (creating its folder); with `only_if_changed`, leave a file that
    already holds these bytes alone. True when the file was written."""
    if only_if_changed:
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except OSError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # pid and thread: two processes, or two threads of the dev server, never share a temporary name
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True

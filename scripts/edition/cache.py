"""The build's caches in .cache/ (formatted citations, the parsed bibliography): JSON files that are
read leniently (missing or damaged: as if empty) and written atomically (a build stopped halfway never
leaves half a file). Losing a cache only costs the next build the work it saved."""
from __future__ import annotations

import json
import os
from pathlib import Path


def read(path: Path) -> dict | None:
    """The cached object, or None if the file is missing, unreadable or not a JSON object."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(path: Path, data: dict) -> None:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only slower next time

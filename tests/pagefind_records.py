"""The records of a built site's search index, read back from Pagefind's files (for the tests).

Each record's text and metadata is one "fragment" of the bundle: gzip of ``pagefind_dcd`` and a JSON object
(Pagefind's format); the words' index itself is binary, and is exercised by running Pagefind (search_rank.mjs).
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def read_records(site: Path) -> list[dict]:
    """Every record: {"url", "kind", "title", "place", "names", "content"}, in no particular order."""
    found = []
    for path in sorted((Path(site) / "pagefind").glob("**/fragment/*.pf_fragment")):  # the index and its parts
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), path
        fragment = json.loads(data[len(SIGNATURE):])
        meta = fragment["meta"]
        found.append({"url": meta["url"], "kind": meta["kind"], "title": meta["title"], "place": meta["place"],
                      "names": meta.get("names", ""), "content": fragment["content"]})
    return found

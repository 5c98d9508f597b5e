"""Atomic build: build into a temporary folder, then replace site/ only if the build succeeded.

A failed build exits non-zero and leaves the previous site/ byte-for-byte as it was.
Usage: python scripts/build_site.py [--site-dir DIR] [--config mkdocs.yml]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml: site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--config", default="mkdocs.yml")
    args = parser.parse_args(argv)
    config = Path(args.config).resolve()
    site = (config.parent / args.site_dir).resolve()
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")  # the plugins' banners
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run([str(mkdocs), "build", "--strict", "-f", str(config), "-d", str(tmp)],
                            env=env, cwd=config.parent)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"build failed: {site.name}/ left as it was", file=sys.stderr)
        return result.returncode
    if not os.environ.get("SITE_URL"):
        print(f"note: SITE_URL is not set, so canonical links, short-reference pages and the citations shown "
              f"without JavaScript name {DEFAULT_SITE_URL}; to publish, build with "
              f"SITE_URL=https://your.host/path/ make build (citations shown with JavaScript always use the "
              f"address the page is served from)", file=sys.stderr)
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    tmp.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

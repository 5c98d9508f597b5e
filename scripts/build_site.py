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
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    tmp.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

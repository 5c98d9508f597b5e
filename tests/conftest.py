"""Shared fixtures: one full build of the edition per test session, served on 127.0.0.1."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from serve import make_server  # scripts/ is on the path (pytest.ini)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = ROOT / "test-output"


def build_site(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Build a project with the real build command (atomic, strict); returns the finished process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"), "--config",
                           str(project / "mkdocs.yml"), "--site-dir", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=project)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "site"
    result = build_site(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def server(site):
    httpd = make_server(site)  # the static host the README names (scripts/serve.py): serves 404.html
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def base_url(server):
    return server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


PROJECT_FILES = ["mkdocs.yml", "bibliography.bib", "glossary.yml", "edition.yml", "annotations.yml", "study.yml"]
PROJECT_DIRS = ["docs", "overrides", "scripts"]


def copy_project(dest: Path) -> Path:
    """A full copy of the project's sources (not its build) in dest, to change and build."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest

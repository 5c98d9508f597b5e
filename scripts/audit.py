"""Lighthouse audit of the built site: the home page, a chapter and a glossary entry.

Serves site/ on 127.0.0.1 (on site_url's port when it is free, so canonical links match), runs
Lighthouse 12.2.3 from node_modules with Debian's Chromium (no download, no outside request),
writes the four category scores per page to test-output/lighthouse.json (full reports next to
it in test-output/lighthouse/) and prints a table. Not part of `make test`: scores move by a few
points between runs on a busy machine. Usage: python scripts/audit.py [--site site] [--desktop]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import io
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# TOOLING.md section 7: these flags keep Chromium quiet and offline.
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
OUT = ROOT / "test-output"


class Server(http.server.SimpleHTTPRequestHandler):
    """Serves the files the way a static host does: text compressed with gzip when asked for."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"      # a folder without its slash: the parent redirects
        if path.is_file() and path.suffix in self.TEXT and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600")
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def site_port(site: Path) -> int:
    """site_url's port, read from the built home page's canonical link (8000 by default)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    parts = urlsplit(m.group(1)) if m else None
    return parts.port or 80 if parts and parts.hostname in ("127.0.0.1", "localhost") else 8000


def serve(site: Path, port: int):
    handler = functools.partial(Server, directory=str(site))
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError:  # taken (make serve?): any free port; only the canonical audit can notice
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def term_page(site: Path) -> str:
    """The first glossary entry linked from /glossary/ (the index itself while there is none)."""
    index = site / "glossary" / "index.html"
    text = index.read_text(encoding="utf-8") if index.exists() else ""
    article = text[text.find("<article"):text.find("</article>")]
    for href in re.findall(r'href="(?:\./|\.\./glossary/|/glossary/)?([a-z0-9][a-z0-9-]*)/(?:#[^"]*)?"', article):
        entry = site / "glossary" / href / "index.html"
        if entry.exists() and 'id="definition"' in entry.read_text(encoding="utf-8"):  # not the print page
            return f"/glossary/{href}/"
    return "/glossary/"


def lighthouse(url: str, report: Path, desktop: bool) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
           "--quiet", "--only-categories=" + ",".join(CATEGORIES)]
    if desktop:
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error on {url}: {data['runtimeError']}")
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failing = sorted({a["id"] for c in CATEGORIES for a in data["categories"][c]["auditRefs"]
                      if a.get("weight") and (data["audits"][a["id"]].get("score") is not None)
                      and data["audits"][a["id"]]["score"] < 0.9})
    return {"url": url, "scores": scores, "below_90": failing, "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset (default: mobile)")
    parser.add_argument("--output", default=str(OUT / "lighthouse.json"))
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    if not (site / "index.html").exists():
        print(f"no built site at {site}: run `make build` first", file=sys.stderr)
        return 2
    if not LIGHTHOUSE.exists():
        print("node_modules/.bin/lighthouse missing: run `make node`", file=sys.stderr)
        return 2
    pages = {"home": "/", "chapter": "/paul-mason/", "term": term_page(site)}
    reports = OUT / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    httpd, base = serve(site, site_port(site))
    results = {}
    try:
        for name, path in pages.items():
            results[name] = lighthouse(base + path, reports / f"{name}.json", args.desktop)
    finally:
        httpd.shutdown()
        httpd.server_close()
    summary = {"lighthouse": "12.2.3", "form_factor": "desktop" if args.desktop else "mobile",
               "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "pages": results}
    Path(args.output).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")

    head = f"{'page':<9} {'path':<28}" + "".join(f"{c:>16}" for c in CATEGORIES)
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        print(f"{name:<9} {pages[name]:<28}" + "".join(f"{r['scores'][c]:>16}" for c in CATEGORIES))
        if r["below_90"]:
            print(f"{'':<9} audits below 0.9: {', '.join(r['below_90'])}")
    print(f"\nscores written to {Path(args.output).relative_to(ROOT) if Path(args.output).is_relative_to(ROOT) else args.output}"
          f"; full reports in {reports.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Serve the built site on 127.0.0.1 the way a static host does (``make serve-site``).

Unlike ``python3 -m http.server``, a missing address gets the site's own ``404.html`` (with status
404), as GitHub Pages, Netlify and most hosts do: that page resolves short references that have no
file of their own, such as a range (/p/III.12-14/). The tests serve the site with the same handler.
Usage: python scripts/serve.py [--port 8000] [--dir site]
"""
from __future__ import annotations

import argparse
import functools
import http.server
from pathlib import Path


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A quiet static host that answers a missing address with the site's 404.html."""

    def log_message(self, *args):  # keep the output (and the tests') readable
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(directory: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(StaticHost, directory=str(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parents[1] / "site"))
    args = parser.parse_args()
    httpd = make_server(Path(args.dir), args.port)
    print(f"Serving {args.dir} on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()

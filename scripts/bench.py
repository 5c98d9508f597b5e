"""Benchmarks: build cost against a plain MkDocs build, scaling, peak memory and page weight.

Usage: python scripts/bench.py [--pairs N] [--profile] [--keep] [--out bench/latest.json]

  overhead  the full build (this project, hooks on, warm citation cache) against a plain MkDocs build
            of the same pages (same mkdocs.yml minus ``hooks:``; the chapters as they are and the
            generated pages as plain .md files), each in a fresh process, interleaved A B A B…;
            the median and min–max of the per-pair ratios; one cold full build (empty cache) apart.
  scaling   a synthetic corpus at 1×, 10× and 50× the essay (each chapter repeated k times, notes
            and paragraph references renumbered): the time of each annotation stage (EDITION_TIMINGS)
            and its growth factor; peak resident memory of the build process at each size.
  weight    for each kind of page: HTML bytes raw and gzipped, the bytes of a first visit (HTML + the
            CSS and JS it references, gzipped) and of a second page (shared assets cached), and a
            chapter's gzipped HTML against its gzipped text.
  budgets   PASS/FAIL for each budget in README.md ("Benchmarks").
  --profile cProfile of the full build and of the 50× build: the top entries (also in the JSON).

Everything runs on a snapshot of the project in bench/work.tmp/ (removed at the end unless --keep),
so edits made meanwhile do not skew a comparison. The table is written to bench/latest.json, and the
last line printed is ``overhead: <median ratio>x (plain <s> s, full <s> s)``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import html.parser
import io
import itertools
import json
import os
import platform
import posixpath
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from edition.chapters import PART  # noqa: E402  (the essay's parts: their one source)

WORK = ROOT / "bench" / "work.tmp"
OUT = ROOT / "bench" / "latest.json"
MKDOCS = Path(sys.executable).with_name("mkdocs")

# Budgets (README.md, "Benchmarks").
BUDGET_OVERHEAD = 1.3  # full build / plain build, median of pairs
BUDGET_GROWTH_50 = 55.0  # each stage at 50× / at 1×
BUDGET_MEMORY_RATIO = 1.5  # peak RSS of the build at 50× / the plain build's at 50× (issue 18)
BUDGET_TEXT_RATIO = 2.0  # a chapter's gzipped HTML / its gzipped text
# Stage times under this count as this much when computing growth (timer and GC noise at 1×).
STAGE_FLOOR_S = 0.001
GZIP_LEVEL = 6  # what a typical server sends (nginx gzip_comp_level 6, Apache mod_deflate's default)

# Plugins that only check the site (produce no page): switched off in both builds.
CHECK_PLUGINS = {"htmlproofer"}
# Copied into the snapshot: everything but these (the build reads mkdocs.yml, docs/, overrides/,
# scripts/, bibliography.bib, glossary.yml, edition.yml…).
SNAPSHOT_IGNORE = {".git", ".venv", "node_modules", "site", ".cache", "bench", "test-output", ".hypothesis",
                   ".pytest_cache", "__pycache__", "tests"}

PAGE_KINDS = [("home", "index.html"), ("chapter", None), ("bibliography", "bibliography/index.html"),
              ("glossary index", "glossary/index.html"), ("term page", None), ("study", "study/index.html"),
              ("whole essay", "whole/index.html"), ("about", "about/index.html")]


# == pure functions ================================================================================
NOTE_DEF_LINE = re.compile(r"^\[\^(\d+)\]:")
NOTE_MARKER = re.compile(r"\[\^(\d+)\](?!:)")
PARA_REF = re.compile(rf"#({PART})\.(\d+)([a-z]?)(?=[\s}}])")
ATTR_LINE = re.compile(rf"^(?:>\s?)?\s*\{{\s*#{PART}\.\d+[a-z]?[^}}]*\}}\s*$")
HEADING_ID = re.compile(r"^(#{1,6}\s.*\{[^}]*?#)([\w-]+)")


def split_chapter(source: str) -> tuple[str, str, str]:
    """(front matter, body, note definitions) of a chapter; each keeps its own lines and newlines."""
    front = ""
    m = re.match(r"---\n.*?\n---\n", source, re.S)
    if m:
        front, source = m.group(0), source[m.end():]
    body, defs = [], []
    in_def = False
    for line in source.splitlines(keepends=True):
        if NOTE_DEF_LINE.match(line):
            in_def = True
            defs.append(line)
        elif in_def and (line.startswith(("    ", "\t"))):
            defs.append(line)  # a note's continuation lines
        else:
            in_def = False
            body.append(line)
    return front, "".join(body), "".join(defs)


def max_ref_number(text: str) -> int:
    return max((int(m.group(2)) for line in text.splitlines() if ATTR_LINE.match(line)
                for m in PARA_REF.finditer(line)), default=0)


def scale_chapter(source: str, k: int, first_note: int) -> tuple[str, int]:
    """The chapter's text repeated k times, its notes numbered from first_note on and its paragraph
    references and heading ids kept unique (copy j adds j × the chapter's highest paragraph number).
    Returns (text, next note number). k == 1 with the chapter's own first note gives the source back."""
    front, body, defs = split_chapter(source)
    if not body.endswith("\n"):
        body += "\n"
    step = max_ref_number(body)
    next_note = first_note
    bodies, notes = [], []
    for j in range(k):
        mapping: dict[int, int] = {}

        def marker(m: re.Match, mapping: dict[int, int] = mapping) -> str:  # called at once: bind this part's map
            nonlocal next_note
            n = int(m.group(1))
            if n not in mapping:
                mapping[n] = next_note
                next_note += 1
            return f"[^{mapping[n]}]"

        lines = []
        for line in body.splitlines(keepends=True):
            if ATTR_LINE.match(line):
                line = PARA_REF.sub(lambda m, j=j: f"#{m.group(1)}.{int(m.group(2)) + j * step}{m.group(3)}", line)
            elif j and HEADING_ID.match(line):
                line = HEADING_ID.sub(lambda m, j=j: f"{m.group(1)}{m.group(2)}-{j + 1}", line)
            lines.append(NOTE_MARKER.sub(marker, line))
        bodies.append("".join(lines))
        notes.append("".join(
            NOTE_DEF_LINE.sub(lambda m, mapping=mapping: f"[^{mapping.get(int(m.group(1)), int(m.group(1)))}]:", line)
            for line in defs.splitlines(keepends=True)))
    sep = "" if k == 1 else "\n"
    text = front + sep.join(bodies) + "".join(notes)
    return text, next_note


def scale_corpus(chapters: list[tuple[str, str]], k: int) -> dict[str, str]:
    """{slug: scaled text} for chapters given in reading order as (slug, source); notes run on."""
    out, note = {}, 1
    for slug, source in chapters:
        markers = [int(n) for n in NOTE_MARKER.findall(split_chapter(source)[1])]
        first = min(markers) if markers else note
        if k == 1:  # keep the author's numbers (identical to the essay when it starts at note 1)
            note = first
        out[slug], note = scale_chapter(source, k, note)
    return out


def drop_top_level(yml: str, keys: set[str]) -> str:
    """mkdocs.yml without the given top-level keys (text edit: keeps tags such as !ENV and comments)."""
    out, skipping = [], False
    for line in yml.splitlines(keepends=True):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m:
            skipping = m.group(1) in keys
        elif line.strip() and not line[0].isspace() and not line.startswith("#"):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


def drop_plugins(yml: str, names: set[str]) -> str:
    """mkdocs.yml without the named plugins (list items under ``plugins:``, with their options)."""
    out, in_plugins, skipping, indent = [], False, False, 0
    for line in yml.splitlines(keepends=True):
        if re.match(r"\S", line):
            in_plugins = line.startswith("plugins:")
            skipping = False
        elif in_plugins:
            m = re.match(r"(\s*)-\s*([\w.-]+)", line)
            if m:
                indent = len(m.group(1))
                skipping = m.group(2) in names
            elif skipping and line.strip() and len(line) - len(line.lstrip()) <= indent:
                skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


CHECKS_OFF = """
# bench: checks that produce no page are off (in both the plain and the full build)
strict: false
validation:
  nav: {omitted_files: ignore, not_found: ignore, absolute_links: ignore}
  links: {not_found: ignore, anchors: ignore, absolute_links: ignore, unrecognized_links: ignore}
"""


def checks_off(yml: str) -> str:
    """mkdocs.yml with MkDocs' own checks (strict, validation, checking plugins) switched off."""
    return drop_top_level(drop_plugins(yml, CHECK_PLUGINS), {"strict", "validation"}).rstrip("\n") + "\n" + CHECKS_OFF


def gz_size(data: bytes) -> int:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as fh:
        fh.write(data)
    return len(buf.getvalue())


class _Assets(html.parser.HTMLParser):
    """Stylesheets and scripts a page references, and the text content of its <article>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets: list[str] = []
        self.text: list[str] = []
        self._article = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        if tag == "article":
            self._article += 1
        elif self._article and tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "article" and self._article:
            self._article -= 1
        elif self._skip and tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data):
        if self._article and not self._skip:
            self.text.append(data)


def page_parts(page_html: str) -> tuple[list[str], str]:
    """(referenced CSS/JS URLs, the article's text content with runs of white space collapsed)."""
    parser = _Assets()
    parser.feed(page_html)
    parser.close()
    return parser.assets, re.sub(r"\s+", " ", "".join(parser.text)).strip()


def local_asset(page_rel: str, url: str) -> str | None:
    """The site-relative path of an asset URL referenced from page_rel (None for other hosts)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), parts.path))
    return None if path.startswith("..") else path


def page_weight(site: Path, page_rel: str, cached: set[str]) -> dict:
    """Bytes of one built page: HTML raw and gzipped, first visit (HTML + its CSS and JS, gzipped),
    second page (assets in ``cached`` not fetched again), and its gzipped HTML against its text."""
    raw = (site / page_rel).read_bytes()
    page_html = raw.decode("utf-8")
    assets, text = page_parts(page_html)
    paths = [p for p in (local_asset(page_rel, u) for u in assets) if p and (site / p).is_file()]
    asset_gz = {p: gz_size((site / p).read_bytes()) for p in dict.fromkeys(paths)}
    html_gz = gz_size(raw)
    text_gz = gz_size(text.encode("utf-8"))
    start, end = page_html.find("<article"), page_html.find("</article>")
    article_gz = gz_size(page_html[start:end].encode("utf-8")) if 0 <= start < end else None
    return {"page": page_rel, "html": len(raw), "html_gz": html_gz,
            "first_visit": html_gz + sum(asset_gz.values()),
            "second_page": html_gz + sum(v for p, v in asset_gz.items() if p not in cached),
            "assets": sorted(asset_gz), "text_gz": text_gz,
            "html_per_text": round(html_gz / text_gz, 2) if text_gz else None,
            "article_per_text": round(article_gz / text_gz, 2) if text_gz and article_gz else None}


def sub_stages(names: list[str]) -> set[str]:
    """Stages timed inside another (``glossary_match`` inside ``glossary``): not added to the total."""
    return {n for n in names if any(n.startswith(other + "_") for other in names if other != n)}


def median_range(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def growth(t1: float, tk: float) -> float:
    return tk / max(t1, STAGE_FLOOR_S)


def budgets(result: dict) -> list[dict]:
    """PASS/FAIL of each budget from a result dict (as written to bench/latest.json)."""
    out = []
    ratio = result["overhead"]["ratio"]["median"]
    out.append({"budget": f"full build ≤ {BUDGET_OVERHEAD}× the plain build", "value": f"{ratio:.2f}×",
                "pass": ratio <= BUDGET_OVERHEAD})
    sc = result["scaling"]
    stages = {n: sc["growth"][n]["growth_big"] for n in sc["stage_names"]} if sc["big"] == 50 else {}
    worst = max(stages, key=stages.get) if stages else None
    out.append({"budget": f"each stage at 50× ≤ {BUDGET_GROWTH_50:g}× its 1× time",
                "value": f"worst {worst} {stages[worst]:.1f}×" if worst else "not run at 50×",
                "pass": bool(stages) and stages[worst] <= BUDGET_GROWTH_50})
    mem = sc["peak_rss_mb"].get("50")
    plain_mem = (sc.get("plain_big") or {}).get("peak_rss_mb") if sc["big"] == 50 else None
    out.append({"budget": f"peak memory at 50× ≤ {BUDGET_MEMORY_RATIO:g}× the plain build's",
                "value": f"{mem:.0f} MB, {mem / plain_mem:.2f}× the plain build's {plain_mem:.0f} MB"
                if mem is not None and plain_mem else "not run",
                "pass": mem is not None and bool(plain_mem) and mem <= BUDGET_MEMORY_RATIO * plain_mem})
    chapters = [c for c in result["page_weight"]["chapters"] if c.get("html_per_text")]
    worst_ch = max(chapters, key=lambda c: c["html_per_text"]) if chapters else None
    within = sum(c["html_per_text"] <= BUDGET_TEXT_RATIO for c in chapters)
    out.append({"budget": f"a chapter's gzipped HTML ≤ {BUDGET_TEXT_RATIO:g}× its gzipped text",
                "value": (f"worst {page_name(worst_ch['page'])} {worst_ch['html_per_text']:.2f}×, "
                          f"{within} of {len(chapters)} chapters within") if worst_ch else "no chapters",
                "pass": bool(chapters) and within == len(chapters)})
    return out


def page_name(page_rel: str) -> str:
    return "index" if page_rel == "index.html" else page_rel.rsplit("/index.html", 1)[0]


# == processes =====================================================================================
CAPTURE_HOOK = '''"""bench: copy the files the edition's hooks generate (virtual files) out of a build."""
import os
from pathlib import Path


def on_files(files, config):
    out = Path(os.environ["BENCH_CAPTURE"])
    for f in files:
        if f.generated_by is not None:
            dest = out / f.src_uri
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(f.content_bytes)
    return files
'''


BENCH_NICE = -10  # builds run ahead of other work on a shared machine, where allowed (root)


def _priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, 0, BENCH_NICE)
    except OSError:
        pass  # not allowed: normal priority


#: How many builds this run has made: each writes into a folder of its own (see run_build).
_BUILDS = itertools.count(1)


def run_build(project: Path, site: Path, *, timings: bool = False, profile: Path | None = None,
              capture: Path | None = None) -> dict:
    """One `mkdocs build` in a fresh process: wall time, CPU time and peak RSS (from wait4), and the
    edition's stage timings; ``site`` in the result is the folder it built. ``capture``: also copy the
    generated files out (plain builds use them).

    Each build writes into a new folder (``site`` with the build's number), and no site is deleted before the
    run ends: on a disk without a journal (ext4 as this project's machines have it), Linux skips over the
    inodes freed in the last minutes when it creates a file, so a build made right after deleting the
    previous one's ~2,000 files got slower with every pair (full build 3.09 → 4.55 s over five pairs, the
    plain build's ~300 files steady at 2.3 s; measured 2 December 2026) and the benchmark measured its own
    deletions. README.md ("Benchmarks") gives the figure with the deletions too."""
    site = site.with_name(f"{site.name}.{next(_BUILDS)}")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("EDITION_TIMINGS", None)
    tfile = site.with_name(site.name + ".timings.json")
    tfile.unlink(missing_ok=True)
    if timings:
        env["EDITION_TIMINGS"] = str(tfile)
    config = project / "mkdocs.yml"
    if capture:
        shutil.rmtree(capture, ignore_errors=True)
        capture.mkdir(parents=True)
        hook = WORK / "capture_hook.py"
        hook.write_text(CAPTURE_HOOK, encoding="utf-8")
        hooks = hook_list(config) + [str(hook)]
        yml = config.read_text(encoding="utf-8")
        config = project / "mkdocs.capture.yml"  # beside mkdocs.yml: the hooks find the project from it
        config.write_text(drop_top_level(yml, {"hooks"}).rstrip("\n") + "\n\nhooks:\n"
                          + "".join(f"  - {h}\n" for h in hooks), encoding="utf-8")
        env["BENCH_CAPTURE"] = str(capture)
    cmd = [str(MKDOCS), "build", "--quiet", "-f", str(config), "-d", str(site)]
    if profile:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), *cmd]
    err = site.with_name(site.name + ".stderr")
    with open(err, "wb") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=fh,
                                preexec_fn=_priority)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if capture:
        config.unlink()
    if proc.returncode != 0:
        sys.exit(f"bench: the build of {project} failed:\n{err.read_text(errors='replace')[-4000:]}")
    out = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024, "site": site}
    if timings:
        out["timings"] = json.loads(tfile.read_text()) if tfile.exists() else {}
    return out


def load_yaml(path: Path) -> dict:
    from mkdocs.utils.yaml import yaml_load  # resolves !ENV like MkDocs

    with open(path, encoding="utf-8") as fh:
        return yaml_load(fh) or {}


def hook_list(yml_path: Path) -> list[str]:
    return list(load_yaml(yml_path).get("hooks") or [])


def chapter_slugs(cfg: dict, docs: Path) -> list[str]:
    """The essay's chapters: top-level pages of the nav holding paragraph references."""
    slugs = []
    for item in cfg.get("nav") or []:
        (_, target), = item.items()
        if isinstance(target, str) and target.endswith(".md") and "/" not in target:
            path = docs / target
            if path.is_file() and max_ref_number(path.read_text(encoding="utf-8")):
                slugs.append(target[:-3])
    return slugs


def snapshot(dest: Path) -> None:
    """Copy the project's build inputs, MkDocs' own checks off (not .cache: the first build is cold)."""
    def ignore(folder, names):
        return [n for n in names if n in SNAPSHOT_IGNORE or n.startswith(".site-") or n.endswith(".tmp")]

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    config = dest / "mkdocs.yml"
    config.write_text(checks_off(config.read_text(encoding="utf-8")), encoding="utf-8")


def make_plain(project: Path, captured: Path, plain: Path) -> list[str]:
    """The plain twin of a project: its docs plus the captured generated files as plain files, the
    same mkdocs.yml without ``hooks:`` (and ``watch:``), no scripts. Returns the generated files."""
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(project, plain, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if folder == str(project)
                                                  and n in ("scripts", ".cache", "mkdocs.yml")])
    generated = sorted(p.relative_to(captured).as_posix() for p in captured.rglob("*") if p.is_file())
    for rel in generated:
        dest = plain / "docs" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(captured / rel, dest)
    yml = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (plain / "mkdocs.yml").write_text(drop_top_level(yml, {"hooks", "watch"}), encoding="utf-8")
    return generated


def make_scaled(project: Path, dest: Path, k: int, cache: Path | None) -> None:
    """A copy of the project whose chapters are the essay k times over (see scale_corpus)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project, dest, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    slugs = chapter_slugs(load_yaml(project / "mkdocs.yml"), project / "docs")
    sources = [(s, (project / "docs" / f"{s}.md").read_text(encoding="utf-8")) for s in slugs]
    for slug, text in scale_corpus(sources, k).items():
        (dest / "docs" / f"{slug}.md").write_text(text, encoding="utf-8")
    if cache and cache.exists():
        (dest / ".cache").mkdir(exist_ok=True)
        shutil.copyfile(cache, dest / ".cache" / "citations.json")


# == profiles ======================================================================================
def profile_top(prof: Path, n: int = 15) -> dict:
    stats = pstats.Stats(str(prof))
    rows = []
    for (file, line, func), (_, nc, tt, ct, _) in stats.stats.items():
        rows.append({"function": f"{_short(file)}:{line}({func})", "calls": nc, "tottime": round(tt, 4),
                     "cumtime": round(ct, 4), "ours": "/scripts/" in file})
    total = max((r["cumtime"] for r in rows), default=0.0)
    by_tot = sorted(rows, key=lambda r: -r["tottime"])[:n]
    ours = sorted((r for r in rows if r["ours"]), key=lambda r: -r["cumtime"])[:n]
    return {"total": total, "by_tottime": by_tot, "ours_by_cumtime": ours}


def _short(file: str) -> str:
    for marker in ("/site-packages/", "/scripts/", "/lib/python3."):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


# == main ==========================================================================================
def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "load_before": load}


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=11, help="plain/full pairs (at least 5; default 11)")
    ap.add_argument("--sizes", default="1,10,50", help="corpus sizes (default 1,10,50)")
    ap.add_argument("--profile", action="store_true", help="also profile the full build and the largest corpus")
    ap.add_argument("--keep", action="store_true", help="keep bench/work.tmp/")
    ap.add_argument("--out", default=str(OUT), help="the JSON result (default bench/latest.json)")
    args = ap.parse_args(argv)
    pairs = max(5, args.pairs)
    sizes = sorted({1, *(int(s) for s in args.sizes.split(","))})
    big = sizes[-1]
    started = time.perf_counter()
    result = {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine()}

    # A previous run's work (--keep) is moved aside now and deleted at the end: deleted now, its files would
    # slow this run's builds (see run_build).
    stale = WORK.with_name("previous.tmp") if WORK.exists() else None
    if stale:
        shutil.rmtree(stale, ignore_errors=True)
        WORK.rename(stale)
    WORK.mkdir(parents=True)
    full, plain = WORK / "full", WORK / "plain"
    snapshot(full)
    log("cold full build (empty citation cache)")
    cold = run_build(full, WORK / "site-cold", timings=True)
    log("plain twin of the project from the generated pages")
    run_build(full, WORK / "site-full", capture=WORK / "captured")  # also the full build's warm-up
    generated = make_plain(full, WORK / "captured", plain)
    run_build(plain, WORK / "site-plain")  # warm-up

    log(f"{pairs} pairs plain/full")
    plain_runs, full_runs = [], []
    for _ in range(pairs):
        plain_runs.append(run_build(plain, WORK / "site-plain"))
        full_runs.append(run_build(full, WORK / "site-full", timings=True))
    result["overhead"] = {
        "pairs": pairs,
        "plain_s": median_range([r["wall"] for r in plain_runs]),
        "full_s": median_range([r["wall"] for r in full_runs]),
        "ratio": median_range([f["wall"] / p["wall"] for p, f in zip(plain_runs, full_runs)]),
        "plain_cpu_s": median_range([r["cpu"] for r in plain_runs]),
        "full_cpu_s": median_range([r["cpu"] for r in full_runs]),
        "cpu_ratio": median_range([f["cpu"] / p["cpu"] for p, f in zip(plain_runs, full_runs)]),
        "plain_rss_mb": max(r["maxrss_mb"] for r in plain_runs),
        "full_rss_mb": max(r["maxrss_mb"] for r in full_runs),
        "runs": {"plain_wall": [round(r["wall"], 3) for r in plain_runs], "full_wall": [round(r["wall"], 3) for r in full_runs],
                 "plain_cpu": [round(r["cpu"], 3) for r in plain_runs], "full_cpu": [round(r["cpu"], 3) for r in full_runs]},
        "cold_full_s": cold["wall"],
        "cold_timings": cold["timings"],
        "generated_files": len(generated),
    }

    log("page weight")
    result["page_weight"] = weigh(full_runs[-1]["site"], plain_runs[-1]["site"], full)

    # -- scaling: 1× is the essay itself (the full builds above) --
    stage_runs: dict[int, list[dict]] = {1: [r["timings"] for r in full_runs]}
    wall_runs: dict[int, list[float]] = {1: [r["wall"] for r in full_runs]}
    rss: dict[int, float] = {1: max(r["maxrss_mb"] for r in full_runs)}
    plain_big = None
    if big > 1:
        # The copies cite their works again in short form: fill the cache once, on a 2× corpus.
        make_scaled(full, WORK / "x2", 2, full / ".cache" / "citations.json")
        run_build(WORK / "x2", WORK / "site-x2")
        cache = WORK / "x2" / ".cache" / "citations.json"
    for k in sizes[1:]:
        proj = WORK / f"x{k}"
        make_scaled(full, proj, k, cache)
        runs = 2  # the fastest run counts: the least disturbed by other work on the machine
        log(f"{k}× corpus: {runs} builds" + (" and a plain one" if k == big else ""))
        results = [run_build(proj, WORK / f"site-x{k}", timings=True,
                             capture=WORK / f"captured-x{k}" if k == big and i == 0 else None)
                   for i in range(runs)]
        stage_runs[k] = [r["timings"] for r in results]
        wall_runs[k] = [r["wall"] for r in results]
        rss[k] = max(r["maxrss_mb"] for r in results)
        if k == big:
            make_plain(proj, WORK / f"captured-x{k}", WORK / f"plain-x{k}")
            plain_big = run_build(WORK / f"plain-x{k}", WORK / f"site-plain-x{k}")
    result["scaling"] = scaling_table(sizes, stage_runs, wall_runs, rss, plain_big)

    result["profiles"] = {}
    if args.profile:
        log("profiles (cProfile)")
        run_build(full, WORK / "site-prof", profile=WORK / "full.prof")
        result["profiles"]["full build (1×)"] = profile_top(WORK / "full.prof")
        if big > 1:
            run_build(WORK / f"x{big}", WORK / "site-prof", profile=WORK / f"x{big}.prof")
            result["profiles"][f"{big}× corpus"] = profile_top(WORK / f"x{big}.prof")

    result["budgets"] = budgets(result)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    print_report(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    if stale:
        shutil.rmtree(stale, ignore_errors=True)
    o = result["overhead"]
    print(f"overhead: {o['ratio']['median']:.2f}x (plain {o['plain_s']['median']:.2f} s, full {o['full_s']['median']:.2f} s)")
    return 0


def weigh(site: Path, plain_site: Path, project: Path) -> dict:
    home = page_weight(site, "index.html", set())
    cached = set(home["assets"])
    slugs = chapter_slugs(load_yaml(project / "mkdocs.yml"), project / "docs")
    chapters = []
    for s in slugs:
        rel = "index.html" if s == "index" else f"{s}/index.html"
        w = page_weight(site, rel, cached)
        if (plain_site / rel).exists():
            p = page_weight(plain_site, rel, cached)
            w["plain_html_gz"], w["plain_html_per_text"] = p["html_gz"], p["html_per_text"]
        chapters.append(w)
    terms = sorted(p.parent.relative_to(site).as_posix() + "/index.html" for p in (site / "glossary").glob("*/index.html"))
    pages = []
    for kind, rel in PAGE_KINDS:
        if kind == "chapter":
            rel = max(chapters, key=lambda c: c["html"])["page"] if chapters else None
        elif kind == "term page":
            rel = terms[0] if terms else None
        if not rel or not (site / rel).exists():
            pages.append({"kind": kind, "page": None})
            continue
        w = home if kind == "home" else page_weight(site, rel, cached)
        w = dict(w, kind=kind)
        if (plain_site / rel).exists():
            w["plain_html_gz"] = page_weight(plain_site, rel, cached)["html_gz"]
        pages.append(w)
    # Fetched on first use: the go-to box's list, the terms' definitions, and the search (Pagefind's script,
    # its WebAssembly and its metadata, then only the index chunks and records a query needs).
    background = {p: gz_size((site / p).read_bytes()) for p in ["passages.json", "assets/terms.js", "assets/search-results.js",
                                                                "pagefind/pagefind.js", "pagefind/pagefind-entry.json",
                                                                "pagefind/wasm.en.pagefind"]
                  if (site / p).exists()}
    background.update({p.relative_to(site).as_posix(): gz_size(p.read_bytes())
                       for p in sorted((site / "pagefind").glob("*.pf_meta"))})
    return {"gzip_level": GZIP_LEVEL, "pages": pages, "chapters": chapters, "term_pages": len(terms),
            "background_gz": background}


def scaling_table(sizes, stage_runs, wall_runs, rss, plain_big) -> dict:
    names = list(dict.fromkeys(n for runs in stage_runs.values() for t in runs for n in t))
    parts = sub_stages(names)
    # The fastest of the runs at each size: other work on the machine only ever adds time.
    med = {k: {n: min(t.get(n, 0.0) for t in runs) for n in names} for k, runs in stage_runs.items()}
    for k in med:
        med[k]["total (stages)"] = min(sum(v for n, v in t.items() if n not in parts) for t in stage_runs[k])
        med[k]["build (wall)"] = min(wall_runs[k])
    big = sizes[-1]
    mid = sizes[1] if len(sizes) > 2 else big
    rows = {}
    for n in [*names, "total (stages)", "build (wall)"]:
        f = growth if n in names else (lambda a, b: b / a if a else float("inf"))
        rows[n] = {"growth_mid": round(f(med[1][n], med[mid][n]), 2), "growth_big": round(f(med[1][n], med[big][n]), 2)}
    return {"sizes": sizes, "mid": mid, "big": big, "runs": {str(k): len(v) for k, v in stage_runs.items()},
            "seconds": {str(k): {n: round(v, 4) for n, v in m.items()} for k, m in med.items()},
            "stage_names": names, "growth": rows,
            "peak_rss_mb": {str(k): round(v, 1) for k, v in rss.items()},
            "plain_big": {"size": big, "wall": round(plain_big["wall"], 2), "peak_rss_mb": round(plain_big["maxrss_mb"], 1)}
            if plain_big else None}


def print_report(r: dict) -> None:
    o, s, w, m = r["overhead"], r["scaling"], r["page_weight"], r["machine"]
    load = f", load {m['load_before']:.1f} at start" if m.get("load_before") is not None else ""
    print(f"Benchmarks {r['date']} on {m['cpu']} ({m['cores']} cores{load}), Python {m['python']}, {m['os']}")
    print(f"\nBuild cost: fresh process per build, {o['pairs']} pairs interleaved plain, full, plain, full…")
    print(f"  {'':34}{'median':>8}{'min':>8}{'max':>8}")
    for label, key in (("plain MkDocs build, wall s", "plain_s"), ("full build (warm cache), wall s", "full_s"),
                       ("ratio full/plain, wall", "ratio"), ("plain MkDocs build, CPU s", "plain_cpu_s"),
                       ("full build, CPU s", "full_cpu_s"), ("ratio full/plain, CPU", "cpu_ratio")):
        v = o[key]
        print(f"  {label:34}{v['median']:8.3f}{v['min']:8.3f}{v['max']:8.3f}")
    print(f"  {'ratio of the medians, wall':34}{o['full_s']['median'] / o['plain_s']['median']:8.3f}")
    print(f"  {'full build, cold cache, wall s':34}{o['cold_full_s']:8.3f}   (1 run, empty .cache/: citations formatted, bibliography parsed)")
    print(f"  peak RSS: plain {o['plain_rss_mb']:.0f} MB, full {o['full_rss_mb']:.0f} MB; "
          f"{o['generated_files']} generated files in the plain twin")

    sizes = [str(k) for k in s["sizes"]]
    runs = ", ".join(f"{s['runs'][k]} at {k}×" for k in sizes)
    print(f"\nScaling: synthetic corpus, each chapter repeated k times (seconds, fastest of {runs})")
    head = "".join(f"{k + '×':>10}" for k in sizes)
    print(f"  {'stage':16}{head}{str(s['mid']) + '×/1×':>10}{str(s['big']) + '×/1×':>10}")
    parts = sub_stages(s["stage_names"])
    for name, g in s["growth"].items():
        vals = "".join(f"{s['seconds'][k].get(name, 0.0):10.3f}" for k in sizes)
        label = f"  ({name})" if name in parts else name
        print(f"  {label:16}{vals}{g['growth_mid']:10.1f}{g['growth_big']:10.1f}")
    print(f"  {'peak RSS (MB)':16}" + "".join(f"{s['peak_rss_mb'][k]:10.0f}" for k in sizes))
    if s.get("plain_big"):
        pb = s["plain_big"]
        print(f"  plain MkDocs build of the {pb['size']}× corpus: {pb['wall']:.1f} s, peak RSS {pb['peak_rss_mb']:.0f} MB")
    print(f"  (stage times under {STAGE_FLOOR_S * 1000:g} ms count as {STAGE_FLOOR_S * 1000:g} ms in the growth factors;"
          " a stage in brackets is part of the one above it, not added to the total)")

    print(f"\nPage weight: bytes, gzip level {w['gzip_level']}; 2nd page = after the home page, shared CSS/JS cached;"
          " gz/text = gzipped HTML / gzipped text of the article")
    cols = f"{'HTML':>8}{'HTML gz':>9}{'1st visit':>10}{'2nd page':>9}{'text gz':>9}{'gz/text':>8}{'plain gz':>9}"
    print(f"  {'page':15}{'file':34}{cols}")

    def row(p):
        return (f"{p['html']:8}{p['html_gz']:9}{p['first_visit']:10}{p['second_page']:9}{p['text_gz']:9}"
                f"{p['html_per_text'] or 0:8.2f}{p.get('plain_html_gz', 0):9}")
    for p in w["pages"]:
        print(f"  {p['kind']:15}{p['page'] or '(none in this build)':34}" + (row(p) if p.get("page") else ""))
    print(f"  chapters{'':7}{'':34}{'':52}{'article/text':>14}{'plain gz/text':>14}")
    for p in w["chapters"]:
        print(f"  {'':15}{p['page']:34}{row(p)}{p.get('article_per_text') or 0:14.2f}{p.get('plain_html_per_text') or 0:14.2f}")
    if w["background_gz"]:
        print("  fetched later (search, go-to box, first term tooltip): " + ", ".join(f"{k} {v}" for k, v in w["background_gz"].items()))

    for name, top in r["profiles"].items():
        print(f"\nProfile, {name} (cProfile; {top['total']:.2f} s under the profiler): own s, cumulative s, calls")
        for title, key in (("top by own time", "by_tottime"), ("edition code by cumulative time", "ours_by_cumtime")):
            print(f"  {title}:")
            for e in top[key]:
                print(f"    {e['tottime']:7.3f} {e['cumtime']:7.3f} {e['calls']:>8}  {e['function']}")

    print("\nBudgets")
    for b in r["budgets"]:
        print(f"  {'PASS' if b['pass'] else 'FAIL'}  {b['budget']}: {b['value']}")
    print(f"\nResult in {OUT.relative_to(ROOT)} (bench took {r['bench_seconds']:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())

"""scripts/bench.py: its pure functions (corpus scaling, config edits, page weight, budgets), and one
build of a small synthetic corpus (marked slow: deselect with -m "not slow")."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

import bench
from edition.glue import load_chapters
from edition.notes import check_numbering

ROOT = Path(__file__).resolve().parents[1]

slow = pytest.mark.slow  # registered in pytest.ini


def essay() -> list[tuple[str, str]]:
    slugs = bench.chapter_slugs(bench.load_yaml(ROOT / "mkdocs.yml"), ROOT / "docs")
    return [(s, (ROOT / "docs" / f"{s}.md").read_text(encoding="utf-8")) for s in slugs]


def test_the_essay_has_chapters():
    chapters = essay()
    assert len(chapters) >= 2 and chapters[0][0] == "index"


def test_scaling_once_gives_the_essay_back():
    for slug, text in bench.scale_corpus(essay(), 1).items():
        assert text == dict(essay())[slug], slug


@pytest.mark.parametrize("k", [2, 3])
def test_scaled_corpus_is_a_valid_edition(tmp_path, k):
    """Notes renumbered 1…k·N in reading order, references unique: the edition's own checks pass."""
    chapters = essay()
    scaled = bench.scale_corpus(chapters, k)
    docs = tmp_path / "docs"
    docs.mkdir()
    for slug, text in scaled.items():
        (docs / f"{slug}.md").write_text(text, encoding="utf-8")
    parsed, problems = load_chapters(docs, [s for s, _ in chapters])
    problems += check_numbering(parsed)
    assert not problems, "\n".join(map(str, problems[:10]))
    original, _ = load_chapters(ROOT / "docs", [s for s, _ in chapters])
    for before, after in zip(original, parsed):
        assert len(after.paragraphs) == k * len(before.paragraphs)
        assert len(after.note_defs) == k * len(before.note_defs)
        assert len({p.ref for p in after.paragraphs}) == len(after.paragraphs)
        assert after.paragraphs[0].ref == before.paragraphs[0].ref  # the first copy keeps its references
    n_notes = sum(len(c.note_defs) for c in original)
    numbers = [r.n for c in parsed for r in c.note_refs]
    assert numbers == list(range(1, k * n_notes + 1))
    # Each copy's notes cite what the original's did, in the same order.
    bodies = [d.body for c in parsed for d in c.note_defs]
    assert sorted(bodies) == sorted([d.body for c in original for d in c.note_defs] * k)


def test_scale_chapter_renumbers_refs_headings_and_notes():
    source = ("---\ntitle: T\n---\n# II. Part\n\nText.[^4]\n{ #II.1 }\n\n## Sec { #sec .ed-heading }\n\n"
              "> Quoted.[^5]\n> { #II.2a .quoted-heading }\n\n[^4]: [@a] <!-- level: probable; why: test -->\n"
              "[^5]: [@b, 12] <!-- level: probable; why: test; page: a review -->\n")
    text, nxt = bench.scale_chapter(source, 3, 10)
    assert nxt == 16
    assert text.startswith("---\ntitle: T\n---\n") and text.count("title: T") == 1
    assert re.findall(r"#(II\.\d+[a-z]?)", text) == ["II.1", "II.2a", "II.3", "II.4a", "II.5", "II.6a"]
    assert re.findall(r"#(sec[\w-]*)", text) == ["sec", "sec-2", "sec-3"]
    assert re.findall(r"\[\^(\d+)\](?!:)", text) == [str(n) for n in range(10, 16)]
    assert re.findall(r"^\[\^(\d+)\]: (\S+)", text, re.M) == [
        ("10", "[@a]"), ("11", "[@b,"), ("12", "[@a]"), ("13", "[@b,"), ("14", "[@a]"), ("15", "[@b,")]


YML = """site_name: x
strict: true
nav:
  - A: a.md
hooks:
  - scripts/hooks.py
plugins:
  - search
  - htmlproofer:
      raise_error: true
  - other
validation:
  links:
    anchors: warn
watch:
  - scripts
site_url: !ENV [SITE_URL, "http://x/"]
"""


def test_config_edits_keep_the_rest():
    plain = bench.drop_top_level(YML, {"hooks", "watch"})
    assert "hooks" not in plain and "scripts" not in plain
    assert "site_url: !ENV" in plain and "nav:\n  - A: a.md\n" in plain and "validation:" in plain
    off = bench.checks_off(YML)
    assert "htmlproofer" not in off and "raise_error" not in off
    assert "  - search\n  - other\n" in off
    assert "strict: true" not in off and "strict: false" in off and "anchors: warn" not in off
    assert "hooks:\n  - scripts/hooks.py" in off  # the full build keeps its hooks


def test_page_weight(tmp_path):
    page = ('<html><head><link rel="stylesheet" href="../assets/a.css"><link rel="icon" href="../i.png">'
            '<script src="../assets/b.js"></script><script src="https://elsewhere/x.js"></script></head>'
            '<body><nav>Menu</nav><article class="md-content__inner"><h1>Title</h1><p>Some   words'
            '<script>var x = 1;</script> here.</p></article></body></html>')
    (tmp_path / "ch").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "ch" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "assets" / "a.css").write_text("body{color:red}" * 50)
    (tmp_path / "assets" / "b.js").write_text("console.log(1);" * 50)
    w = bench.page_weight(tmp_path, "ch/index.html", {"assets/a.css"})
    assert w["assets"] == ["assets/a.css", "assets/b.js"]
    assert bench.page_parts(page)[1] == "TitleSome words here."
    html_gz = len(gzip.compress(page.encode(), 6))
    assert abs(w["html_gz"] - html_gz) <= 10  # gzip headers may differ by a few bytes
    css = bench.gz_size((tmp_path / "assets" / "a.css").read_bytes())
    js = bench.gz_size((tmp_path / "assets" / "b.js").read_bytes())
    assert w["first_visit"] == w["html_gz"] + css + js
    assert w["second_page"] == w["html_gz"] + js
    assert w["html_per_text"] == round(w["html_gz"] / w["text_gz"], 2)
    assert bench.local_asset("a/b/index.html", "../../x.css?v=1") == "x.css"
    assert bench.local_asset("index.html", "https://cdn/x.css") is None


def _result(ratio=1.2, growth=50.0, rss=250.0, text=(1.8, 1.9)):
    return {"overhead": {"ratio": {"median": ratio}},
            "scaling": {"big": 50, "stage_names": ["parse", "render"], "peak_rss_mb": {"1": 60, "50": rss},
                        "plain_big": {"size": 50, "wall": 10.0, "peak_rss_mb": 200.0},
                        "growth": {"parse": {"growth_big": growth}, "render": {"growth_big": 3.0}}},
            "page_weight": {"chapters": [{"page": f"c{i}/index.html", "html_per_text": t} for i, t in enumerate(text)]}}


def test_budgets():
    assert [b["pass"] for b in bench.budgets(_result())] == [True, True, True, True]
    assert [b["pass"] for b in bench.budgets(_result(1.31, 56, 301, (1.5, 2.1)))] == [False, False, False, False]
    assert bench.budgets(_result(rss=300))[2]["pass"]  # exactly 1.5× the plain build's 200 MB
    assert "1.50× the plain build's 200 MB" in bench.budgets(_result(rss=300))[2]["value"]
    no_plain = _result()
    no_plain["scaling"]["plain_big"] = None
    assert not bench.budgets(no_plain)[2]["pass"] and bench.budgets(no_plain)[2]["value"] == "not run"
    assert "worst parse 56.0×" in bench.budgets(_result(growth=56))[1]["value"]
    assert "1 of 2 chapters" in bench.budgets(_result(text=(1.5, 2.1)))[3]["value"]


def test_growth_has_a_floor():
    assert bench.growth(0.00001, 0.02) == pytest.approx(20)
    assert bench.growth(0.01, 0.5) == pytest.approx(50)


@slow
def test_synthetic_project_builds(tmp_path):
    """A 2× corpus builds with the real hooks; copies get their short references and notes."""
    full, scaled = tmp_path / "full", tmp_path / "x2"
    bench.snapshot(full)
    cache = ROOT / ".cache" / "citations.json"
    bench.make_scaled(full, scaled, 2, cache if cache.exists() else None)
    run = bench.run_build(scaled, tmp_path / "site", timings=True)
    assert run["wall"] > 0 and run["maxrss_mb"] > 10
    assert run["site"].parent == tmp_path and run["site"].name.startswith("site.")  # a folder of its own
    assert {"parse", "notes", "render", "short_refs"} <= set(run["timings"])
    original, _ = load_chapters(ROOT / "docs", [s for s, _ in essay()])
    n_notes = sum(len(c.note_defs) for c in original)
    n_paragraphs = sum(len(c.paragraphs) for c in original)
    site = run["site"]
    passages = json.loads((site / "passages.json").read_text(encoding="utf-8"))
    assert len(passages["notes"]) == 2 * n_notes
    assert len(passages["paragraphs"]) == 2 * n_paragraphs
    assert all((site / "p" / ref / "index.html").is_file() for ref in passages["paragraphs"])
    assert all((site / "n" / str(n) / "index.html").is_file() for n in range(1, 2 * n_notes + 1))


def test_tree_steps_mark_every_paragraph_of_a_long_page():
    """The extension's tree steps on a page of 1,200 referenced paragraphs: every one gets its margin
    reference, every heading its button, every note marker the author's number (no step gives up on size)."""
    from unit.markdown_tree import convert

    body = "".join(
        f"## Section *{i}* {{ #s{i} }}\n\n" if i % 7 == 0 else
        f"Words {i}[^{i}] more.\n{{ #III.{i} }}\n\n> Quoted.\n> {{ #III.{i}a .q }}\n\n"
        for i in range(1, 600))
    notes = "".join(f"[^{i}]: Note {i}.\n" for i in range(1, 600) if i % 7)
    page = convert(f"# T\n\n{body}\n{notes}")
    assert page.count('class="pmark"') == 2 * 599 - 599 // 7 * 2 and 'data-ed="notes"' in page
    assert page.count('class="copy-link"') == 599 // 7
    assert '<a aria-label="Note 598" class="footnote-ref" href="#fn:598">598</a>' in page

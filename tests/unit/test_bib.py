"""bibliography.bib and scripts/edition/bib.py: the real file, its facts, and every defect class."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edition.bib import REQUIRED_FIELDS, Work, parse_bibliography, to_csl_json
from edition.glue import load_bibliography

ROOT = Path(__file__).resolve().parents[2]
BIB = ROOT / "bibliography.bib"
# The research facts live outside the project, in a "shared/sources" folder beside it (or higher up).
WORKS_JSON = next((folder / "shared" / "sources" / "works.json" for folder in ROOT.parents
                   if (folder / "shared" / "sources" / "works.json").is_file()), ROOT.parent / "shared" / "sources" / "works.json")
STUBS = {"negri2015interview", "aronoffmasonreview"}  # works.json entries with no identified work


@pytest.fixture(scope="module")
def loaded():
    return load_bibliography(BIB)


@pytest.fixture(scope="module")
def research():
    if not WORKS_JSON.exists():
        pytest.skip("the research file works.json is not on this machine")
    return {w["key"]: w for w in json.loads(WORKS_JSON.read_text(encoding="utf-8"))}


def write(tmp_path: Path, text: str, name: str = "test.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def kinds_lines(problems) -> list[tuple[str, int]]:
    return [(p.kind, p.line) for p in problems]


# ----------------------------------------------------------------------------------------------
# The real file
# ----------------------------------------------------------------------------------------------
def test_real_bibliography_loads_with_no_problem(loaded):
    works, problems = loaded
    assert [str(p) for p in problems] == []
    assert len(works) == 32


def test_every_identified_work_has_an_entry_and_the_stubs_have_none(loaded, research):
    works, _ = loaded
    assert set(works) <= set(research) - STUBS
    assert STUBS <= set(research)


def _norm(text: str) -> str:
    """Typography is not a fact: curly quotes, apostrophes and en dashes as in works.json."""
    return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-")


def _person(name: str) -> str:
    family, _, given = name.partition(", ")
    return f"{given} {family}"


def _expected_title(work: Work) -> str:
    """The works.json title, rebuilt where the .bib splits it into more precise fields."""
    f = work.fields
    if work.key == "castells1996rise":
        return f"{f['title']} ({f['maintitle']}, vol. {f['volume']})"
    if work.key == "fernandezsavater2014holloway":
        return (f"{f['title']}, trans. {_person(f['translator'])}, ed. {_person(f['editor'])} "
                f"({f['organization']})")
    return f["title"]


def _container(work: Work) -> str | None:
    f = work.fields
    if work.key == "fernandezsavater2014holloway":  # its organization comes from the title string
        return None
    value = f.get("journaltitle") or f.get("booktitle") or f.get("organization")
    if value and f.get("series") and work.entry_type == "article":
        value = f"{value} ({f['series']})"
    if value and f.get("note") == "Repost":
        value = f"{value} (repost)"
    return value


def comments_above(work, lines):
    comments = []
    i = work.line - 2  # the line above the entry, 0-based
    while i >= 0 and lines[i].startswith("%"):
        comments.append(lines[i])
        i -= 1
    return comments


def test_every_entry_records_where_its_facts_were_confirmed(loaded):
    """Issue 13: one record of evidence per entry, beside it ('% evidence: fields: <address>'), or the
    facts marked unconfirmed; the downloadable .bib leaves these lines out (tests/unit/test_pages_bib.py)."""
    works, _ = loaded
    lines = BIB.read_text(encoding="utf-8").splitlines()
    for key, work in works.items():
        comments = comments_above(work, lines)
        evidence = [c for c in comments if re.match(r"% evidence: [\w ,]+: https?://\S+$", c)]
        assert evidence or any(c.startswith("% unconfirmed:") for c in comments), key


def test_the_research_file_works_are_all_here(loaded, research):
    works, _ = loaded
    assert set(works) <= set(research)


def test_interviews_stand_under_the_person_interviewed(loaded, research):
    """CMOS 14.213: the interviewee is the author; the interviewer follows "interview by"."""
    works, _ = loaded
    for key, work in works.items():
        if research[key]["type"] == "interview":
            assert work.names.get("interviewer"), key
            assert work.names["interviewer"][0].family != work.names["author"][0].family, key
        if work.entry_type == "online":
            assert work.fields.get("url") or "no url known" in work.fields.get("note", "").lower(), key


def test_entries_are_sorted_by_key(loaded):
    works, _ = loaded
    in_file = [w.key for w in sorted(works.values(), key=lambda w: w.line)]
    assert in_file == sorted(in_file)


def test_work_line_and_source_point_at_the_entry(loaded):
    works, _ = loaded
    lines = BIB.read_text(encoding="utf-8").splitlines()
    mason = works["mason2015postcapitalism"]
    assert lines[mason.line - 1] == "@book{mason2015postcapitalism,"
    assert mason.source.startswith("@book{mason2015postcapitalism,")
    assert mason.source.rstrip().endswith("}")
    assert "{{PostCapitalism}: A Guide to Our Future}" in mason.source
    assert parse_bibliography(mason.source)[0]["mason2015postcapitalism"].fields == mason.fields


def test_fields_are_latex_decoded_and_braces_removed(loaded):
    works, _ = loaded
    assert works["mason2015postcapitalism"].fields["title"] == "PostCapitalism: A Guide to Our Future"
    assert works["bastiat1850harmonies"].fields["author"] == "Bastiat, Frédéric"
    assert works["williams2013accelerate"].fields["title"].startswith("#Accelerate")
    assert works["romer1990endogenous"].fields["pages"] == "S71–S102"
    coates = works["coates2003mass"].fields["url"]
    assert coates.endswith("weblogs_and_the_mass_amateurisation_of_nearly_everything.shtml")


def test_author_sort_is_the_first_family_name_lower_cased(loaded):
    works, _ = loaded
    assert works["mason2015postcapitalism"].author_sort == "mason"
    assert works["hardt2009commonwealth"].author_sort == "hardt"
    assert works["fernandezsavater2014holloway"].author_sort == "holloway"  # the person interviewed
    assert works["negri1991marxbeyondmarx"].names["editor"][0].given == "Jim"


# ----------------------------------------------------------------------------------------------
# Defects: each one is reported with its kind and line, never raised
# ----------------------------------------------------------------------------------------------
GOOD = "@book{good,\n  author = {Mason, Paul},\n  title = {X},\n  publisher = {P},\n  date = {2015},\n}\n"


def test_unclosed_brace_is_reported_at_the_brace_and_the_next_entry_still_loads(tmp_path):
    text = ("@book{bad,\n"                        # 1
            "  author = {Mason, Paul},\n"          # 2
            "  title = {{PostCapitalism: A Guide},\n"  # 3: the outer brace is never closed
            "  publisher = {Allen Lane},\n"        # 4
            "  date = {2015},\n"                   # 5
            "}\n\n" + GOOD)
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 3)]
    assert "unclosed brace" in problems[0].message
    assert "good" in works and "bad" not in works


def test_unclosed_brace_in_the_last_entry(tmp_path):
    text = GOOD + "\n@book{last,\n  author = {Mason, Paul},\n  title = {X,\n  date = {2015},\n"
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 10)]
    assert set(works) == {"good"}


def test_missing_comma_between_fields(tmp_path):
    text = ("@book{a,\n"
            "  author = {Mason, Paul}\n"   # 2: no comma
            "  title = {PostCapitalism},\n"
            "  publisher = {Allen Lane},\n"
            "  date = {2015},\n}\n")
    _, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 2)]
    assert "missing comma" in problems[0].message and "'author'" in problems[0].message
    assert "title" in problems[0].hint


def test_missing_comma_after_a_bare_number(tmp_path):
    text = "@book{a,\n  author = {M, P},\n  title = {T},\n  date = 2015\n  publisher = {P},\n}\n"
    _, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 4)]


def test_missing_comma_after_the_key(tmp_path):
    text = "\n@book{a\n  author = {M, P},\n}\n"
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 2)]
    assert works == {}


def test_junk_between_entries(tmp_path):
    text = GOOD + "% a comment is fine\n\nthis is stray text\n" + GOOD.replace("good", "other")
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 9)]
    assert "this is stray text" in problems[0].message
    assert set(works) == {"good", "other"}


def test_an_extra_closing_brace_leaves_junk(tmp_path):
    text = "@book{a,\n  author = {M, P}},\n  title = {T},\n}\n"
    _, problems = load_bibliography(write(tmp_path, text))
    assert ("bib-syntax", 2) in kinds_lines(problems)
    assert any("extra '}'" in p.hint for p in problems)


def test_at_sign_starting_an_entry_inside_a_comment_line_is_located(tmp_path):
    text = GOOD + "% see @article (this is not a comment for BibTeX)\n"
    _, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 7)]
    assert "comment line" in problems[0].hint


def test_duplicate_key_names_the_first_line(tmp_path):
    text = GOOD + "\n" + GOOD
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-duplicate-key", 8)]
    assert "line 1" in problems[0].hint
    assert list(works) == ["good"]


def test_keys_differing_only_in_case_are_duplicates(tmp_path):
    text = GOOD + "\n" + GOOD.replace("good", "Good")
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-duplicate-key", 8)]
    assert list(works) == ["good"]


def test_duplicate_field(tmp_path):
    text = "@book{a,\n  title = {X},\n  title = {Y},\n}\n"
    _, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-syntax", 1)]
    assert "'title'" in problems[0].message


MISSING = [
    ("book", "author = {M, P}, title = {T}, date = {2015}", "'publisher'"),
    ("book", "title = {T}, publisher = {P}, date = {2015}", "'author' or 'editor'"),
    ("book", "author = {M, P}, title = {T}, publisher = {P}", "'date' or 'year'"),
    ("article", "author = {M, P}, title = {T}, date = {2015}", "'journaltitle' or 'journal'"),
    ("article", "journal = {J}, title = {T}, year = {2015}", "'author'"),
    ("incollection", "author = {M, P}, title = {T}, publisher = {P}, year = {2012}", "'booktitle'"),
    ("incollection", "author = {M, P}, title = {T}, booktitle = {B}, year = {2012}", "'publisher'"),
    ("online", "title = {T}, date = {2015}", "'url'"),
    ("online", "url = {http://example.org/}, date = {2015}", "'title'"),
    ("online", "title = {T}, url = {http://example.org/}", "'date' or 'year'"),
]


@pytest.mark.parametrize("entry_type, body, wanted", MISSING)
def test_missing_required_field(tmp_path, entry_type, body, wanted):
    text = f"% header\n\n@{entry_type}{{k,\n  {body},\n}}\n"
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-missing-field", 3)]
    assert wanted in problems[0].message
    assert "k" in works  # still usable: the build reports, the chapters can still refer to it


def test_the_requirement_table_covers_the_four_types():
    assert set(REQUIRED_FIELDS) == {"book", "article", "incollection", "online"}


def test_a_note_can_declare_an_unknown_url_or_publisher(tmp_path):
    text = ("@online{w,\n  title = {T},\n  date = {2005-07-15},\n  note = {No URL known},\n}\n"
            "@book{b,\n  author = {B, F},\n  title = {T},\n  date = {1850},\n  note = {No publisher known},\n}\n")
    works, problems = load_bibliography(write(tmp_path, text))
    assert problems == []
    assert "note" not in to_csl_json(works["w"])  # the declaration is not printed


def test_unknown_type_field_and_bad_date(tmp_path):
    text = ("@bok{a,\n  title = {T},\n}\n"
            "@book{b,\n  author = {M, P},\n  title = {T},\n  pubisher = {P},\n  date = {2015-13-01},\n}\n")
    _, problems = load_bibliography(write(tmp_path, text))
    found = kinds_lines(problems)
    assert ("bib-unknown-type", 1) in found
    assert ("bib-unknown-field", 7) in found
    assert ("bib-field", 8) in found
    assert ("bib-missing-field", 4) in found
    unknown = next(p for p in problems if p.kind == "bib-unknown-field")
    assert "publisher" in unknown.hint


def test_not_utf8_reports_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.bib"
    path.write_bytes(b"% ok\n@book{a,\n  author = {G\xf6rz, Andr\xe9},\n}\n")
    works, problems = load_bibliography(path)
    assert kinds_lines(problems) == [("encoding", 3)]
    assert "0xf6" in problems[0].message
    assert works == {}


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    works, problems = load_bibliography(tmp_path / "nope.bib")
    assert works == {} and [p.kind for p in problems] == ["bib-file"]


@pytest.mark.parametrize("text", ["", "@", "@book{", "{}}}{{", "@book{a, title = {x}", "@string{", "\x00\x01",
                                  "@book{a, author = {and and}, title = {}}", "@comment{", "@book(a, title={x})"])
def test_garbage_never_raises(text):
    works, problems = parse_bibliography(text, "g.bib")
    assert isinstance(works, dict) and all(p.path == "g.bib" and p.line >= 1 for p in problems)


# ----------------------------------------------------------------------------------------------
# CSL-JSON
# ----------------------------------------------------------------------------------------------
def test_csl_json_of_a_book(loaded):
    item = to_csl_json(loaded[0]["mason2015postcapitalism"])
    assert item == {
        "id": "mason2015postcapitalism", "type": "book",
        "author": [{"family": "Mason", "given": "Paul"}],
        "title": "PostCapitalism: A Guide to Our Future", "title-short": "PostCapitalism",
        "publisher": "Allen Lane", "publisher-place": "London", "issued": {"date-parts": [[2015]]},
    }


@pytest.mark.parametrize("key, csl_type", [
    ("graeber2012liberation", "article-newspaper"), ("bailey2001postscarcity", "article-magazine"),
    ("romer1990endogenous", "article-journal"), ("bauwens2012peertopeer", "chapter"),
    ("coates2003mass", "post-weblog"), ("roos2013holloway", "webpage"),
])
def test_csl_types(loaded, key, csl_type):
    assert to_csl_json(loaded[0][key])["type"] == csl_type


def test_csl_json_of_articles_chapters_and_web_pages(loaded):
    works = loaded[0]
    romer = to_csl_json(works["romer1990endogenous"])
    assert (romer["container-title"], romer["volume"], romer["issue"], romer["page"]) == (
        "Journal of Political Economy", "98", "5, pt. 2", "S71–S102")  # CMOS 14.180: "pt."
    graeber = to_csl_json(works["graeber2012liberation"])
    assert graeber["issued"] == {"date-parts": [[2012, 5, 7]]} and graeber["URL"].startswith("http://www.guardian")
    chapter = to_csl_json(works["bauwens2012peertopeer"])
    assert chapter["container-title"].startswith("The Wealth of the Commons")
    assert chapter["editor"] == [{"family": "Bollier", "given": "David"}, {"family": "Helfrich", "given": "Silke"}]
    assert chapter["title-short"] == "Peer-to-Peer Economy and New Civilization"
    web = to_csl_json(works["coates2003mass"])
    assert web["container-title"] == "Plasticbag.org" and web["issued"] == {"date-parts": [[2003, 9, 3]]}
    negri = to_csl_json(works["negri1991marxbeyondmarx"])
    assert (negri["publisher-place"], negri["publisher"]) == ("Brooklyn", "Autonomedia; London: Pluto")
    castells = to_csl_json(works["castells1996rise"])
    assert (castells["container-title"], castells["volume"]) == ("The Information Age: Economy, Society and Culture", "1")
    assert to_csl_json(works["graeber2012liberation"], html=True)["container-title"] == "Guardian"
    assert to_csl_json(works["bailey2001postscarcity"])["issued"] == {"date-parts": [[2001, 12]]}


def test_short_title_is_not_cut_inside_a_bracket(loaded):
    item = to_csl_json(loaded[0]["bauwens2016accelerationism"])
    assert item["title-short"] == "[Commentary on P2P and accelerationism]"  # from shorttitle, not the ':'


def test_html_csl_is_escaped_and_protects_braced_words(tmp_path):
    text = ("@book{x,\n  author = {O'Brien, Ann},\n  title = {Fish \\& Chips <script>alert(1)</script> on {iPod}},\n"
            "  publisher = {P},\n  date = {2000},\n}\n")
    works, problems = parse_bibliography(text)
    assert problems == []
    plain = to_csl_json(works["x"])
    assert plain["title"] == "Fish & Chips <script>alert(1)</script> on iPod"
    marked = to_csl_json(works["x"], html=True)
    assert marked["title"] == ('Fish &amp; Chips &lt;script&gt;alert(1)&lt;/script&gt; <span class="nocase">on</span> '
                               '<span class="nocase">iPod</span>')  # a lower-case preposition stays so
    assert marked["author"] == [{"family": "O’Brien", "given": "Ann"}]


def test_protected_spans_cover_the_braced_text(loaded):
    works = loaded[0]
    mason = works["mason2015postcapitalism"]
    (a, b), = mason.protected["title"]
    assert mason.fields["title"][a:b] == "PostCapitalism"
    coates = works["coates2003mass"]
    assert [coates.fields["title"][a:b] for a, b in coates.protected["title"]] == ["and"]
    assert re.search(r'<span class="nocase">and\)</span>', to_csl_json(coates, html=True)["title"])


def test_bare_ampersand_or_percent_is_reported_not_silently_dropped(tmp_path):
    text = ("@book{a,\n  author = {M, P},\n  title = {Fish & Chips},\n  publisher = {P},\n"
            "  date = {2015},\n  url = {http://example.org/?a=1&b=50%},\n}\n"
            "@book{b,\n  author = {M, P},\n  title = {Fish \\& Chips at 50\\%},\n  publisher = {P},\n  date = {2015},\n}\n")
    works, problems = load_bibliography(write(tmp_path, text))
    assert kinds_lines(problems) == [("bib-field", 3)]  # not the url: it is verbatim
    assert "\\&" in problems[0].hint
    assert works["b"].fields["title"] == "Fish & Chips at 50%"
    assert works["a"].fields["url"] == "http://example.org/?a=1&b=50%"


BIBBY = st.lists(st.sampled_from(list('@{}(),="#%\\ \n\tabkotx019&é') + ["@book{", "title = ", "\n}\n", "% c\n"]),
                 max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(BIBBY, st.text(max_size=200)))
def test_any_text_gives_works_and_located_problems_never_an_exception(text):
    works, problems = parse_bibliography(text, "any.bib")
    last = text.count("\n") + 2  # problems point into the text (or just after its end)
    assert all(isinstance(w, Work) for w in works.values())
    assert all(p.path == "any.bib" and 1 <= p.line <= last and p.kind.startswith(("bib-", "encoding"))
               for p in problems), problems


# -- the parsed bibliography, cached between builds ------------------------------------------------------
def test_an_unchanged_bibliography_is_read_back_from_the_cache_without_the_parsers(tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "bibliography.json"
    fresh, problems = load_bibliography(BIB, cache_file=cache)
    assert problems == [] and cache.exists()
    again, _ = load_bibliography(BIB, cache_file=cache)
    assert again == fresh
    assert [(w.names, w.protected, w.source, w.line) for w in again.values()] == \
           [(w.names, w.protected, w.source, w.line) for w in fresh.values()]
    # in a fresh process, a cache hit imports neither bibtexparser nor pylatexenc
    probe = ("import sys; from edition.glue import load_bibliography as load; "
             f"works, problems = load({str(BIB)!r}, cache_file={str(cache)!r}); "
             "print(len(works), len(problems), 'bibtexparser' in sys.modules, 'pylatexenc' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=ROOT / "scripts").stdout.split()
    assert out == [str(len(fresh)), "0", "False", "False"]


def test_the_bibliography_cache_follows_the_file_and_never_keeps_problems(tmp_path):
    bib, cache = tmp_path / "bibliography.bib", tmp_path / "cache.json"
    bib.write_text(BIB.read_text(encoding="utf-8"), encoding="utf-8")
    load_bibliography(bib, cache_file=cache)
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("{PostCapitalism}: A Guide to Our Future", "{PostCapitalism}: A Guide to the Future", 1),
                   encoding="utf-8")
    works, _ = load_bibliography(bib, cache_file=cache)
    assert works["mason2015postcapitalism"].get("title").endswith("A Guide to the Future")
    bib.write_text(text + "\n@book{broken,\n  title = {X}\n", encoding="utf-8")  # an unclosed entry
    _, problems = load_bibliography(bib, cache_file=cache)
    assert problems
    _, problems = load_bibliography(bib, cache_file=cache)
    assert problems  # read again, not served from the cache
    cache.write_text("{not json", encoding="utf-8")
    bib.write_text(text, encoding="utf-8")
    works, problems = load_bibliography(bib, cache_file=cache)  # a damaged cache is ignored
    assert problems == [] and "mason2015postcapitalism" in works

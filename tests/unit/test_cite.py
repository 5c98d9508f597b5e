"""scripts/edition/cite.py: Chicago notes and bibliography entries through citeproc-py."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from edition.bib import parse_bibliography
from edition.glue import citation_formatter, load_bibliography, save_citations
from edition.cite import CitationFormatter

BIB = Path(__file__).resolve().parents[1] / "fixtures" / "works.bib"  # a copy of some of bibliography.bib's works


@pytest.fixture(scope="module")
def works():
    works, problems = load_bibliography(BIB)
    assert problems == []
    return works


@pytest.fixture(scope="module")
def fmt(works):
    return CitationFormatter(works)


# ----------------------------------------------------------------------------------------------
# Full and short forms: a book, an article, an online source
# ----------------------------------------------------------------------------------------------
def test_book_full_and_short(fmt):
    assert fmt.note_html("mason2015postcapitalism", "112") == (
        "Paul Mason, <i>PostCapitalism: A Guide to Our Future</i> (London: Allen Lane, 2015), 112.")
    assert fmt.note_html("mason2015postcapitalism", "112", first=False) == "Mason, <i>PostCapitalism</i>, 112."
    assert fmt.note_html("mason2015postcapitalism") == (
        "Paul Mason, <i>PostCapitalism: A Guide to Our Future</i> (London: Allen Lane, 2015).")
    assert fmt.note_html("mason2015postcapitalism", first=False) == "Mason, <i>PostCapitalism</i>."


def test_article_full_and_short(fmt):
    assert fmt.note_html("graeber2012liberation") == (
        "David Graeber, “Occupy’s Liberation from Liberalism: The Real Meaning of May Day,” "
        "<i>Guardian</i>, May 7, 2012, "  # CMOS 14.171: no initial "The"
        '<a href="http://www.guardian.co.uk/commentisfree/cifamerica/2012/may/07/occupy-liberation-from-liberalism">http://www.guardian.co.uk/commentisfree/cifamerica/2012/may/07/occupy-liberation-from-liberalism</a>.')
    assert fmt.note_html("graeber2012liberation", first=False) == "Graeber, “Occupy’s Liberation from Liberalism.”"
    assert fmt.note_html("romer1990endogenous", "S80") == (
        "Paul M. Romer, “Endogenous Technological Change,” <i>Journal of Political Economy</i> 98, "
        "no. 5, pt. 2 (1990): S80, <a href=\"https://doi.org/10.1086/261725\">https://doi.org/10.1086/261725</a>.")
    assert fmt.note_html("romer1990endogenous", "S80", first=False) == "Romer, “Endogenous Technological Change,” S80."


def test_online_full_and_short(fmt):
    assert fmt.note_html("bauwens2010threetimes") == (
        "Michel Bauwens, “Three Times Exodus, Three Phase Transitions,” <i>P2P Foundation Blog</i>, May 2, 2010, "
        '<a href="https://blog.p2pfoundation.net/three-times-exodus-three-phase-transitions/2010/05/02">'
        'https://blog.p2pfoundation.net/three-times-exodus-three-phase-transitions/2010/05/02</a>.')
    assert fmt.note_html("bauwens2010threetimes", first=False) == "Bauwens, “Three Times Exodus.”"


def test_chapter_full_and_short(fmt):
    full = fmt.note_html("bauwens2012peertopeer")
    assert full.startswith("Michel Bauwens and Franco Iacomella, “Peer-to-Peer Economy")
    assert "in <i>The Wealth of the Commons: A World beyond Market and State</i>, ed. David Bollier and Silke Helfrich" in full
    assert full.endswith("(Amherst, MA: Levellers Press, 2012), "
                         '<a href="http://www.wealthofthecommons.org">http://www.wealthofthecommons.org</a>.')
    short = fmt.note_html("bauwens2012peertopeer", "5", first=False)
    assert short == "Bauwens and Iacomella, “Peer-to-Peer Economy and New Civilization,” 5."


def test_short_forms_never_name_editors(fmt):
    """citeproc-py ignores disambiguate="true" (it took it as true): cite.py neutralises it."""
    assert fmt.note_html("negri1991marxbeyondmarx", "3", first=False) == "Negri, <i>Marx beyond Marx</i>, 3."


def test_bibliography_entries(fmt):
    assert fmt.bibliography_html("mason2015postcapitalism") == (
        "Mason, Paul. <i>PostCapitalism: A Guide to Our Future</i>. London: Allen Lane, 2015.")
    assert fmt.bibliography_html("romer1990endogenous") == (
        "Romer, Paul M. “Endogenous Technological Change.” <i>Journal of Political Economy</i> 98, "
        "no. 5, pt. 2 (1990): S71–S102. "
        '<a href="https://doi.org/10.1086/261725">https://doi.org/10.1086/261725</a>.')
    assert fmt.bibliography_html("hardt2009commonwealth").startswith("Hardt, Michael, and Antonio Negri. ")


# ----------------------------------------------------------------------------------------------
# The citeproc-py pitfalls
# ----------------------------------------------------------------------------------------------
def test_locator_is_in_the_note_and_never_in_the_bibliography(works, monkeypatch):
    monkeypatch.setattr("edition.cite._MEMO", {})  # nothing formatted before: the note comes first
    fmt = CitationFormatter(works)
    assert fmt.note_html("standing2015precariat", "987").endswith(
        ': 987, <a href="https://doi.org/10.4000/rccsar.585">https://doi.org/10.4000/rccsar.585</a>.')
    assert "3–16" not in fmt.note_html("standing2015precariat")  # CMOS: no page range in a note
    assert fmt.note_html("mason2015postcapitalism", "987").endswith(", 987.")
    assert "987" not in fmt.bibliography_html("standing2015precariat")
    assert "987" not in fmt.bibliography_html("mason2015postcapitalism")
    assert "3–16" in fmt.bibliography_html("standing2015precariat")


def test_page_ranges_and_labels_in_locators(fmt):
    assert fmt.note_html("mason2015postcapitalism", "pp. 27-29", first=False) == "Mason, <i>PostCapitalism</i>, 27–29."
    assert fmt.note_html("mason2015postcapitalism", "p. 7", first=False) == "Mason, <i>PostCapitalism</i>, 7."
    assert fmt.note_html("mason2015postcapitalism", "chap. 3", first=False) == "Mason, <i>PostCapitalism</i>, chap. 3."
    assert fmt.note_html("mason2015postcapitalism", "sec. 2", first=False) == "Mason, <i>PostCapitalism</i>, sec. 2."


def test_never_ibid_even_for_the_same_work_again_and_again(fmt, works):
    notes = [fmt.note_html(key, loc, first=False) for key in works for loc in (None, "12", "12", "13")]
    assert not any("ibid" in n.lower() for n in notes)
    # not the author-only form that the style's ibid position gives either
    assert fmt.note_html("mason2015postcapitalism", "12", first=False) != "Mason, 12."
    for key in works:  # every short form names a title, in italics or in quotes (an untitled interview, its interviewer)
        assert re.search(r"<i>.+</i>|“.+”|\[.+\]|, interview by \w", fmt.note_html(key, "12", first=False)), key


def test_given_names_stay_full(fmt, works):
    assert "Paul Mason" in fmt.note_html("mason2015postcapitalism")
    assert "P. Mason" not in fmt.note_html("mason2015postcapitalism")
    assert "Mason, Paul." in fmt.bibliography_html("mason2015postcapitalism")
    assert "Paul M. Romer" in fmt.note_html("romer1990endogenous")
    for key, work in works.items():
        note, entry = fmt.note_html(key), fmt.bibliography_html(key)
        for role, people in work.names.items():
            for person in people:
                if role == "author":
                    assert f"{person.given} {person.family}" in note, (key, note)
                if work.entry_type == "article" and role == "editor":
                    continue  # Chicago does not name a journal's editors
                assert f"{person.given} {person.family}" in entry or f"{person.family}, {person.given}" in entry, key


def test_commas_and_periods_go_inside_closing_quotes(fmt, works):
    for key in works:
        for text in (fmt.note_html(key), fmt.note_html(key, "4", first=False), fmt.bibliography_html(key)):
            assert "”," not in text and "”." not in text and "’”," not in text, (key, text)
            assert "?.”" not in text and "?”." not in text, (key, text)
    assert "Three Phase Transitions,”" in fmt.note_html("bauwens2010threetimes")
    assert "Three Phase Transitions.”" in fmt.bibliography_html("bauwens2010threetimes")
    assert "Be Capitalist?,”" in fmt.note_html("bauwens2007experience")
    assert "Be Capitalist?” <i>P2P" in fmt.bibliography_html("bauwens2007experience")


def test_quotes_inside_a_quoted_title_become_single(fmt):
    assert "“So-Called ‘Post-Capitalism’ Is Just Another Crappy Capitalist Snowjob,”" in fmt.note_html(
        "mcmillan2015snowjob")
    assert fmt.note_html("dietz2013schneider", first=False) == "Schneider, “‘Occupy Wall Street Turned Movements.’”"
    assert fmt.note_html("mcmillan2015snowjob", "4", first=False) == "McMillan, “So-Called ‘Post-Capitalism,’” 4."


def test_braces_protect_case_and_titles_are_otherwise_title_cased(fmt):
    assert "“(Weblogs and) The Mass Amateurisation" in fmt.note_html("coates2003mass")
    assert "Everything…,” <i>Plasticbag.org</i> (blog), September 3, 2003," in fmt.note_html("coates2003mass")
    assert "“The End of Capitalism Has Begun,”" in fmt.note_html("mason2015endofcapitalism")
    assert "the Truth about Tech" in fmt.note_html("eskow2015sharing")  # CMOS 8.159: prepositions lower case
    assert "Didn’t Exist Before" in fmt.note_html("dietz2013schneider")  # ...but not an adverb at the end
    # an editors' description of an untitled item: no quotation marks
    assert "Michel Bauwens, [Commentary on P2P and accelerationism], <i>P2P" in fmt.note_html("bauwens2016accelerationism")
    # ...but an untitled interview has no title at all, only "interview by" (CMOS's and Turabian's examples)
    assert fmt.note_html("fernandezsavater2014holloway").startswith("John Holloway, interview by Amador Fernández-Savater,")
    assert fmt.note_html("fernandezsavater2014holloway", "3", first=False) == "Holloway, interview by Fernández-Savater, 3."


def test_no_stray_labels_or_missing_values(fmt, works):
    for key in works:
        for text in (fmt.note_html(key), fmt.note_html(key, "4", first=False), fmt.bibliography_html(key)):
            assert "Edition" not in text and "None" not in text and "nos." not in text, (key, text)
            assert text.endswith(".") or text.endswith(".”"), (key, text)


def test_markup_in_a_title_comes_out_as_text():
    text = ("@book{evil,\n  author = {Doe, Jane},\n"
            "  title = {Fish \\& Chips: <script>alert(1)</script> and <b>bold</b>},\n"
            "  publisher = {A \\& B <i>Press</i>},\n  date = {2000},\n}\n"
            "@online{evil2,\n  author = {Doe, Jane},\n  title = {Q\\&A <img src=x onerror=alert(1)>},\n"
            "  url = {http://example.org/?a=1&b=<2>},\n  date = {2001},\n}\n")
    works, problems = parse_bibliography(text)
    assert problems == []
    fmt = CitationFormatter(works)
    outputs = [fmt.note_html("evil"), fmt.note_html("evil", "1", first=False), fmt.bibliography_html("evil"),
               fmt.note_html("evil2"), fmt.bibliography_html("evil2"), fmt.note_html("evil", "<b>9</b>")]
    for out in outputs:
        assert "<script" not in out and "<b>" not in out and "<img" not in out and "<2>" not in out, out
        assert re.sub(r"</?i>|<a href=\"[^\"<>]*\">|</a>", "", out).count("<") == 0, out
    assert "Fish &amp; Chips: &lt;script&gt;alert(1)&lt;/script&gt;" in outputs[0]
    assert "A &amp; B &lt;i&gt;Press&lt;/i&gt;" in outputs[0]
    assert "Q&amp;A &lt;img" in outputs[3]
    assert outputs[5].endswith("&lt;b&gt;9&lt;/b&gt;.")


def test_unknown_key_raises_key_error(fmt):
    with pytest.raises(KeyError):
        fmt.note_html("nosuchkey")
    with pytest.raises(KeyError):
        fmt.bibliography_html("nosuchkey")
    with pytest.raises(KeyError):
        fmt.note_html("Mason2015postcapitalism")  # keys are case-sensitive, like the .bib


# ----------------------------------------------------------------------------------------------
# Speed: each distinct citation is formatted once
# ----------------------------------------------------------------------------------------------
def test_results_are_cached(works):
    fmt = CitationFormatter(works)
    first = fmt.note_html("mason2015postcapitalism", "1")
    assert fmt.cache_size == 1
    start = time.perf_counter()
    for _ in range(200):
        assert fmt.note_html("mason2015postcapitalism", "1") is first
    assert time.perf_counter() - start < 0.05  # 200 cached look-ups, far below one real formatting
    assert fmt.cache_size == 1
    assert fmt.note_html("mason2015postcapitalism", " 1 ") is first  # the same citation
    assert fmt.format_all([("mason2015postcapitalism", "1", True), ("mason2015postcapitalism", "1", False)]) == [
        first, "Mason, <i>PostCapitalism</i>, 1."]
    assert fmt.cache_size == 2


def test_sorted_keys_is_bibliography_order(fmt):
    keys = fmt.sorted_keys()
    assert keys[0] == "bastiat1850harmonies" and keys[-1] == "williams2013accelerate"
    assert keys.index("hardt2009commonwealth") < keys.index("khurana2007higheraims")
    # CMOS 14.68-14.69: one author's works by title, an initial article ignored; alone before with others
    assert keys[1:6] == ["bauwens2007experience", "bauwens2016accelerationism", "bauwens2005political",
                         "bauwens2010threetimes", "bauwens2012peertopeer"]
    assert keys.index("mason2015endofcapitalism") < keys.index("mason2015postcapitalism")


def test_results_survive_a_rebuild_through_the_cache_file(works, tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "citations.json"
    monkeypatch.setattr("edition.cite._MEMO", {})
    fmt = citation_formatter(works, cache)
    note, entry = fmt.note_html("mason2015postcapitalism", "5", first=False), fmt.bibliography_html("coates2003mass")
    save_citations(fmt, cache)
    assert cache.exists()

    monkeypatch.setattr("edition.cite._MEMO", {})  # a new process
    def no_rendering(*args, **kwargs):
        raise AssertionError("formatted again although cached")
    monkeypatch.setattr(CitationFormatter, "_render_note", no_rendering)
    again = citation_formatter(works, cache)
    assert again.note_html("mason2015postcapitalism", "5", first=False) == note
    assert again.bibliography_html("coates2003mass") == entry


def test_a_rebuild_with_every_citation_cached_does_not_import_citeproc(works, tmp_path, monkeypatch):
    import subprocess
    import sys

    cache = tmp_path / "citations.json"
    monkeypatch.setattr("edition.cite._MEMO", {})
    fmt = citation_formatter(works, cache)
    note = fmt.note_html("roos2013holloway", first=True)
    save_citations(fmt, cache)
    probe = ("import sys; from edition.glue import load_bibliography; from edition.glue import citation_formatter; "
             f"works, _ = load_bibliography({str(BIB)!r}); "
             f"fmt = citation_formatter(works, {str(cache)!r}); "
             "print(repr(fmt.note_html('roos2013holloway', first=True))); print('citeproc' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2] / "scripts").stdout.splitlines()
    assert out == [repr(note), "False"]


def test_a_stale_or_broken_cache_file_is_ignored(works, tmp_path, monkeypatch):
    cache = tmp_path / "citations.json"
    cache.write_text('{"engine": "old", "results": {"x": "y"}}', encoding="utf-8")
    monkeypatch.setattr("edition.cite._MEMO", {})
    fmt = citation_formatter(works, cache)
    assert fmt.note_html("mason2015postcapitalism").startswith("Paul Mason, ")
    cache.write_text("not json", encoding="utf-8")
    monkeypatch.setattr("edition.cite._MEMO", {})
    assert citation_formatter(works, cache).bibliography_html("mason2015postcapitalism").startswith("Mason, Paul.")


def test_a_changed_work_is_formatted_anew():
    text = "@book{k,\n  author = {Doe, Jane},\n  title = {First Title},\n  publisher = {P},\n  date = {2000},\n}\n"
    first = CitationFormatter(parse_bibliography(text)[0]).note_html("k")
    second = CitationFormatter(parse_bibliography(text.replace("First", "Second"))[0]).note_html("k")
    assert "First Title" in first and "Second Title" in second

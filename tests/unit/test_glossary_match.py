"""The one compiled matcher: forms, plurals, capitals, word boundaries, URLs and note markers."""
from __future__ import annotations

import re

from edition.glossary import Matcher, _norm


def matcher(*entries: tuple[str, list[str]]) -> Matcher:
    forms = {}
    for slug, words in entries:
        for w in words:
            forms[_norm(w)] = (w, slug)
    return Matcher(forms)


def found(m: Matcher, text: str) -> list[tuple[str, str]]:
    return [(slug, words) for _s, _e, slug, words in m.finditer(text)]


M = matcher(("karl-marx", ["Karl Marx", "Marx"]), ("marxism", ["Marxism", "Marxist"]),
            ("mass-worker", ["mass worker"]), ("tax", ["tax", "box"]), ("paul-mason", ["Paul Mason", "Mason"]),
            ("book", ["Mason’s book Postcapitalism"]), ("post-capitalism", ["post-capitalism"]),
            ("postcapitalism", ["postcapitalism"]), ("cbpp", ["commons-based peer production", "peer production"]),
            ("occupy", ["Occupy"]), ("accelerationism", ["accelerationism", "accelerationist"]),
            ("p2p", ["P2P"]), ("oconnor", ["O’Connor"]), ("capitalism", ["capitalism"]))


def test_one_compiled_pattern_for_every_form():
    assert isinstance(M.pattern, re.Pattern)
    assert M.pattern.flags & re.IGNORECASE


def test_aliases_map_to_their_entry():
    assert found(M, "Karl Marx and Marx") == [("karl-marx", "Karl Marx"), ("karl-marx", "Marx")]


def test_regular_plurals_s_and_es():
    assert found(M, "mass workers, taxes, boxes and Marxists") == [
        ("mass-worker", "mass workers"), ("tax", "taxes"), ("tax", "boxes"), ("marxism", "Marxists")]


def test_lower_case_forms_match_any_case_capitals_must_be_capitals():
    assert found(M, "Accelerationist and ACCELERATIONISM") == [
        ("accelerationism", "Accelerationist"), ("accelerationism", "ACCELERATIONISM")]
    assert found(M, "a mason may occupy a marx") == []
    assert found(M, "Mason and Occupy") == [("paul-mason", "Mason"), ("occupy", "Occupy")]


def test_no_match_inside_a_longer_word():
    assert found(M, "Marxian Marxisms Marxist") == [("marxism", "Marxisms"), ("marxism", "Marxist")]
    assert found(M, "taxonomy, boxer, Masonic, embox") == []


def test_hyphenated_forms_are_distinct_and_the_whole_compound_wins():
    assert found(M, "post-capitalism, postcapitalism, capitalism") == [
        ("post-capitalism", "post-capitalism"), ("postcapitalism", "postcapitalism"), ("capitalism", "capitalism")]


def test_a_term_inside_a_hyphenated_compound_is_a_use_unless_a_prefix_negates_it():
    assert found(M, "capitalism-lite, P2P-based, a Marx-inspired view") == [
        ("capitalism", "capitalism"), ("p2p", "P2P"), ("karl-marx", "Marx")]
    assert found(M, "anti-capitalism, non-Marxist, neo-Marxism, pre-capitalism, un-Marxist") == []
    assert found(M, "left-accelerationism, self-described Marxists") == [
        ("accelerationism", "accelerationism"), ("marxism", "Marxists")]


def test_acronyms_match_in_lower_case_too_but_not_mixed():
    assert found(M, "P2P, p2p and P2p") == [("p2p", "P2P"), ("p2p", "p2p")]


def test_irregular_plurals_and_singulars_of_plural_forms():
    m = matcher(("monopoly", ["monopoly"]), ("luddites", ["neo-Luddites"]), ("cracks", ["cracks"]),
                ("commons", ["commons"]), ("exodus", ["exodus"]), ("bauwens", ["Bauwens"]))
    m_sing = Matcher(m.forms, {"neo-luddites", "cracks", "commons", "exodus"})
    assert found(m_sing, "monopolies, a monopoly, monopolys; a neo-Luddite, neo-Luddites; a crack") == [
        ("monopoly", "monopolies"), ("monopoly", "monopoly"), ("monopoly", "monopolys"),
        ("luddites", "neo-Luddite"), ("luddites", "neo-Luddites"), ("cracks", "crack")]
    # never a singular of words that are not plurals, nor of names (only keys passed as plural nouns)
    assert found(m_sing, "common sense, exodu, Bauwen") == []


def test_longest_form_wins_and_the_shorter_inside_it_is_no_use():
    assert found(M, "commons-based peer production and peer production") == [
        ("cbpp", "commons-based peer production"), ("cbpp", "peer production")]
    assert found(M, "Paul Mason") == [("paul-mason", "Paul Mason")]


def test_overlapping_forms_of_different_entries_are_both_uses():
    assert found(M, "Paul Mason’s book Postcapitalism") == [
        ("paul-mason", "Paul Mason"), ("book", "Mason’s book Postcapitalism")]


def test_apostrophes_and_white_space_are_normalised():
    assert found(M, "O'Connor and O’Connor; Paul\n  Mason") == [
        ("oconnor", "O'Connor"), ("oconnor", "O’Connor"), ("paul-mason", "Paul\n  Mason")]


def test_possessive_and_punctuation_end_a_word():
    assert found(M, "Marx’s (Marx) “Marx.” P2P/") == [
        ("karl-marx", "Marx"), ("karl-marx", "Marx"), ("karl-marx", "Marx"), ("p2p", "P2P")]


def test_no_match_inside_urls_or_note_markers():
    text = "Marx[^Marx] wrote; see https://example.org/Marx/capitalism and www.marx.org/P2P, then P2P."
    assert found(M, text) == [("karl-marx", "Marx"), ("p2p", "P2P")]


def test_offsets_point_at_the_words():
    text = "The mass workers of Marx."
    for start, end, _slug, words in M.finditer(text):
        assert text[start:end] == words


def test_capitals_fail_then_a_shorter_form_is_tried():
    m = matcher(("bell", ["Bell"]), ("bell-labs", ["Bell Labs"]))
    assert found(m, "Bell labs and Bell Labs") == [("bell", "Bell"), ("bell-labs", "Bell Labs")]


def test_empty_matcher_matches_nothing():
    assert list(Matcher({}).finditer("anything at all")) == []


def test_a_variant_never_takes_another_entrys_form():
    m = Matcher({"neo-luddites": ("neo-Luddites", "a"), "neo-luddite": ("neo-Luddite", "b"),
                 "monopoly": ("monopoly", "c"), "monopolies": ("monopolies", "d")}, {"neo-luddites"})
    assert found(m, "neo-Luddite, neo-Luddites, monopoly, monopolies") == [
        ("b", "neo-Luddite"), ("a", "neo-Luddites"), ("c", "monopoly"), ("d", "monopolies")]

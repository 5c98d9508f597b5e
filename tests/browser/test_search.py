"""The search box (assets/search.js, Pagefind's index in site/pagefind/), on a phone and a desktop."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from test_quality import assert_no_axe_violations

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
RESULTS = ".ed-search .md-search-result__item a.md-search-result__link"


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, new_context):
    """A page on a phone (touch) or a desktop, with every request it makes recorded."""
    phone = request.param == "phone"
    context = new_context(viewport=VIEWPORTS[request.param], has_touch=phone, is_mobile=phone)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    return page


def open_search(page) -> None:
    """Open the search box as a reader does: "/" on a desktop, the magnifier in the header on a phone."""
    if page.viewport_size["width"] < 960:
        page.locator("label.md-header__button[for='__search']").click()
    else:
        page.keyboard.press("/")
    expect(page.locator(".ed-search input.md-search__input")).to_be_focused()


def search(page, query: str) -> list[str]:
    """Type a query; return the results' addresses (site-relative, with query string and fragment)."""
    open_search(page)
    box = page.locator(".ed-search input.md-search__input")
    box.press_sequentially(query, delay=20)
    # The list answers the whole query, not a prefix typed on the way (under load, "niche" can be shown first).
    expect(page.locator(".ed-search")).to_have_attribute("data-answered", query, timeout=10000)
    expect(page.locator(".ed-search .md-search-result__meta")).to_have_text(re.compile(r"\d+ results?$"))
    hrefs = page.locator(RESULTS).evaluate_all("l => l.map(a => a.href)")
    return [unquote(urlsplit(h).path.lstrip("/") + (f"?{urlsplit(h).query}" if urlsplit(h).query else "")
                    + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "")) for h in hrefs]


def test_nothing_of_the_search_is_fetched_before_the_box_is_used(screen, base_url):
    page = screen
    page.goto(base_url + "/paul-mason/")
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(500)
    assert [u for u in page.requests if "/pagefind/" in u or "search" in u.rsplit("/", 1)[-1].lower()
            and "search.js" not in u] == []
    search(page, "peer production")
    assert any(u.endswith("/pagefind/pagefind.js") for u in page.requests)
    assert any(u.endswith(".pf_index") for u in page.requests)  # only the index chunks the words need


@pytest.mark.parametrize("phrase, ref", [
    ("niches and hollows of the market system", "critiques-of-mason/#VI.14"),
    ("rent out our bedrooms", "critiques-of-mason/#VI.25"),
    ("Dark Satanic Mills", "analysis/#IV.4"),
])
def test_a_phrase_finds_its_paragraph_first_and_lands_on_it_with_the_words_highlighted(screen, base_url, phrase, ref):
    page = screen
    page.goto(base_url + "/")
    found = search(page, phrase)
    chapter, para = ref.split("#")
    assert found[0] == f"{chapter}?hl={phrase}#{para}", found
    first = page.locator(RESULTS).first
    expect(first).to_contain_text(f"¶ {para}")  # the reference, its chapter and a snippet with the words
    expect(first.locator("mark").first).to_be_visible()
    page.keyboard.press("Enter")  # the first result
    expect(page).to_have_url(re.compile(re.escape(chapter) + r"\?hl=[^#]+#" + re.escape(para) + "$"))
    target = page.locator(f"[id='{para}']")
    expect(target).to_be_in_viewport()
    marks = target.locator("mark.ed-hl")
    expect(marks.first).to_be_visible()
    assert " ".join(marks.all_inner_texts()).lower() == phrase.lower()


@pytest.mark.parametrize("query, url", [
    ("III.12", r"/other-techno-utopianisms/#III\.12$"),
    ("iii 12", r"/other-techno-utopianisms/#III\.12$"),
    ("iii.12", r"/other-techno-utopianisms/#III\.12$"),
    ("note 57", r"/leftist-techno-utopianism/#fnref:57$"),
    ("n57", r"/leftist-techno-utopianism/#fnref:57$"),
])
def test_a_reference_is_the_first_result_and_enter_goes_there(screen, base_url, query, url):
    page = screen
    page.goto(base_url + "/paul-mason/")
    search(page, query)
    first = page.locator(RESULTS).first
    expect(first).to_contain_text("III.12" if "12" in query else "note 57")
    expect(first).to_contain_text("Other Non-Capitalist" if "12" in query else "Categories of Leftist")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(url))
    anchor = url.split("#")[1].rstrip("$").replace("\\", "")
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()


def test_results_are_reached_with_the_arrow_keys_and_escape_closes(new_context, base_url):
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.goto(base_url + "/")
    search(page, "Kondratieff")
    links = page.locator(RESULTS).evaluate_all("l => l.map(a => a.href)")
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_class(re.compile("md-search-result__link"))
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator(".ed-search input.md-search__input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(page.locator(".ed-search .md-search__output")).to_be_hidden()


def test_a_term_and_an_alias_find_their_entry_and_the_concordance_is_not_searched(new_context, base_url):
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.goto(base_url + "/")
    assert search(page, "exodus")[0] == "glossary/exodus/"
    page.goto(base_url + "/")
    found = search(page, "knowledge elite")
    assert found[0] == "glossary/knowledge-class/", found
    assert not [h for h in found if "#in-" in h or "concordance" in h or h.startswith(("whole/", "annotations/"))]


def test_the_text_is_at_least_16px(screen, base_url):
    page = screen
    page.goto(base_url + "/")
    search(page, "peer production")
    sizes = page.locator(".ed-search input, .ed-search .md-search-result__meta, .ed-search .md-search-result p, "
                         ".ed-search .md-search-result h1").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 16, sizes
    if page.viewport_size["width"] < 960:  # a phone: the results fill the screen, nothing sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_the_search_open(new_context, base_url, scheme):
    for viewport in VIEWPORTS.values():
        page = new_context(viewport=viewport, color_scheme=scheme).new_page()
        page.goto(base_url + "/paul-mason/")
        search(page, "peer production")
        page.wait_for_timeout(300)  # the box's opening transition: axe reads colours mid-way otherwise
        assert_no_axe_violations(page)


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    """The edition built with at most 200 records per search index: its ~770 records make four indexes (the
    first and pagefind/part-2/ to part-4/), as a much longer text would past search.RECORDS_PER_INDEX."""
    import threading

    from conftest import build_site, copy_project
    from serve import make_server

    project = copy_project(tmp_path_factory.mktemp("split") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nextra:\n" in text
    config.write_text(text.replace("\nextra:\n", "\nextra:\n  edition_search:\n    records_per_index: 200\n", 1),
                      encoding="utf-8")
    site = project.parent / "site"
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr
    assert (site / "pagefind" / "part-4" / "pagefind-entry.json").is_file()
    httpd = make_server(site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_search_index_in_parts_is_searched_whole(new_context, split_site):
    # the Conclusion's paragraphs are among the last records: in the last part, which the search box merges
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(split_site + "/paul-mason/")
    phrase = "false prophets of corporate information capitalism"
    found = search(page, phrase)
    assert found[0] == f"conclusion/?hl={phrase}#C.2", found
    assert any("/pagefind/part-4/" in u for u in page.requests)

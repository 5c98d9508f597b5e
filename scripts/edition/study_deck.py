"""The study cards as an Anki deck (.apkg), made with genanki at build time.

Stable identities, so that importing a newer deck updates the cards a reader already has instead of
adding copies: the model and deck ids are fixed numbers (chosen once; never change them), and each
note's GUID is derived from its card's id (study.Card.id). The output is deterministic: genanki is given
the edition's date as its timestamp, and the zip is rewritten with fixed member dates.
"""
from __future__ import annotations

import html
import io
import itertools
import json
import sqlite3
import zipfile
from datetime import datetime, timezone
from typing import Iterable, Mapping

import genanki

from .study import TYPE_LABEL, Card, card_path

MODEL_ID = 1607392319  # chosen once, at random; Anki matches a re-imported model by it
DECK_ID = 2059400110
DECK_NAME = "Carson, Techno-Utopianism, Counterfeit and Real"
FIELDS = ("Front", "Back", "Type", "Reference", "Link")
ZIP_DATE = (2016, 1, 1, 0, 0, 0)  # the essay's year: any fixed date makes the archive reproducible

MODEL = genanki.Model(
    MODEL_ID, "Reading edition card",
    fields=[{"name": f} for f in FIELDS],
    templates=[{
        "name": "Card 1",
        "qfmt": '<div class="type">{{Type}}</div><div class="front">{{Front}}</div>',
        "afmt": '{{FrontSide}}<hr id="answer"><div class="back">{{Back}}</div>'
                '<p class="ref"><a href="{{Link}}">¶ {{Reference}}</a></p>',
    }],
    css=".card { font-family: Georgia, serif; font-size: 20px; text-align: left; max-width: 40em; margin: auto; }\n"
        ".type { font-size: 14px; opacity: .7; }\n.ref { font-size: 14px; }\n",
)


def note_fields(card: Card, link: str) -> list[str]:
    """The note's fields (HTML, as Anki stores them)."""
    return [card.front_html, card.back_html, html.escape(TYPE_LABEL[card.type]), html.escape(card.ref or "glossary"),
            html.escape(link)]


def apkg_bytes(cards: Iterable[Card], chapter_urls: Mapping[str, str], site_url: str, date: str) -> bytes:
    """The deck as .apkg bytes; `date` (YYYY-MM-DD, the edition's) stands for the build's time."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Flashcards from the reading edition: terms, quotations, "
                        "claims and where the essay explains them.")
    for card in cards:
        deck.add_note(genanki.Note(model=MODEL, fields=note_fields(card, base + card_path(card, chapter_urls)),
                                   guid=genanki.guid_for(card.id), tags=[card.type]))
    stamp = datetime.fromisoformat(date).replace(tzinfo=timezone.utc).timestamp()
    return _package(genanki.Package(deck), stamp)


def _package(package: genanki.Package, stamp: float) -> bytes:
    """What genanki's Package.write_to_file makes, without its temporary file: genanki leaves the
    database it writes in the system's temporary folder (one file per build), so the database is made
    in memory here, and the zip's members get a fixed date (ZIP_DATE) so the archive is reproducible."""
    conn = sqlite3.connect(":memory:")
    try:
        package.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
        conn.commit()
        database = conn.serialize()
    finally:
        conn.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in (("collection.anki2", database), ("media", json.dumps({}).encode())):
            member = zipfile.ZipInfo(name, ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, data)
    return out.getvalue()

"""The study page (study.md): the cards of study.py as JSON for assets/study.js, with the page's markup
from templates/study.html (templates.render: autoescaped, overridable from overrides/edition/), and the two downloads' names and sizes."""
from __future__ import annotations

import json
from typing import Any, Mapping

from . import templates, urls
from .glossary import KINDS
from .study import TYPE_LABEL, TYPES, Card, Left, card_path

KIND_PLURAL = {"concept": "Concepts", "school": "Schools of thought", "person": "People", "work": "Works",
               "movement": "Movements and organisations"}
APKG_NAME = "techno-utopianism-carson-cards.apkg"
CSV_NAME = "techno-utopianism-carson-cards.csv"
PAGE = "study.md"  # the page's source; its links are made by urls from it
ROOT = urls.root(PAGE)


def script_json(data: object) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' appear literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def study_data(cards: list[Card], chapters: list[tuple[str, str]], chapter_urls: Mapping[str, str]) -> dict[str, Any]:
    """What assets/study.js reads: the cards (fronts and backs as escaped HTML), chapters and labels."""
    return {
        "version": 2,
        "types": {t: TYPE_LABEL[t] for t in TYPES},
        "chapters": {slug: title for slug, title in chapters},
        "cards": [{"id": c.id, "type": c.type, "front": c.front_html, "back": c.back_html, "ref": c.ref,
                   "chapters": list(c.chapters or ((c.chapter,) if c.chapter else ())), "kind": c.kind,
                   "link": ROOT + card_path(c, chapter_urls),
                   **({"entry": urls.href(PAGE, f"glossary/{c.entry}.md")} if c.type == "term" else {})} for c in cards],
    }


def left_reasons(left: list[Left]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for x in left:
        grouped.setdefault(x.reason, []).append(f"¶ {x.ref}" + (f", note {x.note}" if x.note else ""))
    return list(grouped.items())


def page_body(cards: list[Card], left: list[Left], chapters: list[tuple[str, str]], chapter_urls: Mapping[str, str],
              kinds_present: set[str], sizes: Mapping[str, int]) -> str:
    types = [{"type": t, "label": TYPE_LABEL[t], "count": sum(1 for c in cards if c.type == t)} for t in TYPES]
    return templates.render(
        "study.html", total=len(cards), types=[t for t in types if t["count"]],
        chapters=[{"slug": s, "title": t} for s, t in chapters],
        kinds=[{"kind": k, "label": KIND_PLURAL[k]} for k in KINDS if k in kinds_present],
        left=left, left_reasons=left_reasons(left),
        apkg_href=urls.relative(urls.page_url(PAGE), "downloads/") + APKG_NAME,
        csv_href=urls.relative(urls.page_url(PAGE), "downloads/") + CSV_NAME,
        glossary_href=urls.href(PAGE, "glossary/index.md"), about_href=urls.href(PAGE, "about.md"),
        assets_href=urls.relative(urls.page_url(PAGE), "assets/"),
        apkg_kb=f"{sizes.get(APKG_NAME, 0) / 1024:,.0f}", csv_kb=f"{sizes.get(CSV_NAME, 0) / 1024:,.0f}",
        data_json=templates.Markup(script_json(study_data(cards, chapters, chapter_urls))))

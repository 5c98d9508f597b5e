"""Formatted citations as plain text with *italics*: the form of the CMOS golden cases.

Both formatters' HTML (citeproc-py through scripts/edition/cite.py, and citeproc-js in the
cross-check) is compared in this one form, so that markup that makes no visible difference (a link
around an address, a nocase span, ``&#38;`` against ``&amp;``) never counts as a difference.
"""
from __future__ import annotations

import html
import re

_ITALIC = re.compile(r"<(/?)(?:i|em)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    """``Paul Mason, <i>PostCapitalism</i> …`` -> ``Paul Mason, *PostCapitalism* …``.

    Italics become ``*…*`` (an empty pair, left where a span of roman text ends a title, is
    dropped; adjacent pairs merge), every other tag goes (links keep their text), entities are
    decoded and runs of white space become one space.
    """
    markup = re.sub(r"(\s+)(</(?:i|em)>)", r"\2\1", markup)  # a space at the edge of italics is roman
    markup = re.sub(r"(<(?:i|em)\b[^>]*>)(\s+)", r"\2\1", markup)
    text = _ITALIC.sub("*", markup)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = text.replace("**", "")
    return " ".join(text.split())

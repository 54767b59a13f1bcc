"""Paragraph and sentence boundaries of raw article text (character offsets)."""

from __future__ import annotations

import re

from .cues import words

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’»)']*\s+(?=[\"“‘«('`]*[A-Z0-9])|\n+")
_ABBREV = words(
    """mr mrs ms dr sen rep gov gen st jr sr lt col sgt capt prof inc co corp vs
    jan feb mar apr aug sept sep oct nov dec u.s u.k u.n d.c p.m a.m rev ft mt pres
    atty supt cmdr adm maj"""
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace-trimmed; never crosses a newline."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m.group():
            word = text[max(0, m.start() - 12) : m.start()].rsplit(None, 1)[-1:]
            last = word[0].lower().strip('"“”’.') if word else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
        end = m.start()
        # keep closing quote marks that the boundary regex skipped over
        while end < m.end() and text[end] in "\"”’»)'":
            end += 1
        _add(text, spans, start, end)
        start = m.end()
    _add(text, spans, start, len(text))
    return spans


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))

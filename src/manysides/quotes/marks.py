"""Quotation-mark spans found by scanning characters (no model needed).

Handles curly and straight double quotes, guillemets, low-9 quotes, single curly quotes
(not apostrophes) and quotes running across paragraphs: an opening mark left open at a
paragraph end continues when the next paragraph opens with a quotation mark again
(the newspaper convention), otherwise the quote ends with its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

OPEN_CLOSE: Mapping[str, str] = MappingProxyType(
    {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’", "‹": "›"}
)
OPENERS = frozenset(OPEN_CLOSE)
DOUBLE_OPENERS = frozenset({"“", "«", "„", '"'})
QUOTE_CHARS = frozenset("\"“”«»‘’„‹›'")
_PARA = re.compile(r"[^\n]+")
_NEXT_DOUBLE = re.compile(r"[\"“”]")


def _opens(text: str, i: int) -> bool:
    """Whether the ambiguous mark at ``i`` (a straight quote) is in opening position."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-/:;,") and not nxt.isspace()


def _single_opens(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in '([{—–“"') and (nxt.isalnum() or nxt in "…")


def _single_closes(text: str, i: int) -> bool:
    prev = text[i - 1]
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and not nxt.isalnum()


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed spans in one paragraph and the offset of a quote left open at its end."""
    spans: list[tuple[int, int]] = []
    i = start
    open_at: int | None = None
    closer = ""
    # a paragraph using curly quotes: its straight double quotes are typos, not quotes
    curly = "“" in text[start:end] and "”" in text[start:end]
    searched = start  # how far back stray closing marks were already looked for
    while i < end:
        ch = text[i]
        if curly and ch == '"' and not _mixed_mark(text, i, end, open_at is not None, closer):
            i += 1
            continue
        if open_at is None:
            if ch in DOUBLE_OPENERS and (ch != '"' or _opens(text, i)):
                open_at, closer = i, OPEN_CLOSE[ch]
            elif ch == "‘" and _single_opens(text, i):
                open_at, closer = i, "’"
            elif ch == "”" and not spans and text[start:i].strip() == "":
                # a closing mark used as an opener (some sites); treat as opening
                open_at, closer = i, "”"
        elif ch == "“" and closer == "”" and text[i - 1] in ",.!?" and _space_after(text, i, end):
            # ``...here,“ said Jim Clyburn``: an opening mark typed for the closing one
            spans.append((open_at, i + 1))
            open_at = None
        elif ch == "“" and closer == "”":
            # a second opening mark: the first quotation was closed by a stray ’
            # (only the stretch not searched before: keeps the scan linear)
            stray = _stray_close(text, max(open_at, searched), i)
            searched = i
            if stray is not None:
                spans.append((open_at, stray))
                open_at = i
        elif ch == closer or (closer == "”" and ch == '"') or (closer == '"' and ch == "”"):
            if closer in "’" and not _single_closes(text, i):
                i += 1
                continue
            spans.append((open_at, i + 1))
            open_at = None
        elif closer == "“" and ch == "”":  # „...” variant
            spans.append((open_at, i + 1))
            open_at = None
        i += 1
    if open_at is not None and closer == "”":
        stray = _stray_close(text, open_at, end)
        if stray is not None:
            spans.append((open_at, stray))
            open_at = None
    return spans, open_at


def _mixed_mark(text: str, i: int, end: int, is_open: bool, closer: str) -> bool:
    """Whether a straight double quote in a paragraph of curly quotes stands for one: it
    closes an open quotation right after its punctuation (``“A," said Jo``) or opens one
    after a space (``said Jo. "B.”``); other straight quotes there are typos or inches."""
    if is_open:
        return closer == "”" and text[i - 1] in ",.!?…" and _space_after(text, i, end)
    if not (_opens(text, i) and (i == 0 or text[i - 1].isspace())):
        return False
    nxt = _NEXT_DOUBLE.search(text, i + 1, end)  # it must close before another one opens
    return nxt is not None and nxt.group() != "“"


def _space_after(text: str, i: int, end: int) -> bool:
    return i + 1 >= end or text[i + 1].isspace()


def _stray_close(text: str, start: int, end: int) -> int | None:
    """End of a “...’ quotation typed with the wrong closing mark: the last ’ in
    (start, end) that ends a sentence or clause, or None."""
    for j in range(end - 1, start, -1):
        if text[j] == "’" and text[j - 1] in ".!?," and (j + 1 >= end or text[j + 1].isspace()):
            return j + 1
    return None


_DOUBLE_APOSTROPHE = re.compile(r"''")
_PAD = "\x01"  # stands for the second character of a two-character mark while scanning


def _as_double_quotes(text: str) -> str:
    """Text of the same length with ``''`` (the New York Times' quotation mark) turned into a
    straight double quote: ``"`` + pad when opening, pad + ``"`` when closing, so a span's
    offsets cover both apostrophes."""
    if "''" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        prev = text[m.start() - 1] if m.start() else " "
        return '"' + _PAD if prev.isspace() or prev in "([{—–-" else _PAD + '"'

    return _DOUBLE_APOSTROPHE.sub(one, text)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation, marks included, in text order."""
    text = _as_double_quotes(text)
    paragraphs = [(m.start(), m.end()) for m in _PARA.finditer(text)]
    out: list[tuple[int, int]] = []
    carry: int | None = None  # start of a quote continued from the previous paragraph
    for n, (p_start, p_end) in enumerate(paragraphs):
        spans, open_at = _scan_paragraph(text, p_start, p_end)
        if carry is not None:
            if spans and spans[0][0] == _first_char(text, p_start, p_end):
                first = spans.pop(0)
                out.append((carry, first[1]))
            elif open_at is not None and open_at == _first_char(text, p_start, p_end) and not spans:
                open_at = carry  # keeps running
            else:
                out.append((carry, _last_char(text, paragraphs[n - 1])))
            carry = None
        out.extend(spans)
        if open_at is not None:
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt is not None and text[_first_char(text, *nxt)] in OPENERS:
                carry = open_at
            elif text[open_at] != "‘":
                out.append((open_at, _last_char(text, (p_start, p_end))))
    if carry is not None and paragraphs:
        out.append((carry, _last_char(text, paragraphs[-1])))
    return [(s, e) for s, e in out if e - s > 2]


def _first_char(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _last_char(text: str, para: tuple[int, int]) -> int:
    start, end = para
    while end > start and text[end - 1].isspace():
        end -= 1
    return end

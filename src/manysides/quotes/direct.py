"""Attribute quotation-mark spans to a source and cue from their immediate context.

Patterns, applied to the text of the sentence around a quote:
``"...," she said`` / ``"...," said Jane Doe`` / ``"..." Doe told reporters`` after it;
``Doe said: "..."`` / ``Doe told CNN, "..."`` / ``According to Doe, "..."`` before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import DIRECT_CUES, MANNER_LEMMAS, forms
from .marks import QUOTE_CHARS
from .speakers import ROLE_NOUNS

_CUE = "|".join(sorted(DIRECT_CUES, key=len, reverse=True))
_WORD = r"[\w.'’&-]+"
_NP = rf"(?:{_WORD}\s+){{0,6}}?{_WORD}"
_ADV = (
    r"(?:(?:also|then|later|once|again|has|had|have|had|would|will|previously|recently|"
    r"simply|further|only|just|quickly|flatly|repeatedly|reportedly|later|earlier)\s+)*"
)
# after the quote: , she said | , said Jane Doe | — Doe told reporters
_APPOSITION = r"(?:,[^,.;:“”\"]{1,80},?)?"
_AFTER_SRC_CUE = re.compile(
    rf"^[\s,—–'’-]*(?P<src>{_NP}){_APPOSITION}\s+{_ADV}(?P<cue>{_CUE})\b", re.I
)
_AFTER_CUE_SRC = re.compile(
    rf"^[\s,—–'’-]*(?P<cue>{_CUE})\s+(?P<src>{_WORD}(?:\s+(?!of\b|in\b|on\b|at\b|to\b|when\b|"
    rf"during\b|after\b|before\b|about\b|as\b|while\b|that\b|with\b|from\b|last\b|this\b)"
    rf"{_WORD}){{0,6}})",
    re.I,
)
# before the quote: Doe said: | Doe told CNN, | Doe said in a statement:
_BEFORE = re.compile(
    rf"^.*\b(?P<src>{_NP})\s+{_ADV}(?P<cue>{_CUE})\b(?P<rest>[^.!?\"“”]{{0,80}}?)\s*[:,—]\s*$",
    re.I | re.S,
)
# a sentence that only says who speaks next: ``Lau said in a statement. “...”``
_BEFORE_CLOSED = re.compile(
    rf"\b(?P<src>{_NP})\s+{_ADV}(?P<cue>{_CUE})\b"
    r"(?P<rest>(?:\s+(?:in|on|at|during|to|a|an|the|his|her|their|its|this|last|early|late|"
    r"earlier|later|recently|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|yesterday|tonight|morning|afternoon|evening|night|week|statement|interview|"
    r"telephone|phone|email|e-mail|news|conference|briefing|release|speech|remarks|"
    r"reporters|[A-Z][\w.'’-]*)){0,6})\.\s*$",
)
# the last cue before a quotation it introduces: "..., joked: “...”"
_MANNER = "|".join(
    sorted(
        (f for lemma in MANNER_LEMMAS | {"opine", "read"} for f in forms(lemma)),
        key=len,
        reverse=True,
    )
)
# the last cue before a quotation it introduces: "..., joked: “...”", "chanting “...”"
CUE_BEFORE = re.compile(
    rf"^.*\b(?:(?P<cue>{_CUE})\b[^.!?\"“”]{{0,80}}?\s*[:,—]|(?P<manner>{_MANNER}))\s*$",
    re.I | re.S,
)
_AFTER_IT = re.compile(
    r"^[\s,—–-]*(?P<src>it)\s+(?P<cue>said|says|added|adds|read|reads|stated|states|"
    r"continued|continues|concluded|concludes|warned|warns|noted|notes)\b",
    re.I,
)
_AFTER_ACCORDING = re.compile(rf"^[\s,—–-]*according to\s+(?P<src>{_NP})", re.I)
_ACCORDING = re.compile(rf"\baccording to\s+(?P<src>{_NP})\s*[:,]\s*$", re.I)
_SRC_STOP = re.compile(r"[,;:()\"“”]")
_NOT_AFTER_CUE = frozenset(
    {
        "in",
        "on",
        "at",
        "to",
        "of",
        "for",
        "with",
        "from",
        "by",
        "during",
        "after",
        "before",
        "he",
        "she",
        "they",
        "i",
        "we",
        "you",
        "so",
        "no",
        "yes",
        "nothing",
        "something",
        "last",
        "this",
        "earlier",
        "later",
        "recently",
        "today",
        "yesterday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "when",
        "while",
        "about",
        "not",
    }
)
_LOWER_NOT_SOURCE = frozenset(
    {"and", "or", "but", "as", "if", "because", "than", "then", "so", "not", "also", "is", "was"}
)
_BAD_SRC = frozenset({"that", "which", "what", "who", "it", "this", "there", "as", "and", "but"})


@dataclass(frozen=True, slots=True)
class Attribution:
    src_start: int
    src_end: int
    cue: str
    cue_start: int


def _trim_src(text: str, start: int, end: int) -> tuple[int, int] | None:
    seg = text[start:end]
    stop = _SRC_STOP.search(seg)
    if stop:
        seg = seg[: stop.start()]
    stripped = seg.strip()
    if not stripped or stripped.lower() in _BAD_SRC:
        return None
    lead = len(seg) - len(seg.lstrip())
    return start + lead, start + lead + len(stripped)


def _valid_after_source(src: str) -> bool:
    words = src.split()
    if not words:
        return False
    first = words[0].lower()
    if first in _BAD_SRC:
        return False
    if (
        first not in _NOT_AFTER_CUE
        and first not in _LOWER_NOT_SOURCE
        and (any(w[0].isupper() for w in words[1:]) or words[-1].lower().strip(".,") in ROLE_NOUNS)
    ):
        return True  # ``spokesman Jeff Bechdel``, ``campaign manager Robby Mook``
    # the source before a cue should be a name, a pronoun or a determiner phrase
    return words[0][0].isupper() or first in {
        "he",
        "she",
        "they",
        "i",
        "we",
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "one",
        "another",
        "some",
        "many",
        "officials",
        "police",
        "experts",
        "sources",
    }


_PRONOUN_START = re.compile(r"^\s*(?:He|She|They|I|We|It)\b")
_CLAUSE_AFTER_CUE = re.compile(r"^[^.!?]{0,60}?\b(?:that|to|about|of)\b")


def attribute_after(text: str, q_end: int, limit: int) -> Attribution | None:
    """Source and cue right after a quote (``"...," she said``)."""
    window = text[q_end:limit]
    # the quotation ends its own sentence with a full stop: ``... done.”``
    j = q_end
    while j > 0 and text[j - 1] in QUOTE_CHARS:
        j -= 1
    closed_sentence = j > 0 and text[j - 1] in ".…"
    if closed_sentence and _PRONOUN_START.match(window):
        return None  # ``"...done." She said ...`` starts a new sentence about what follows
    m = _AFTER_IT.match(window)
    if m and not closed_sentence:  # ``"...," it said``: a document or body speaking
        return Attribution(
            q_end + m.start("src"), q_end + m.end("src"), m["cue"], q_end + m.start("cue")
        )
    m = _AFTER_ACCORDING.match(window)
    if m:
        span = _trim_src(text, q_end + m.start("src"), q_end + m.end("src"))
        if span:
            return Attribution(*span, "according to", q_end + m.start())
    m = _AFTER_SRC_CUE.match(window)
    if m and closed_sentence and _CLAUSE_AFTER_CUE.match(window[m.end() :]):
        m = None  # ``"...done." Smith said that ...`` introduces new content
    if m and _valid_after_source(m.group("src")):
        span = _trim_src(text, q_end + m.start("src"), q_end + m.end("src"))
        if span:
            return Attribution(*span, m.group("cue"), q_end + m.start("cue"))
    m = _AFTER_CUE_SRC.match(window)
    if m and m.group("cue").lower().endswith("ing"):
        m = None  # ``", recalling summer visits"``: a participle, not an inverted "said X"
    # after "said" any noun phrase is the source ("said former Gov. Ed Rendell")
    if m and m.group("src").split()[0].lower() not in _BAD_SRC | _NOT_AFTER_CUE:
        span = _trim_src(text, q_end + m.start("src"), q_end + m.end("src"))
        if span:
            return Attribution(*span, m.group("cue"), q_end + m.start("cue"))
    return None


def attribute_before(text: str, lo: int, q_start: int) -> Attribution | None:
    """Source and cue right before a quote (``Doe said: "..."``)."""
    window = text[lo:q_start]
    m = _ACCORDING.search(window)
    if m:
        span = _trim_src(text, lo + m.start("src"), lo + m.end("src"))
        if span:
            return Attribution(*span, "according to", lo + m.start())
    m = _BEFORE.search(window) or _BEFORE_CLOSED.search(window)
    if m and _valid_after_source(m.group("src")):
        # the nearest phrase before the cue: keep the last words up to a clause break
        src_start, src_end = lo + m.start("src"), lo + m.end("src")
        seg = text[src_start:src_end]
        cut = max(seg.rfind(","), seg.rfind(" and "), seg.rfind(" but "))
        if cut >= 0:
            src_start += cut + 1
        if text[src_start].islower():
            src_start = _determiner_start(text, lo, src_start)
        span = _trim_src(text, src_start, src_end)
        if span:
            return Attribution(*span, m.group("cue"), lo + m.start("cue"))
    return None


_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|one|another|his|her|their|its|this|that)\s+(?:[a-z][\w'’-]*\s+){0,3}$", re.I
)


def _determiner_start(text: str, lo: int, start: int) -> int:
    """Start of the noun phrase a lower-case source head ends: ``the person`` of ``At the
    same time, the person added``."""
    m = _DETERMINER_BEFORE.search(text, max(lo, start - 60), start)
    return m.start() if m else start


# "Vice President Joe Biden, Rubio said, had been in the Senate for years."
PARENTHETICAL = re.compile(
    rf"(?P<a>[^,“”\"\n]{{3,}}?),\s+(?P<src>{_NP})\s+{_ADV}"
    r"(?P<cue>said|says|told\s+[\w.]+(?:\s+[A-Z][\w.]+)*|added|argued|noted|wrote|explained|"
    r"insisted|claimed|contended|believes|thinks|recalled|warned),\s+"
    r"(?P<b>[^“”\"\s][^“”\"\n]{8,}?)[.!?]?$"
)


def parenthetical(
    text: str, start: int, end: int
) -> tuple[Attribution, tuple[int, int], tuple[int, int]] | None:
    """A sentence reported around a parenthetical attribution: (attribution, first part,
    second part), or None."""
    m = PARENTHETICAL.match(text, start, end)
    if m is None or not _valid_after_source(m.group("src")):
        return None
    span = _trim_src(text, m.start("src"), m.end("src"))
    if span is None or not m.group("a").split():
        return None
    cue = m.group("cue").split()[0]
    return (
        Attribution(*span, cue, m.start("cue")),
        (m.start("a"), m.end("a")),
        (m.start("b"), m.end("b")),
    )

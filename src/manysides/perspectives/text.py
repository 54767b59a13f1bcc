"""Small, dependency-free text helpers: sentence splitting, tokens, stems, stop words.

Regex-based on purpose: perspectives run on every story of every run, and the summary
benchmark runs on thousands of articles, so nothing here loads a model.
"""

from __future__ import annotations

import re
from functools import lru_cache


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal, as a set."""
    return frozenset(text.split())


_ABBREV = wordset(
    """mr mrs ms dr prof sen rep gov gen lt col sgt capt cmdr adm st jr sr inc ltd co corp
    vs etc no jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e pres
    rev hon atty supt dept est fig mt ft ave blvd a.m p.m d.c"""
)
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) then space.
_BOUNDARY = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say according told mr mrs ms one two new also s t"""
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; keeps abbreviations such as "Sen." and "U.S." intact."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        candidate = text[start : m.start()].rstrip()
        last = candidate.rsplit(" ", 1)[-1].rstrip(".!?\"'”’)]").lower()
        if last in _ABBREV or (len(last) == 1 and last.isalpha()):
            continue  # "Sen. Sanders", "John F. Kennedy"
        pieces.append(text[start : m.end()].strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def tokens(text: str) -> list[str]:
    """Word tokens with their original case (apostrophes kept inside words)."""
    return _TOKEN.findall(text or "")


def words(text: str) -> list[str]:
    """Lower-cased alphanumeric words."""
    return _WORD.findall((text or "").lower())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper (plural, -ed, -ing, -ly); enough for overlap matching."""
    w = word.lower()
    if len(w) <= 3:
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith("ss"):
                return w
            return w[: len(w) - len(suffix)] + repl
    return w


def content_stems(text: str) -> list[str]:
    """Stemmed words without stop words: the unit of sentence similarity."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]

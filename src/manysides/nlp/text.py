"""The one tokenizer, stop-word list, stemmer and sentence splitter of manysides.

Stories, perspectives, summaries and quotes all read text through this module, so a
word, a stem and a sentence mean the same thing everywhere. Nothing here loads a model:
``stem`` is simplemma's dictionary lemmatizer (inflections only, irregular forms
included: a lemma list such as the bias lexicon matches on it), the rest are regular
expressions.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "ABBREVIATIONS",
    "NUMBER_ABBREVIATIONS",
    "STOPWORDS",
    "content_stems",
    "sentence_spans",
    "split_sentences",
    "stem",
    "tokens",
    "words",
    "wordset",
]


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal word list, as a set."""
    return frozenset(text.split())


STOPWORDS: frozenset[str] = wordset(
    """a about above after again against ago all also am an and any are aren as at be
    because been before being below between both but by can cannot could couldn did didn do
    does doesn doing don down during each even ever every few for from further get gets got
    had hadn has hasn have haven having he her here hers herself him himself his how however
    i if in into is isn it its itself just least less let like ll made make many may me
    might more most much must mustn my myself new no nor not now of off on once one only or
    other our ours ourselves out over own per re said same say says she should shouldn so
    some such than that the their theirs them themselves then there these they this those
    though through thus to too two under until up upon us use used ve very via was wasn way
    we were weren what when where whether which while who whom whose why will with within
    without won would wouldn yet you your yours yourself yourselves s t d m o y
    mr mrs ms dr told according"""
)

# Words that end in a full stop without ending the sentence ("Sen. Sanders", "U.S. troops").
ABBREVIATIONS: frozenset[str] = wordset(
    """mr mrs ms dr prof sen rep gov gen lt col maj sgt capt cmdr adm st jr sr inc ltd co
    corp vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e
    pres rev hon atty supt dept est mt ft ave blvd a.m p.m d.c
    sens reps govs gens lts cols sgts capts messrs mmes rep.-elect
    calif ariz colo conn fla okla tenn penn wis wyo minn mich neb nev"""
)
# Abbreviations only before a number ("No. 1", "Fig. 3"); "He said no." ends a sentence.
NUMBER_ABBREVIATIONS: frozenset[str] = wordset("no nos fig vol art")

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")  # "don't", "O’Brien" stay one token
_SPACE = re.compile(r"\s+")
_CLOSERS = "\"'”’»)]"
# A sentence ends at . ! ? or … (then optional closing quotes/brackets) followed by space
# and an optional opening quote/bracket before a capital or a digit; a newline always ends one.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[`]*[A-Z0-9])|\n+")
_STRIP = "\"'“”‘’«»()[]`.!?…"


def tokens(text: str) -> list[str]:
    """Word tokens with their original case; an inner apostrophe stays inside the word."""
    return _TOKEN.findall(text or "")


def words(text: str) -> list[str]:
    """Lower-cased words: runs of letters and digits (punctuation and ``_`` split them)."""
    return _WORD.findall((text or "").lower())


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """The dictionary form of a lower-cased English word ("ruled", "rules" -> "rule",
    "said" -> "say", "people" stays): simplemma's lemma, the unit words are compared by."""
    import simplemma  # its English table loads on first use (about 0.5 s)

    return simplemma.lemmatize(word, lang="en").lower()


def content_stems(text: str, limit: int | None = None, min_len: int = 1) -> list[str]:
    """Stems of the content words of ``text`` in order: stop words and words shorter than
    ``min_len`` dropped; at most the first ``limit`` words are read."""
    ws = words(text)
    if limit is not None:
        ws = ws[:limit]
    return [stem(w) for w in ws if len(w) >= min_len and w not in STOPWORDS]


def _ends_sentence(text: str, at: int) -> bool:
    """Whether the full stop (or ! ? …) just before ``at`` ends a sentence."""
    before = text[max(0, at - 24) : at].rsplit(None, 1)
    last = before[-1].strip(_STRIP).lower() if before else ""
    if last in NUMBER_ABBREVIATIONS:
        nxt = text[at : at + 8].lstrip(_CLOSERS + " ")
        return not nxt[:1].isdigit()
    return not (last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of ``text``, whitespace-trimmed.

    Sentences never cross a newline; an abbreviation ("Sen.", "U.S.") or an initial
    ("John F. Kennedy") does not end one; closing quotes stay with their sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text or ""):
        if "\n" not in m.group() and not _ends_sentence(text, m.start()):
            continue
        end = m.start()
        while end < m.end() and text[end] in _CLOSERS:
            end += 1
        _add(text, spans, start, end)
        start = m.end()
    _add(text or "", spans, start, len(text or ""))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of prose, white space folded to single spaces (newlines included)."""
    flat = _SPACE.sub(" ", text or "").strip()
    return [flat[a:b] for a, b in sentence_spans(flat)]


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))

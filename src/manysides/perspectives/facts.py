"""Shared facts and discrepancies across outlets.

A **fact** is a group of sentences from different outlets that say the same thing:
sentences are linked when their TF-IDF cosine (stemmed content words) is at least
``fact_similarity``; a connected group carried by outlets of at least two sides
(left/center/right) is a fact. When fewer than two sides are rated in the whole story,
two different outlets suffice. The fact's text is the group's most central sentence that
reads as a complete, self-contained claim (``clean.is_clean``: no fragment, quotation
continuation, caption, conjunction or pronoun start; datelines already stripped); a group
without one is no fact. Facts carried by more sides come first, then those stating
checkable details (numbers, dates, names), then those with more outlets.

A **discrepancy** is a number, date or name that matching sentences report differently:
"12 people were killed" vs "15 people were killed" (numbers keyed by the word that
follows them), "on Monday" vs "on Tuesday" (weekdays, months), or two different
capitalised names after the same word ("Gov. Smith" vs "Gov. Jones").
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..config import PerspectivesConfig
from ..nlp.text import STOPWORDS, stem, tokens, wordset
from .clean import checkable, is_clean
from .coverage import outlet_name, side_of
from .records import Discrepancy, Fact, StoryArticle
from .similarity import Unit, cosine_matrix, sentence_units

MAX_FACTS = 8
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "twenty": 20,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}
_SCALE = {
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_DATE_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december yesterday today"""
)
_NUM = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


def _components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _matches(units: Sequence[Unit], sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i < j) of sentences from different articles at least ``threshold`` similar."""
    if not units:
        return []
    art_of = np.array([u.article for u in units])
    mask = np.triu(sim >= threshold, 1) & (art_of[:, None] != art_of[None, :])
    return [(int(i), int(j)) for i, j in np.argwhere(mask)]


def facts(
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    units: Sequence[Unit] | None = None,
    sim: np.ndarray | None = None,
) -> list[Fact]:
    """Claims carried by outlets of at least two sides (see the module docstring)."""
    units = list(units) if units is not None else sentence_units(articles)
    if sim is None:
        sim = cosine_matrix(units)
    rated_sides = {side_of(a.leaning) for a in articles} - {None}
    found: list[Fact] = []
    for group in _components(len(units), _matches(units, sim, config.fact_similarity)):
        arts = [articles[units[i].article] for i in group]
        outlets = sorted({outlet_name(a) for a in arts})
        sides = sorted({s for a in arts if (s := side_of(a.leaning))})
        enough = len(sides) >= 2 if len(rated_sides) >= 2 else len(outlets) >= 2
        if not enough:
            continue
        sub = sim[np.ix_(group, group)]
        by_centrality = [group[int(k)] for k in np.argsort(-sub.sum(axis=1), kind="stable")]
        best = next(
            (i for i in by_centrality if is_clean(units[i].text) and not units[i].unattributed),
            None,
        )
        if best is None:
            continue  # only fragments: nothing a reader could take as a claim
        found.append(Fact(units[best].text, sorted({a.id for a in arts}), outlets, sides))
    found.sort(key=lambda f: (-len(f.sides), checkable(f.text) == 0, -len(f.outlets), f.text))
    return found[:MAX_FACTS]


def _number_value(toks: list[str], i: int) -> tuple[float, int] | None:
    """The number starting at token i and how many tokens it spans."""
    t = toks[i].lower()
    if _NUM.match(t):
        value = float(t.replace(",", ""))
    elif t in _NUMBER_WORDS:
        value = float(_NUMBER_WORDS[t])
    else:
        return None
    span = 1
    if i + 1 < len(toks) and toks[i + 1].lower() in _SCALE:
        value *= _SCALE[toks[i + 1].lower()]
        span = 2
    return value, span


def _numbers(text: str) -> dict[str, tuple[str, str]]:
    """stem of the next content word -> (that word, the number as written)."""
    toks = tokens(text)
    out: dict[str, tuple[str, str]] = {}
    i = 0
    while i < len(toks):
        hit = _number_value(toks, i)
        if hit is None:
            i += 1
            continue
        value, span = hit
        nxt = [w.lower() for w in toks[i + span : i + span + 3] if w.lower() not in STOPWORDS]
        if nxt and not _NUM.match(nxt[0]) and nxt[0] not in _DATE_WORDS:
            written = " ".join(toks[i : i + span])
            out.setdefault(stem(nxt[0]), (nxt[0], f"{value:g}" if value < 1e6 else written))
        i += span
    return out


def _dates(text: str) -> set[str]:
    return {t for t in (w.lower() for w in tokens(text)) if t in _DATE_WORDS}


def _names(text: str) -> dict[str, str]:
    """preceding lower-case word -> capitalised name after it (not sentence-initial)."""
    toks = tokens(text)
    out: dict[str, str] = {}
    for i in range(1, len(toks)):
        prev, tok = toks[i - 1], toks[i]
        if tok[:1].isupper() and prev[:1].islower() and prev.lower() not in STOPWORDS:
            name = [tok]
            for nxt in toks[i + 1 : i + 3]:
                if not nxt[:1].isupper():
                    break
                name.append(nxt)
            out.setdefault(prev.lower(), " ".join(name))
    return out


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def _plain(name: str) -> str:
    text = name.casefold().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    return re.sub(r"[^\w]+", "", text)


def same_name(x: str, y: str) -> bool:
    """Two spellings of one name: case, apostrophes and punctuation ("Apple's", "Apple’s"),
    an abbreviation ("Dems", "Democrats": the letters of one, in order, in the other, same
    first letter) or a transliteration ("Qaeda", "Qaida": nearly the same letters)."""
    a, b = _plain(x), _plain(y)
    if not a or not b or a == b:
        return True
    short, long = sorted((a, b), key=len)
    if short[0] == long[0] and len(short) >= 3:
        rest = iter(long)
        if all(ch in rest for ch in short):
            return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def discrepancies(
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    units: Sequence[Unit] | None = None,
    sim: np.ndarray | None = None,
) -> list[Discrepancy]:
    """Numbers, dates and names that matching sentences of different outlets disagree on."""
    units = list(units) if units is not None else sentence_units(articles)
    if sim is None:
        sim = cosine_matrix(units)
    found: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    outlets = {outlet_name(a) for a in articles}
    labels: dict[str, str] = {}
    for i, j in _matches(units, sim, config.fact_similarity):
        a, b = units[i], units[j]
        oa, ob = outlet_name(articles[a.article]), outlet_name(articles[b.article])
        if oa == ob:
            continue
        na, nb = _numbers(a.text), _numbers(b.text)
        for key in na.keys() & nb.keys():
            (word, x), (_, y) = na[key], nb[key]
            if x != y:
                ctx = labels.setdefault(key, word)  # the first surface form names the stem
                found[("number", ctx)][x].add(oa)
                found[("number", ctx)][y].add(ob)
        for kind_words in (_WEEKDAYS, _MONTHS):  # "monday" against "december" is no conflict
            da, db = _dates(a.text) & kind_words, _dates(b.text) & kind_words
            if da and db and da.isdisjoint(db):
                found[("date", "when")][", ".join(sorted(da))].add(oa)
                found[("date", "when")][", ".join(sorted(db))].add(ob)
        ma, mb = _names(a.text), _names(b.text)
        for ctx in ma.keys() & mb.keys():
            x, y = ma[ctx], mb[ctx]
            # "..., CNN has learned" vs "..., Fox News has learned": outlets naming
            # themselves do not disagree about the news.
            if x in outlets or y in outlets:
                continue
            if x != y and x not in b.text and y not in a.text and not same_name(x, y):
                found[("name", ctx)][x].add(oa)
                found[("name", ctx)][y].add(ob)
    return [
        Discrepancy(kind, ctx, {v: sorted(o) for v, o in sorted(values.items())})
        for (kind, ctx), values in sorted(found.items())
        if len(values) >= 2
    ]

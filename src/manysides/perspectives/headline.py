"""The story's headline: the least loaded, most informative of its outlets' headlines.

Every news headline of the story (opinion and analysis only when there is no news) gets a
score, and the highest wins; ties go to the earliest article. The outlets' own headlines stay
beside their articles in every output.

    score = 2.0 * shared            share of the headline's names (capitalised words after the
                                    first) that other outlets' articles also mention
          - 0.1 * loaded            bias-lexicon words per 100 tokens (``lexicon.py``)
          - 1.0 * side_terms        words or phrases that distinguish the left or the right
                                    in this story's framing (e.g. "illegal immigrants")
          - 0.15 * length_off       words short of 6 or beyond 14
          - 1.0 per "?" or "!",  0.5 per quoted phrase or all-capitals word,
            0.7 per first- or second-person word ("I", "we", "you", "my", "our", "your")

``headline_score`` returns the parts, so the choice can be explained and measured
(``benchmarks/bench_headlines.py``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..nlp.text import STOPWORDS, tokens
from .lexicon import loaded_language
from .records import ArticleRef, SideFraming, StoryArticle

MIN_WORDS, MAX_WORDS = 6, 14
_PERSONAL = frozenset("i we you my our your us me".split())
_QUOTED = re.compile(r"[\"“”‘’']\w[^\"“”‘’]*?\w[\"“”‘’']")


@dataclass(frozen=True)
class HeadlineScore:
    title: str
    article_id: int
    shared: float
    loaded: float
    side_terms: int
    length_off: int
    marks: float

    @property
    def total(self) -> float:
        return (
            2.0 * self.shared
            - 0.1 * self.loaded
            - 1.0 * self.side_terms
            - 0.15 * self.length_off
            - self.marks
        )


def _names(title: str) -> list[str]:
    words = tokens(title)
    return [w for w in words[1:] if w[:1].isupper() and w.lower() not in STOPWORDS and len(w) > 1]


def _side_terms(framing: dict[str, SideFraming]) -> set[str]:
    return {
        t.lower() for side, f in framing.items() if side in ("left", "right") for t, _z in f.terms
    }


def headline_score(
    ref: ArticleRef,
    others: Sequence[StoryArticle],
    side_terms: Collection[str],
    lexicon: Collection[str] | None,
) -> HeadlineScore:
    title = " ".join(ref.title.split())
    words = tokens(title)
    names = _names(title)
    texts = [f"{a.title} {a.text}".lower() for a in others if a.id != ref.id]
    if names and texts:
        shared = sum(sum(1 for t in texts if n.lower() in t) / len(texts) for n in names) / len(
            names
        )
    else:
        shared = 0.0
    lowered = " ".join(w.lower() for w in words)
    padded = f" {lowered} "
    side = sum(1 for term in side_terms if f" {term} " in padded)
    n = len(words)
    length_off = max(0, MIN_WORDS - n) + max(0, n - MAX_WORDS)
    marks = (
        title.count("?")
        + title.count("!")
        + 0.5 * len(_QUOTED.findall(title))
        + 0.5 * sum(1 for w in words if len(w) > 3 and w.isupper())
        + 0.7 * sum(1 for w in words if w.lower() in _PERSONAL)
    )
    return HeadlineScore(
        title=title,
        article_id=ref.id,
        shared=round(shared, 3),
        loaded=loaded_language(title, lexicon),
        side_terms=side,
        length_off=length_off,
        marks=round(marks, 2),
    )


def neutral_headline(
    refs: Sequence[ArticleRef],
    articles: Sequence[StoryArticle],
    framing: dict[str, SideFraming],
    lexicon: Collection[str] | None,
) -> HeadlineScore | None:
    """The best-scoring headline (module docstring), or None when no article has a title."""
    titled = [r for r in refs if r.title.strip()]
    pool = [r for r in titled if not r.kind] or titled
    if not pool:
        return None
    terms = _side_terms(framing)
    scored = [headline_score(r, articles, terms, lexicon) for r in pool]
    return max(scored, key=lambda s: (round(s.total, 6), -s.article_id))

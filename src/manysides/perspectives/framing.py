"""How each side frames a story: Fightin' Words terms, headlines, quotes, loaded language.

Distinguishing terms are unigrams and bigrams (lower-cased, no stop words) ranked by the
z-score of the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
Quinn 2008, "Fightin' Words"), one side's articles against all other rated articles of
the story. The prior is the story's own term distribution scaled to ``PRIOR_MASS``
pseudo-counts, so a term frequent everywhere in the story needs more evidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..config import PerspectivesConfig
from ..nlp.text import STOPWORDS, words
from ..records import LEANINGS
from .coverage import outlet_name, side_of
from .records import SIDES, ArticleRef, SideFraming, StoryArticle, StoryQuoteRef

PRIOR_MASS = 100.0
_PUNCT = re.compile(r"[.!?;:,()\[\]\"“”—–]+")


def terms(text: str) -> list[str]:
    """Unigrams and bigrams of content words (bigrams never cross punctuation)."""
    out: list[str] = []
    for segment in _PUNCT.split(text):
        ws = [w for w in words(segment) if len(w) > 1]
        out += [w for w in ws if w not in STOPWORDS and not w.isdigit()]
        out += [
            f"{a} {b}"
            for a, b in zip(ws, ws[1:], strict=False)
            if a not in STOPWORDS and b not in STOPWORDS and not (a.isdigit() or b.isdigit())
        ]
    return out


def _name_term(name: str) -> str:
    """An outlet name as one framing term ("The Washington Post" -> "washington post");
    names of more than two content words never form a term, so they yield none."""
    content = [w for w in words(name) if len(w) > 1 and w not in STOPWORDS]
    return " ".join(content) if len(content) <= 2 else ""


def fightin_words(
    target: Counter[str], rest: Counter[str], prior: Counter[str], prior_mass: float = PRIOR_MASS
) -> dict[str, float]:
    """z-scores of the log-odds ratio (target vs rest) with an informative Dirichlet prior."""
    n_t, n_r, n_p = sum(target.values()), sum(rest.values()), sum(prior.values())
    if not n_t or not n_r or not n_p:
        return {}
    a0 = prior_mass
    out = {}
    for w in target.keys() | rest.keys():
        a = a0 * prior.get(w, 0) / n_p
        if a <= 0:
            continue
        yt, yr = target.get(w, 0), rest.get(w, 0)
        lt = math.log((yt + a) / (n_t + a0 - yt - a))
        lr = math.log((yr + a) / (n_r + a0 - yr - a))
        out[w] = (lt - lr) / math.sqrt(1.0 / (yt + a) + 1.0 / (yr + a))
    return out


def _quotes_by_side(quotes: Iterable[StoryQuoteRef]) -> dict[str, list[str]]:
    """Quote texts carried only by outlets of one side."""
    out: dict[str, list[str]] = {s: [] for s in SIDES}
    for q in quotes:
        sides = {side_of(str(c.get("leaning", ""))) for c in q.carriers} - {None}
        if len(sides) == 1:
            out[sides.pop()].append(q.text)  # type: ignore[index]
    return out


def framing(
    articles: Sequence[StoryArticle],
    refs: Sequence[ArticleRef],
    quotes: Sequence[StoryQuoteRef],
    config: PerspectivesConfig,
) -> dict[str, SideFraming]:
    """Per side present in the story: terms, headlines, exclusive quotes, loaded language."""
    counts: dict[str, Counter[str]] = {s: Counter() for s in SIDES}
    by_side: dict[str, list[int]] = {s: [] for s in SIDES}
    for i, a in enumerate(articles):
        side = side_of(a.leaning)
        if side:
            counts[side].update(terms(f"{a.title}. {a.text}"))
            by_side[side].append(i)
    # An outlet's own name ("CNN reported", "Fox News has learned") says who wrote the
    # article, not how the side frames the story: those words never count as framing.
    own = {_name_term(outlet_name(a)) for a in articles} - {""}
    for c in counts.values():
        for t in [t for t in c if t in own]:
            del c[t]
    prior: Counter[str] = Counter()
    for c in counts.values():
        prior.update(c)
    quotes_of = _quotes_by_side(quotes)
    present = [s for s in SIDES if by_side[s]]
    out: dict[str, SideFraming] = {}
    for side in present:
        rest: Counter[str] = Counter()
        for other in present:
            if other != side:
                rest.update(counts[other])
        z = fightin_words(counts[side], rest, prior) if rest else {}
        top = sorted(
            ((t, round(v, 2)) for t, v in z.items() if v > 0 and counts[side][t] > 0),
            key=lambda tv: (-tv[1], -counts[side][tv[0]], -len(tv[0].split()), tv[0]),
        )[: config.framing_terms]
        heads = sorted(
            (refs[i] for i in by_side[side]),
            key=lambda r: (LEANINGS.index(r.leaning) if r.leaning in LEANINGS else 9, r.id),
        )
        scores = [refs[i].loaded_language for i in by_side[side]]
        out[side] = SideFraming(
            side=side,
            terms=top,
            headlines=list(heads),
            quotes=quotes_of[side],
            loaded_language=round(sum(scores) / len(scores), 2) if scores else 0.0,
        )
    return out

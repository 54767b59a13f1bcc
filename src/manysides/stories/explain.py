"""Why a story's articles are one story: what ties them together, and how well each fits.

``explain_story(members, ...)`` is a pure function over a story's member articles
(``StoryInput``s). It uses the clusterer's own features (``features.bags``: title and
body-opening terms, capitalised-name entities, as ``nlp.text`` tokenises and lemmatises
them) weighted like the clusterer weighs them, ``(1 + log tf) * idf``, with the idf the
caller passes (the pipeline passes the clusterer's running one, so the explanation speaks
the clusterer's language; without it every term weighs 1). Each member becomes one
L2-normalised vector over its terms and its entities; the story's centroid is their mean.

- ``entities`` and ``terms``: the names and terms found in at least two members, by their
  weight in the centroid (how heavily and how widely the members use them), with the
  number of members that contain each (a word can be both: a capitalised "Earthquake"
  opening a headline is a name there and a term everywhere);
- ``members``: each member's ``similarity`` to the rest of the story, the cosine of its
  vector with the sum of the other members' vectors (None for a one-article story).

Deterministic: members are taken in id order (so every sum adds the same floats in the
same order), weights are rounded to 6 places and ties are broken by the term, so the same
members give the same explanation whatever order they come in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .features import bags
from .records import StoryInput

MAX_ENTITIES = 10  # shared names shown per story
MAX_TERMS = 12  # shared terms shown per story
_ENT = "e:"  # entity keys in a member's vector (an entity never collides with a term)
_PLACES = 6


@dataclass(frozen=True, slots=True)
class SharedTerm:
    """A term or name that several members share: its weight in the story's centroid
    and how many members contain it."""

    term: str
    weight: float
    members: int


@dataclass(frozen=True, slots=True)
class MemberFit:
    """One member article and its similarity to the rest of its story (0..1)."""

    id: int | str
    similarity: float | None


@dataclass(frozen=True, slots=True)
class StoryWhy:
    """The explanation of one story (see the module docstring)."""

    n_articles: int
    entities: tuple[SharedTerm, ...]
    terms: tuple[SharedTerm, ...]
    members: tuple[MemberFit, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StoryWhy:
        return cls(
            n_articles=int(d["n_articles"]),
            entities=tuple(SharedTerm(**e) for e in d["entities"]),
            terms=tuple(SharedTerm(**t) for t in d["terms"]),
            members=tuple(MemberFit(**m) for m in d["members"]),
        )


def _sort_key(item_id: int | str) -> tuple[int, int | str]:
    # ints before strings, each in their own order (ids of `cluster` lines may be either)
    return (0, item_id) if isinstance(item_id, int) else (1, item_id)


def _vector(
    terms: Counter[str], ents: Counter[str], idf: Callable[[str, bool], float]
) -> dict[str, float]:
    vec = {t: (1.0 + math.log(c)) * idf(t, False) for t, c in terms.items()}
    vec.update({_ENT + e: (1.0 + math.log(c)) * idf(e, True) for e, c in ents.items()})
    norm = math.sqrt(math.fsum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _flat_idf(_term: str, _entity: bool) -> float:
    return 1.0


def explain_story(
    members: Sequence[StoryInput],
    *,
    max_body_tokens: int,
    idf: Callable[[str, bool], float] | None = None,
    max_entities: int = MAX_ENTITIES,
    max_terms: int = MAX_TERMS,
) -> StoryWhy:
    """What ties ``members`` together and how well each fits (see the module docstring).

    ``idf(term, is_entity)`` weighs a term or an entity (lower-cased, as ``features``
    gives them); ``max_body_tokens`` is the clusterer's body opening.
    """
    ordered = sorted(members, key=lambda m: _sort_key(m.id))
    if len(ordered) < 2:
        fits = tuple(MemberFit(m.id, None) for m in ordered)
        return StoryWhy(len(ordered), (), (), fits)
    weigh = idf or _flat_idf
    vectors: list[dict[str, float]] = []
    for m in ordered:
        b = bags(m.title or "", m.text or "", max_body_tokens)
        vectors.append(_vector(b.body, b.entities, weigh))
    # Summed in member (id) order: the same members always give the same floats.
    sums: dict[str, float] = {}
    present: Counter[str] = Counter()
    for vec in vectors:
        present.update(vec.keys())
        for k, v in vec.items():
            sums[k] = sums.get(k, 0.0) + v
    n = len(vectors)
    shared = [k for k, c in present.items() if c >= 2]
    ranked = sorted(shared, key=lambda k: (-round(sums[k] / n, _PLACES), k))

    def share(k: str, name: str) -> SharedTerm:
        return SharedTerm(name, round(sums[k] / n, _PLACES), present[k])

    entities = [share(k, k[len(_ENT) :]) for k in ranked if k.startswith(_ENT)][:max_entities]
    terms = [share(k, k) for k in ranked if not k.startswith(_ENT)][:max_terms]
    return StoryWhy(n, tuple(entities), tuple(terms), _fits(ordered, vectors, sums))


def _fits(
    ordered: Sequence[StoryInput], vectors: list[dict[str, float]], sums: dict[str, float]
) -> tuple[MemberFit, ...]:
    """Each member's cosine with the sum of the others (the sum, not the mean: same cosine),
    from the story's total ``sums`` T: v.(T - v) = v.T - v.v and |T - v|^2 = T.T - 2 v.T +
    v.v, so the cost is the members' total size, not members times vocabulary."""
    tt = math.fsum(v * v for v in sums.values())
    fits: list[MemberFit] = []
    for m, vec in zip(ordered, vectors, strict=True):
        if not vec:
            fits.append(MemberFit(m.id, 0.0))  # no terms at all: nothing ties it
            continue
        vt = math.fsum(v * sums[k] for k, v in vec.items())
        vv = math.fsum(v * v for v in vec.values())
        norm2 = tt - 2.0 * vt + vv
        cos = (vt - vv) / math.sqrt(norm2) if norm2 > 1e-12 else 0.0
        fits.append(MemberFit(m.id, round(min(1.0, max(0.0, cos)), _PLACES)))
    return tuple(fits)

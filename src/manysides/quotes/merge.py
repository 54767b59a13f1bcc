"""The same quote reported by several outlets of one story becomes one ``StoryQuote``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..nlp.text import words
from .records import FRAGMENT_JOIN, Fragment, Quote, StoryQuote

MIN_OVERLAP = 0.8  # share of the shorter quote's words found in the longer one
MIN_UNION = 0.5  # share of all words the two quotes have in common
COMPARED_WORDINGS = 3  # a new wording is compared with a group's first three


def quote_key(text: str) -> str:
    """Normalised text: case, punctuation and quotation marks removed, whitespace folded."""
    return " ".join(words(text))


def _tokens(text: str) -> set[str]:
    return set(words(text))


def same_quote(a: str, b: str) -> bool:
    """Whether two wordings report the same quote (same key or high word overlap)."""
    return quote_key(a) == quote_key(b) or _overlapping(_tokens(a), _tokens(b))


def _overlapping(ta: set[str], tb: set[str]) -> bool:
    """High word overlap between two wordings' token sets (needs at least 4 shared words)."""
    if min(len(ta), len(tb)) < 4:
        return False
    common = len(ta & tb)
    return common / min(len(ta), len(tb)) >= MIN_OVERLAP and common / len(ta | tb) >= MIN_UNION


@dataclass
class _Group:
    wordings: list[str] = field(default_factory=list)
    speakers: Counter[str] = field(default_factory=Counter)
    confidence: dict[str, float] = field(default_factory=dict)  # speaker -> best confidence
    cues: Counter[str] = field(default_factory=Counter)
    direct: bool = False
    carriers: list[dict[str, object]] = field(default_factory=list)
    article_ids: set[int] = field(default_factory=set)
    tokens: list[set[str]] = field(default_factory=list)  # of the first wordings compared
    index: int = 0  # position in creation order


StoryItem = tuple[int, str, str, Sequence[Quote]]


def quote_from_row(r: Mapping[str, Any]) -> Quote:
    """A ``Quote`` from a row of the store's quotes table (``fragments``: JSON offsets of a
    split quote's pieces, whose texts ``text`` joins)."""
    spans = json.loads(r["fragments"]) if r.get("fragments") else []
    text = str(r["text"])
    pieces = text.split(FRAGMENT_JOIN) if len(spans) > 1 else []
    fragments = (
        tuple(Fragment(p, int(a), int(b)) for p, (a, b) in zip(pieces, spans, strict=True))
        if len(pieces) == len(spans) > 1
        else ()
    )
    return Quote(
        text,
        int(r["start"]),
        int(r["end"]),
        r.get("speaker"),
        r.get("speaker_start"),
        r.get("speaker_end"),
        r.get("cue"),
        bool(r["direct"]),
        confidence=float(r.get("confidence") or 0.0),
        fragments=fragments,
    )


def merge_story_quotes(items: Sequence[StoryItem]) -> list[StoryQuote]:
    """Group the quotes of a story's articles; ``items`` are (article_id, outlet, leaning,
    quotes) records (the runner builds them from the store's rows). Groups come out in
    order of how many outlets carried them, then first seen."""
    groups: list[_Group] = []
    by_key: dict[str, _Group] = {}
    by_token: dict[str, set[int]] = {}  # word -> groups whose compared wordings contain it
    for article_id, outlet, leaning, quotes in items:
        for q in quotes:
            key = quote_key(q.text)
            if not key:
                continue
            tokens = _tokens(q.text)
            group = by_key.get(key) or _similar_group(tokens, groups, by_token)
            if group is None:
                group = _Group(index=len(groups))
                groups.append(group)
            by_key.setdefault(key, group)
            if len(group.tokens) < COMPARED_WORDINGS:
                group.tokens.append(tokens)
                for token in tokens:
                    by_token.setdefault(token, set()).add(group.index)
            group.wordings.append(q.text)
            if q.speaker:
                group.speakers[q.speaker] += 1
                best = group.confidence.get(q.speaker, 0.0)
                group.confidence[q.speaker] = max(best, q.confidence)
            if q.cue:
                group.cues[q.cue.lower()] += 1
            group.direct = group.direct or q.direct
            if article_id not in group.article_ids:
                group.article_ids.add(article_id)
                group.carriers.append(
                    {"article_id": article_id, "outlet": outlet, "leaning": leaning}
                )
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i].carriers), i))
    return [_story_quote(groups[i]) for i in order]


def _similar_group(
    tokens: set[str], groups: list[_Group], by_token: dict[str, set[int]]
) -> _Group | None:
    """The first group (in creation order) one of whose first wordings overlaps enough.

    Only groups sharing at least 4 words with the quote can qualify (``_overlapping``),
    so candidates come from the word index instead of a scan of every group.
    """
    if len(tokens) < 4:
        return None
    shared = Counter(i for t in tokens for i in by_token.get(t, ()))
    for i in sorted(i for i, n in shared.items() if n >= 4):
        if any(_overlapping(tokens, seen) for seen in groups[i].tokens):
            return groups[i]
    return None


def _story_quote(g: _Group) -> StoryQuote:
    wordings = Counter(g.wordings)
    text = max(wordings, key=lambda w: (wordings[w], len(w)))
    variants: list[str] = []
    seen_keys: set[str] = set()
    for w in g.wordings:
        k = quote_key(w)
        if k not in seen_keys:
            seen_keys.add(k)
            variants.append(w)
    speaker = None
    if g.speakers:
        speaker = max(g.speakers, key=lambda s: (g.speakers[s], len(s)))
    cue = g.cues.most_common(1)[0][0] if g.cues else None
    return StoryQuote(
        text=text,
        speaker=speaker,
        confidence=g.confidence.get(speaker, 0.0) if speaker else 0.0,
        cue=cue,
        direct=g.direct,
        carriers=g.carriers,
        wording_differs=len(seen_keys) > 1,
        variants=variants,
    )

"""Split quotes are one attribution: ``"A," she said, "B."`` -> one Quote, two fragments."""

from __future__ import annotations

from collections.abc import Sequence

from .records import FRAGMENT_JOIN, Quote

MAX_GAP = 150  # characters of attribution that may stand between two fragments


def joins(text: str, first: Quote, second: Quote) -> bool:
    """Whether ``second`` continues ``first`` around the attribution standing between
    them: same speaker mention and cue, the mention inside the gap, one paragraph."""
    if first.speaker_start is None or first.direct != second.direct:
        return False
    if (first.speaker_start, first.speaker_end, first.cue) != (
        second.speaker_start,
        second.speaker_end,
        second.cue,
    ):
        return False
    gap = text[first.end : second.start]
    return (
        first.end <= first.speaker_start < second.start and len(gap) <= MAX_GAP and "\n" not in gap
    )


def join_split_quotes(text: str, quotes: Sequence[Quote]) -> list[Quote]:
    """Merge consecutive fragments of one split quote; other quotes pass unchanged."""
    out: list[Quote] = []
    for q in sorted(quotes, key=lambda q: q.start):
        if out and joins(text, _last_fragment(out[-1]), q):
            prev = out.pop()
            fragments = (*prev.fragments, *q.fragments)
            out.append(
                Quote(
                    FRAGMENT_JOIN.join(f.text for f in fragments),
                    prev.start,
                    q.end,
                    prev.speaker,
                    prev.speaker_start,
                    prev.speaker_end,
                    prev.cue,
                    prev.direct,
                    confidence=max(prev.confidence, q.confidence),
                    basis=prev.basis,
                    fragments=fragments,
                )
            )
        else:
            out.append(q)
    return out


def _last_fragment(q: Quote) -> Quote:
    """``q`` as seen from its last fragment (its end is where the gap starts)."""
    last = q.fragments[-1]
    return Quote(
        last.text,
        last.start,
        last.end,
        q.speaker,
        q.speaker_start,
        q.speaker_end,
        q.cue,
        q.direct,
    )

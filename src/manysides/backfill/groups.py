"""Report groups across a whole archive: an LSH band join instead of one in-memory index.

``pipeline/ingest.py`` puts each new article into the report group of its exact copy
(same ``text_fingerprint``), else of its best verified near duplicate among the articles
already indexed (``dedupe.NearDuplicateIndex.find``). Over an archive the same rule runs
as a join:

1. ``band_rows``: every article emits one row per LSH band of its MinHash signature
   (``NearDuplicateIndex.band_keys``, the buckets ``find`` would look in) plus one for its
   fingerprint;
2. a group-by on the band key (Ray Data's ``groupby``, or the local engine's hash
   partitions on disk); ``group_pairs`` verifies the members of one group with
   ``NearDuplicateIndex.similarity`` and keeps, for each member, its best *earlier* match;
3. ``resolve`` takes each article's best earlier match over all its bands (an exact copy
   first, then the highest Jaccard, then the earliest) and follows the chain to the first
   article of the group, whose key names the report group.

"Earlier" is archive order (shard order of the manifest, then position in the shard),
the order ``manysides ingest`` would store the same files in. A band group bigger than
``MAX_COMPARE`` compares each member with its ``MAX_COMPARE`` earliest members only,
so one boilerplate text shared by a million pages cannot make the join quadratic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config import DedupeConfig
    from ..dedupe import NearDuplicateIndex

MAX_COMPARE = 64
EXACT = 2.0  # score of an exact (fingerprint) match: beats any Jaccard

# a pair: (later seq, earlier seq, score)
Pair = tuple[int, int, float]


def seq_of(rank: int, ordinal: int) -> int:
    """Archive order of a record: its shard's rank in the manifest, then its position."""
    return (rank << 32) | ordinal


@lru_cache(maxsize=2)
def _index(config: DedupeConfig) -> NearDuplicateIndex:
    from ..dedupe import NearDuplicateIndex

    return NearDuplicateIndex(config)


def _fingerprint_band(fingerprint: str) -> int:
    digest = hashlib.blake2b(b"fp:" + fingerprint.encode("ascii"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def band_rows(rows: Iterable[dict[str, Any]], config: DedupeConfig) -> list[dict[str, Any]]:
    """One row per (article, band): ``band``, ``seq``, ``exact``, ``signature``.

    ``rows`` carry ``seq``, ``signature`` and ``fingerprint``.
    """
    index = _index(config)
    out: list[dict[str, Any]] = []
    for row in rows:
        seq, signature = int(row["seq"]), row["signature"]
        if row.get("fingerprint"):
            band = _fingerprint_band(row["fingerprint"])
            out.append({"band": band, "seq": seq, "exact": True, "signature": b""})
        for band in index.band_keys(signature):
            out.append({"band": band, "seq": seq, "exact": False, "signature": signature})
    return out


def group_pairs(members: list[dict[str, Any]], config: DedupeConfig) -> list[Pair]:
    """Within one band group: each member's best verified earlier member."""
    if len(members) < 2:
        return []
    members = sorted(members, key=lambda m: m["seq"])
    first = members[0]
    if first["exact"]:  # a fingerprint group: every copy joins the first
        return [(int(m["seq"]), int(first["seq"]), EXACT) for m in members[1:]]
    index = _index(config)
    pairs: list[Pair] = []
    for i in range(1, len(members)):
        mine = members[i]
        best: tuple[float, int] | None = None
        for other in members[: min(i, MAX_COMPARE)]:
            score = index.similarity(mine["signature"], other["signature"])
            if score is not None and (best is None or score > best[0]):
                best = (score, int(other["seq"]))
        if best is not None:
            pairs.append((int(mine["seq"]), best[1], best[0]))
    return pairs


def resolve(pairs: Iterable[Pair]) -> dict[int, tuple[int, float]]:
    """``seq`` of every copy → (``seq`` of its report group's first article, match score).

    Articles that are no copy are absent (each is its own group).
    """
    best: dict[int, tuple[float, int]] = {}
    for later, earlier, score in pairs:
        found = best.get(later)
        if found is None or (score, -earlier) > (found[0], -found[1]):
            best[later] = (score, earlier)
    roots: dict[int, tuple[int, float]] = {}
    for later in sorted(best):
        score, earlier = best[later]
        root = roots[earlier][0] if earlier in roots else earlier
        roots[later] = (root, score)
    return roots

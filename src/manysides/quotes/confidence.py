"""How far to trust an attribution's speaker: a probability per attribution rule.

An attribution is made by one rule (``method``: the quote's own "..., she said" after
it, "She said: ..." before it, a continued quotation, a parsed "X said that ...") from
one kind of mention (``kind``: the name itself, a resolved pronoun, a title, ...). The
confidence is the share of such attributions whose speaker was right, measured on the
PolNeAR train split (``python -m benchmarks.bench_quotes --fit-confidence`` prints the
table below; dev stays held out for the calibration table in docs/benchmarks.md), with
rare rule/mention pairs shrunk towards their rule's overall rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# "<method>/<kind>" -> share of right speakers on PolNeAR train (right/matched in comments)
RATES: Mapping[str, float] = MappingProxyType(
    {
        "after/document": 0.992,  # 12/12
        "after/institution": 0.987,  # 4/4
        "after/name": 0.977,  # 1750/1791
        "after/pronoun": 0.994,  # 804/809
        "after/spokesperson": 0.986,  # 3/3
        "after/title": 0.896,  # 9/11
        "backfill/name": 0.024,  # 0/10
        "backfill/pronoun": 0.025,  # 0/9
        "before/name": 0.975,  # 118/121
        "before/pronoun": 0.981,  # 106/108
        "carried/document": 0.420,  # 0/1
        "carried/name": 0.507,  # 4/7
        "carried/pronoun": 0.432,  # 1/3
        "continued/name": 0.782,  # 38/48
        "continued/pronoun": 0.655,  # 9/15
        "headline/name": 0.994,  # 33/33
        "headline/spokesperson": 0.975,  # 1/1
        "parenthetical/name": 0.993,  # 31/31
        "parenthetical/pronoun": 0.973,  # 37/38
        "parse/document": 0.938,  # 4/4
        "parse/institution": 0.933,  # 3/3
        "parse/name": 0.932,  # 207/222
        "parse/pronoun": 0.865,  # 73/85
        "parse/spokesperson": 0.933,  # 3/3
        "parse/title": 0.938,  # 4/4
        "reported/document": 0.959,  # 34/35
        "reported/institution": 0.873,  # 45/52
        "reported/name": 0.917,  # 2180/2376
        "reported/pronoun": 0.906,  # 687/758
        "reported/spokesperson": 0.972,  # 54/55
        "reported/title": 0.880,  # 19/22
        "sentence/name": 0.662,  # 56/85
        "sentence/pronoun": 0.812,  # 11/12
        "subject/name": 0.742,  # 48/65
        "subject/pronoun": 0.875,  # 9/9
    }
)
METHOD_RATES: Mapping[str, float] = MappingProxyType(
    {
        "after": 0.981,  # 2582/2630
        "backfill": 0.048,  # 0/19
        "before": 0.974,  # 224/229
        "carried": 0.462,  # 5/11
        "continued": 0.738,  # 47/63
        "headline": 0.972,  # 34/34
        "parenthetical": 0.972,  # 68/69
        "parse": 0.913,  # 294/321
        "reported": 0.915,  # 3019/3298
        "sentence": 0.687,  # 67/97
        "subject": 0.763,  # 57/74
    }
)
DEFAULT_RATE = 0.5  # a rule the table has not seen


def confidence(method: str, kind: str) -> float:
    """Estimated probability that a speaker found by ``method`` from a ``kind`` mention is
    right; 0 for an unresolved mention (no speaker)."""
    if kind == "unresolved":
        return 0.0
    basis = f"{method}/{kind}"
    if basis in RATES:
        return RATES[basis]
    return METHOD_RATES.get(method, DEFAULT_RATE)

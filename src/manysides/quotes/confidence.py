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
        "after/document": 0.993,  # 16/16
        "after/institution": 0.987,  # 4/4
        "after/name": 0.978,  # 1795/1836
        "after/pronoun": 0.994,  # 826/831
        "after/spokesperson": 0.986,  # 3/3
        "after/title": 0.909,  # 12/14
        "before/document": 0.975,  # 1/1
        "before/name": 0.977,  # 131/134
        "before/pronoun": 0.981,  # 108/110
        "before/spokesperson": 0.902,  # 2/3
        "before/title": 0.975,  # 1/1
        "carried/name": 0.588,  # 4/7
        "carried/pronoun": 0.636,  # 1/1
        "continued/name": 0.908,  # 43/47
        "continued/pronoun": 0.830,  # 12/15
        "headline/name": 0.994,  # 33/33
        "headline/spokesperson": 0.975,  # 1/1
        "parenthetical/name": 0.993,  # 31/31
        "parenthetical/pronoun": 0.973,  # 37/38
        "parse/document": 0.938,  # 4/4
        "parse/institution": 0.927,  # 2/2
        "parse/name": 0.930,  # 203/218
        "parse/pronoun": 0.866,  # 74/86
        "parse/spokesperson": 0.942,  # 5/5
        "parse/title": 0.933,  # 3/3
        "reported/document": 0.961,  # 36/37
        "reported/institution": 0.873,  # 45/52
        "reported/name": 0.918,  # 2165/2358
        "reported/pronoun": 0.906,  # 685/756
        "reported/spokesperson": 0.979,  # 75/76
        "reported/title": 0.846,  # 23/28
        "sentence/name": 0.662,  # 56/85
        "sentence/pronoun": 0.822,  # 12/13
        "subject/name": 0.742,  # 48/65
        "subject/pronoun": 0.875,  # 9/9
    }
)
METHOD_RATES: Mapping[str, float] = MappingProxyType(
    {
        "after": 0.982,  # 2656/2704
        "before": 0.972,  # 243/249
        "carried": 0.600,  # 5/8
        "continued": 0.875,  # 55/62
        "headline": 0.972,  # 34/34
        "parenthetical": 0.972,  # 68/69
        "parse": 0.912,  # 291/318
        "reported": 0.916,  # 3029/3307
        "sentence": 0.690,  # 68/98
        "subject": 0.763,  # 57/74
    }
)
DEFAULT_RATE = 0.5  # a rule the table has not seen
# A surname two people of the article share ("Floyd"): PolNeAR scores the mention, not
# which of them it is, so no rate can be fitted; kept below the front page's threshold.
AMBIGUOUS_SURNAME_RATE = 0.5


def confidence(method: str, kind: str) -> float:
    """Estimated probability that a speaker found by ``method`` from a ``kind`` mention is
    right; 0 for an unresolved mention (no speaker)."""
    if kind == "unresolved":
        return 0.0
    if kind == "surname":
        return AMBIGUOUS_SURNAME_RATE
    basis = f"{method}/{kind}"
    if basis in RATES:
        return RATES[basis]
    return METHOD_RATES.get(method, DEFAULT_RATE)

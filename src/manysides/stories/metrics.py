"""B-cubed precision, recall and F1 of a clustering against gold labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def bcubed(
    predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]
) -> tuple[float, float, float]:
    """Per-item B-cubed precision and recall averaged over the gold items, and their F1.

    Items missing from ``predicted`` count as singletons.
    """
    if not gold:
        return 0.0, 0.0, 0.0
    pred = {i: predicted.get(i, ("__singleton__", i)) for i in gold}
    pair = Counter((pred[i], gold[i]) for i in gold)
    pred_size = Counter(pred.values())
    gold_size = Counter(gold.values())
    p = r = 0.0
    for i in gold:
        both = pair[(pred[i], gold[i])]
        p += both / pred_size[pred[i]]
        r += both / gold_size[gold[i]]
    n = len(gold)
    p, r = p / n, r / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1

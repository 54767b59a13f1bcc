"""Scoring against PolNeAR-style attribution annotations (brat standoff).

A gold attribution is a ``Content`` span (possibly discontinuous: split quotes) linked by
an ``E`` line to its ``Source`` and ``Cue``. A predicted quote matches a gold content when
their character sets overlap by at least half their union; matching is one-to-one,
greedy by overlap. A predicted split quote (several fragments) is scored as one
attribution, the union of its fragments, as the annotation does; "direct" predictions are
those the system marks direct.
Speaker accuracy counts matched quotes whose speaker mention overlaps the gold ``Source``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .marks import QUOTE_CHARS
from .records import Quote


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]

    @property
    def chars(self) -> set[int]:
        return {i for s, e in self.content for i in range(s, e)}


@dataclass(slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def is_direct_text(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and (stripped[0] in QUOTE_CHARS or stripped[-1] in QUOTE_CHARS)


def read_polnear(folder: Path, limit: int | None = None) -> list[GoldArticle]:
    """Articles of a PolNeAR split, one annotator each (the first by file name)."""
    out: list[GoldArticle] = []
    seen: set[str] = set()
    for ann in sorted((folder / "attributions").glob("*.ann")):
        base = ann.stem.rsplit("_", 1)[0]
        if base in seen:
            continue
        seen.add(base)
        text = (folder / "text" / f"{base}.txt").read_text(encoding="utf-8")
        out.append(GoldArticle(base, text, _read_ann(ann)))
        if limit is not None and len(out) >= limit:
            break
    return out


def _read_ann(path: Path) -> list[GoldAttribution]:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and " " in parts[1]:
            label, rest = parts[1].split(" ", 1)
            # in text order: brat lists a discontinuous span's pieces in any order
            frags = tuple(
                sorted((int(a), int(b)) for a, b in (frag.split() for frag in rest.split(";")))
            )
            spans[parts[0]] = (label, frags)
        elif line.startswith("E") and len(parts) >= 2:
            links.append(dict(kv.split(":", 1) for kv in parts[1].split() if ":" in kv))
    out: list[GoldAttribution] = []
    for link in links:
        content = spans.get(link.get("Content", ""))
        if content is None:
            continue
        source = spans.get(link.get("Source", ""), ("", ()))[1]
        out.append(GoldAttribution(content[1], source))
    return out


@dataclass
class Score:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    speaker_ok: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.tp if self.tp else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "matched": self.tp,
            "predicted": self.n_pred,
            "gold": self.n_gold,
        }


@dataclass(frozen=True, slots=True)
class _Pred:
    chars: frozenset[int]
    speaker: tuple[int, int] | None
    direct: bool


def _preds(quotes: Sequence[Quote]) -> list[_Pred]:
    """One scored attribution per quote: a split quote's fragments together, as the
    annotation marks them (``"X," she said, "Y."`` is one Content of two pieces)."""
    return [
        _Pred(
            frozenset(i for f in q.fragments for i in range(f.start, f.end)),
            (q.speaker_start, q.speaker_end)
            if q.speaker_start is not None and q.speaker_end is not None
            else None,
            q.direct,
        )
        for q in quotes
    ]


def match(gold: Sequence[GoldAttribution], quotes: Sequence[Quote]) -> list[tuple[int, int, bool]]:
    """One-to-one matches (gold index, quote index, speaker right), greedy by overlap."""
    preds = _preds(quotes)
    gold_chars = [g.chars for g in gold]
    pairs: list[tuple[float, int, int]] = []
    for i, p in enumerate(preds):
        for j, g in enumerate(gold_chars):
            inter = len(p.chars & g)
            if inter:
                iou = inter / len(p.chars | g)
                if iou >= 0.5:
                    pairs.append((iou, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[int, int, bool]] = []
    for _iou, i, j in sorted(pairs, reverse=True):
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        sp = preds[i].speaker
        ok = sp is not None and any(s < sp[1] and sp[0] < e for s, e in gold[j].source)
        out.append((j, i, ok))
    return out


def direct_gold(article: GoldArticle) -> list[GoldAttribution]:
    """Gold attributions whose content begins or ends with a quotation mark."""
    text = article.text
    return [
        g for g in article.attributions if is_direct_text(text[g.content[0][0] : g.content[-1][1]])
    ]


def score(
    articles: Iterable[tuple[GoldArticle, Sequence[Quote]]], *, direct_only: bool = False
) -> Score:
    """Span precision/recall/F1 and speaker accuracy over articles; with ``direct_only``,
    gold contents in quotation marks against the quotes the system marks direct."""
    total = Score()
    for gold_article, quotes in articles:
        gold = list(gold_article.attributions)
        if direct_only:
            gold = direct_gold(gold_article)
            quotes = [q for q in quotes if q.direct]
        total.n_gold += len(gold)
        total.n_pred += len(quotes)
        for _j, _i, ok in match(gold, quotes):
            total.tp += 1
            total.speaker_ok += ok
    return total

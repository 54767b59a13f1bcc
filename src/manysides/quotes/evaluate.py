"""Scoring against PolNeAR-style attribution annotations (brat standoff).

A gold attribution is a ``Content`` span (possibly discontinuous: split quotes) linked by
an ``E`` line to its ``Source`` and ``Cue``. A predicted quote matches a gold content when
their character sets overlap by at least half their union; matching is one-to-one,
greedy by overlap. Predicted fragments of one split quote (same speaker mention, only the
attribution between them) are scored as one attribution, as the annotation does.
Speaker accuracy counts matched quotes whose speaker mention overlaps the gold ``Source``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
            frags = tuple((int(a), int(b)) for a, b in (frag.split() for frag in rest.split(";")))
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
    details: list[tuple[str, str]] = field(default_factory=list)

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
    text: str


def group_split_quotes(text: str, quotes: Sequence[Quote]) -> list[_Pred]:
    """Predicted attributions: consecutive fragments attributed to one speaker mention by
    one cue, close together (``"X," she said, "Y."``), are one attribution, as annotated."""
    out: list[_Pred] = []
    last: Quote | None = None
    for q in sorted(quotes, key=lambda q: q.start):
        chars = frozenset(range(q.start, q.end))
        speaker = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
        if (
            last is not None
            and out
            and speaker is not None
            and speaker == out[-1].speaker
            and q.cue == last.cue
            and last.end <= speaker[0] < q.start
            and q.start - last.end <= 150
        ):
            prev = out.pop()
            out.append(_Pred(prev.chars | chars, speaker, prev.text + " … " + q.text))
        else:
            out.append(_Pred(chars, speaker, q.text))
        last = q
    return out


def score(
    articles: Iterable[tuple[GoldArticle, Sequence[Quote]]], *, direct_only: bool = False
) -> Score:
    """Span precision/recall/F1 and speaker accuracy over articles."""
    total = Score()
    for gold_article, quotes in articles:
        text = gold_article.text
        gold = list(gold_article.attributions)
        preds = group_split_quotes(text, quotes)
        if direct_only:
            gold = [g for g in gold if is_direct_text(text[g.content[0][0] : g.content[-1][1]])]
            preds = [p for p in preds if is_direct_text(text[min(p.chars) : max(p.chars) + 1])]
        total.n_gold += len(gold)
        total.n_pred += len(preds)
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
        for _iou, i, j in sorted(pairs, reverse=True):
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            total.tp += 1
            sp = preds[i].speaker
            if sp is not None and any(s < sp[1] and sp[0] < e for s, e in gold[j].source):
                total.speaker_ok += 1
    return total

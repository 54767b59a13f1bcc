"""Online story clustering (Miranda et al. 2018, made incremental, with a learned scorer).

Each article becomes three L2-normalised TF-IDF vectors (title, title + body lead,
entities) weighted with *running* document frequencies kept in the state, so nothing is
ever refitted, plus (with ``stories.embeddings``) a WordLlama sentence embedding of title
and lead, its numbers and its names. A story keeps the (truncated) sums of its members'
vectors. A new article is compared with the stories that share one of its top terms (an
inverted index over the stories' top centroid terms, so the cost does not grow with the
archive): for each candidate the clusterer computes the pair features of
``scorer.FEATURES`` (cosines per view, names and numbers in common, time gap, story size)
and the learned scorer (``scorer.json``) turns them into the probability that the article
reports the story's event. At or above ``threshold`` it joins the most probable story,
otherwise it starts a new one; other candidates it also matches at ``merge_threshold`` are
merged into the kept story (the bigger one; on a tie the older one). ``consolidate``
(called after each batch) merges open stories that the scorer says report one event: the
newer into the older, so ids stay stable.

Time: stories not updated within ``window_days`` of the stream's clock close: they take no
more articles and leave the state at the next sweep (every 64 articles). Gaps are measured
less ``date_slack_hours``, so a day-only date (read as midnight) or a date a few hours off
does not fall out of its story's window. The clock is the publication time of the latest
dated article; it steps back for a late or backfilled article (so one bogus future date
cannot close every story, and a backfill of old articles clusters among itself while the
present's stories stay). An undated article counts as published at the clock; stories
begun before any dated article close when the first one arrives; ``max_open`` bounds
streams without dates.

Deterministic: the same inputs in the same order (and batches) give the same stories, and
``dumps``/``loads`` round-trips the state exactly, so a resumed run equals an
uninterrupted one.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from ..config import StoriesConfig
from .embeddings import Embedder, embedding_text, load_embedder
from .features import bags
from .records import Assignment, StoryInput
from .scorer import Model, Scorer, load_default

STATE_FORMAT = 2
_DAY = 86400.0
_HOUR = 3600.0
_ENT = "e:"  # prefix of entity keys in the shared document-frequency table
# two or more digits (``\d[\d,.]*\d`` already matches ``\d\d``: one branch, 3x faster)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\d")
_MAX_NUMBERS = 40
BATCH = 500  # articles per batch: consolidation runs after each (the stories step's batch)


def _timestamp(dt: datetime | None) -> float | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def _heaviest(vec: dict[str, float], k: int) -> list[tuple[float, str]]:
    """The ``k`` heaviest ``(weight, term)`` pairs, heaviest first (ties: the greater term).

    Sorting the swapped pairs compares them in C, without a key function: the same order
    as ``heapq.nlargest(k, vec.items(), key=lambda kv: (kv[1], kv[0]))``, several times
    cheaper on the small vectors here.
    """
    return sorted([(v, t) for t, v in vec.items()], reverse=True)[:k]


def _top(vec: dict[str, float], k: int) -> dict[str, float]:
    if len(vec) <= k:
        return vec
    return {t: v for v, t in _heaviest(vec, k)}


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(math.fsum([v * v for v in vec.values()]))


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # fsum is exactly rounded, so the (hash-seed dependent) set order cannot change it.
    return math.fsum([a[k] * b[k] for k in a.keys() & b.keys()])


def _add(into: dict[str, float], vec: dict[str, float]) -> None:
    for k, v in vec.items():
        into[k] = into.get(k, 0.0) + v


def _add_dense(into: np.ndarray | None, vec: np.ndarray | None) -> np.ndarray | None:
    if vec is None:
        return into
    if into is None:
        return vec.copy()
    return into + vec


def numbers(text: str) -> list[str]:
    """Numbers of two or more digits (``1,200`` and ``1200`` are one number)."""
    return [m.group(0).replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)]


@dataclass
class _Story:
    """One open story: centroid sums per view, times and bookkeeping."""

    id: int
    size: int
    title: dict[str, float]
    body: dict[str, float]
    ents: dict[str, float]
    first: float | None
    last: float | None
    last_seq: int
    headline: str
    centrality: float = 0.0
    keys: tuple[str, ...] = ()
    emb: np.ndarray | None = None
    nums: dict[str, float] = field(default_factory=dict)
    norms: tuple[float, float, float, float] = field(default=(0.0, 0.0, 0.0, 0.0))

    def refresh_norms(self) -> None:
        emb = float(np.sqrt(self.emb @ self.emb)) if self.emb is not None else 0.0
        self.norms = (_norm(self.title), _norm(self.body), _norm(self.ents), emb)

    def to_json(self) -> list[object]:
        return [
            self.id,
            self.size,
            self.title,
            self.body,
            self.ents,
            self.first,
            self.last,
            self.last_seq,
            self.headline,
            self.centrality,
            list(self.keys),
            self.emb.tolist() if self.emb is not None else None,
            self.nums,
        ]

    @classmethod
    def from_json(cls, data: list) -> _Story:
        story = cls(
            id=data[0],
            size=data[1],
            title=data[2],
            body=data[3],
            ents=data[4],
            first=data[5],
            last=data[6],
            last_seq=data[7],
            headline=data[8],
            centrality=data[9],
            keys=tuple(data[10]),
            emb=np.array(data[11], dtype=np.float64) if data[11] is not None else None,
            nums=data[12],
        )
        story.refresh_norms()
        return story


@dataclass(frozen=True, slots=True)
class _Vectors:
    """One article (or, when consolidating, one story seen as an article), unit vectors."""

    title: dict[str, float]
    body: dict[str, float]
    ents: dict[str, float]
    keys: tuple[str, ...]
    emb: np.ndarray | None = None
    nums: frozenset[str] = frozenset()


def _unit(vec: dict[str, float], norm: float) -> dict[str, float]:
    return {k: v / norm for k, v in vec.items()} if norm else {}


class StoryClusterer:
    """Assign articles to stories one at a time (see the module docstring)."""

    def __init__(
        self,
        config: StoriesConfig,
        next_id: int = 1,
        *,
        embedder: Embedder | None = None,
        scorer: Scorer | None = None,
    ) -> None:
        self.config = config
        self.next_id = next_id
        if embedder is None and config.embeddings:
            embedder = load_embedder()
        #: the sentence embedder in use (None: sparse features only, e.g. not installed)
        self.embedder = embedder
        self.scorer = scorer or load_default()
        self.model: Model = self.scorer.model(embedder is not None)
        self.threshold = config.threshold if config.threshold is not None else self.model.threshold
        self.merge_threshold = (
            config.merge_threshold
            if config.merge_threshold is not None
            else self.model.merge_threshold
        )
        self.consolidate_threshold = (
            config.consolidate_threshold
            if config.consolidate_threshold is not None
            else self.model.consolidate_threshold
        )
        self._n_docs = 0
        self._df: dict[str, int] = {}
        self._stories: dict[int, _Story] = {}
        self._postings: dict[str, set[int]] = {}
        self._clock: float | None = None
        self._seq = 0
        self._dirty: set[int] = set()  # stories changed since the last consolidation

    # -- public API --------------------------------------------------------------------
    def add(self, item: StoryInput, embedding: Sequence[float] | None = None) -> Assignment:
        """Assign one article; returns its story, the stories it merged and its score.

        ``embedding``: the article's vector if already computed (``add_batch`` embeds a
        whole batch at once); otherwise the embedder (if any) is called.
        """
        self._seq += 1
        when = self._tick(item)
        vectors = self._vectorise(item, embedding)
        scored = self._score(vectors, when)
        if scored and scored[0][0] >= self.threshold:
            matched = [sid for score, sid in scored if score >= self.merge_threshold]
            best_score, best_id = scored[0]
            if best_id not in matched:
                matched.insert(0, best_id)
            keep = min(matched, key=lambda s: (-self._stories[s].size, s))
            absorbed = tuple(sorted(s for s in matched if s != keep))
            for sid in absorbed:
                self._merge(sid, keep)
            self._join(self._stories[keep], vectors, when, item.title, best_score)
            assignment = Assignment(keep, False, absorbed, round(best_score, 4))
        else:
            story = self._create(vectors, when, item.title)
            assignment = Assignment(story.id, True, (), None)
        if self._seq % 64 == 0:
            self._close_stale()
        return assignment

    def add_batch(self, items: Sequence[StoryInput]) -> list[Assignment]:
        """``add`` each item in order, embedding the whole batch in one call."""
        vectors: Sequence[Sequence[float] | None] = [None] * len(items)
        many = getattr(self.embedder, "embed_many", None)
        if many is not None and items:
            vectors = many([embedding_text(i.title or "", i.text or "") for i in items])
        return [self.add(item, vec) for item, vec in zip(items, vectors, strict=True)]

    def consolidate(self) -> list[tuple[int, int]]:
        """Merge open stories that report one event; returns ``(absorbed, into)`` pairs.

        Each story changed since the last call is scored, as if it were one article,
        against the open stories it shares index terms with; at or above
        ``consolidate_threshold`` the newer story is merged into the older one (ids stay
        stable). Deterministic: stories are visited in id order.
        """
        if not self.config.consolidate:
            self._dirty.clear()
            return []
        merges: list[tuple[int, int]] = []
        todo = sorted(self._dirty)
        self._dirty.clear()
        for sid in todo:
            story = self._stories.get(sid)
            if story is None:
                continue
            when = story.last
            scored = [
                (score, other)
                for score, other in self._score(self._story_vectors(story), when, story)
                if other != sid
            ]
            if not scored or scored[0][0] < self.consolidate_threshold:
                continue
            other = scored[0][1]
            into, absorbed = min(sid, other), max(sid, other)
            self._merge(absorbed, into)
            merges.append((absorbed, into))
        self._dirty.clear()
        return merges

    def headline(self, story_id: int) -> str | None:
        """Title of the story's most central article so far (None once closed)."""
        story = self._stories.get(story_id)
        return story.headline if story else None

    @property
    def open_stories(self) -> int:
        return len(self._stories)

    def idf(self, term: str, entity: bool = False) -> float:
        """The running inverse document frequency of a term (or an entity) as the next
        article would be weighed with it (read-only; ``stories.explain`` uses it)."""
        df = self._df.get(_ENT + term if entity else term, 0)
        return math.log((self._n_docs + 1) / (df + 1)) + 1.0

    def dumps(self) -> bytes:
        """The exact state as compact bytes (read-only: saving never changes the outcome).

        Stale stories are dropped every 64 articles, so the state holds only open stories
        plus those that closed since the last sweep.
        """
        data = {
            "format": STATE_FORMAT,
            "next_id": self.next_id,
            "n_docs": self._n_docs,
            "df": self._df,
            "clock": self._clock,
            "seq": self._seq,
            "stories": [s.to_json() for s in self._stories.values()],
            "dirty": sorted(self._dirty),
        }
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def loads(
        cls,
        data: bytes,
        config: StoriesConfig,
        *,
        embedder: Embedder | None = None,
        scorer: Scorer | None = None,
    ) -> StoryClusterer:
        """Rebuild a clusterer saved with ``dumps``."""
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        if raw.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported stories state format {raw.get('format')!r}")
        self = cls(config, next_id=int(raw["next_id"]), embedder=embedder, scorer=scorer)
        self._n_docs = int(raw["n_docs"])
        self._df = {k: int(v) for k, v in raw["df"].items()}
        self._clock = raw["clock"]
        self._seq = int(raw["seq"])
        for item in raw["stories"]:
            story = _Story.from_json(item)
            self._stories[story.id] = story
            for key in story.keys:
                self._postings.setdefault(key, set()).add(story.id)
        self._dirty = {int(s) for s in raw.get("dirty", ())}
        return self

    # -- features ----------------------------------------------------------------------
    def _tick(self, item: StoryInput) -> float | None:
        when = _timestamp(item.published)
        if when is None:
            return self._clock  # an undated article arrives "now" in stream time
        self._clock = when  # may step back: a late or backfilled article
        return when

    def _vectorise(self, item: StoryInput, embedding: Sequence[float] | None = None) -> _Vectors:
        cfg = self.config
        title_text, text = item.title or "", item.text or ""
        b = bags(title_text, text, cfg.max_body_tokens)
        ent_keys = {_ENT + e for e in b.entities}
        self._n_docs += 1
        df = self._df
        for key in set(b.title) | set(b.body) | ent_keys:
            df[key] = df.get(key, 0) + 1
        if len(df) > cfg.max_vocabulary:
            self._prune_vocabulary()
        n = self._n_docs + 1
        log = math.log
        # title terms are body terms too: each term's idf is computed once
        idf = {t: log(n / (df.get(t, 0) + 1)) + 1.0 for t in b.body}

        def weigh(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
            vec = {t: (1.0 + log(c)) * idf[t] if c > 1 else idf[t] for t, c in counts.items()}
            return _unit(vec, _norm(vec))

        ent_idf = {t: log(n / (df.get(_ENT + t, 0) + 1)) + 1.0 for t in b.entities}
        title, body, ents = weigh(b.title, idf), weigh(b.body, idf), weigh(b.entities, ent_idf)
        body = _top(body, cfg.centroid_terms)
        emb: np.ndarray | None = None
        if embedding is None and self.embedder is not None:
            embedding = self.embedder.embed(embedding_text(title_text, text))
        if embedding is not None:
            emb = np.asarray(embedding, dtype=np.float64)
        lead = text[: cfg.max_body_tokens * 8]
        nums = frozenset(numbers(f"{title_text} {lead}")[:_MAX_NUMBERS])
        return _Vectors(title, body, ents, self._keys(title, body, ents), emb, nums)

    def _story_vectors(self, story: _Story) -> _Vectors:
        nt, nb, ne, nm = story.norms
        emb = story.emb / nm if story.emb is not None and nm else None
        return _Vectors(
            _unit(story.title, nt),
            _unit(story.body, nb),
            _unit(story.ents, ne),
            story.keys,
            emb,
            frozenset(story.nums),
        )

    def _keys(
        self, title: dict[str, float], body: dict[str, float], ents: dict[str, float]
    ) -> tuple[str, ...]:
        """Index keys: the heaviest title, entity and body terms."""
        k = self.config.index_terms
        keys: dict[str, None] = {}
        for vec, prefix, n in ((title, "", k // 3), (ents, _ENT, k // 3), (body, "", k)):
            for _, t in _heaviest(vec, n):
                keys[prefix + t] = None
                if len(keys) >= k:
                    break
        return tuple(keys)

    def _prune_vocabulary(self) -> None:
        """Bound the document-frequency table: forget terms seen only once."""
        self._df = {k: v for k, v in self._df.items() if v > 1}

    # -- matching ----------------------------------------------------------------------
    def _candidates(
        self, vec: _Vectors, when: float | None, exclude: _Story | None = None
    ) -> list[_Story]:
        """Open stories in the time window sharing the most index terms with ``vec``."""
        cfg = self.config
        hits: Counter[int] = Counter()
        postings = self._postings
        for key in vec.keys:
            ids = postings.get(key)
            if ids:
                hits.update(ids)  # counted in C
        if exclude is not None:
            hits.pop(exclude.id, None)
        if not hits:
            return []
        # (count, id) pairs compare without a key function: most shared terms, then newest
        top = heapq.nlargest(cfg.max_candidates, [(c, sid) for sid, c in hits.items()])
        window = cfg.window_days * _DAY
        slack = cfg.date_slack_hours * _HOUR
        # Stories that went stale are closed even before the next sweep drops them.
        horizon = None if self._clock is None else self._clock - window - slack
        out: list[_Story] = []
        for _, sid in top:
            story = self._stories[sid]
            if horizon is not None and (story.last is None or story.last < horizon):
                continue
            if self._gap(story, when, exclude) > window:
                continue
            out.append(story)
        return out

    def _gap(self, story: _Story, when: float | None, other: _Story | None = None) -> float:
        """Seconds between ``when`` (or ``other``'s span) and ``story``'s span, less slack."""
        if story.last is None or story.first is None:
            return 0.0
        if other is not None and other.first is not None and other.last is not None:
            raw = max(0.0, other.first - story.last, story.first - other.last)
        elif when is not None:
            raw = max(0.0, when - story.last, story.first - when)
        else:
            return 0.0
        return max(0.0, raw - self.config.date_slack_hours * _HOUR)

    def _features(
        self, vec: _Vectors, stories: list[_Story], when: float | None, query: _Story | None
    ) -> tuple[list[_Story], list[list[float]]]:
        """The stories kept and the pair features of ``scorer.FEATURES`` against each.

        A cheap first pass (text and dense cosines) keeps the ``score_candidates`` closest
        stories; only those get the full features.
        """
        dense = [0.0] * len(stories)
        if vec.emb is not None:
            for i, s in enumerate(stories):
                nm = s.norms[3]
                if nm and s.emb is not None:
                    dense[i] = float(vec.emb @ s.emb) / nm
            order = sorted(range(len(stories)), key=lambda i: (-dense[i], stories[i].id))
            keep = order[: self.config.score_candidates]
            stories = [stories[i] for i in keep]
            dense = [dense[i] for i in keep]
        body = [(_dot(vec.body, s.body) / s.norms[1] if s.norms[1] else 0.0) for s in stories]
        if vec.emb is None:
            order = sorted(range(len(stories)), key=lambda i: (-body[i], stories[i].id))
            keep = order[: self.config.score_candidates]
            stories = [stories[i] for i in keep]
            body = [body[i] for i in keep]
            dense = [0.0] * len(stories)
        best_body = max(body, default=0.0)
        best_dense = max(dense, default=0.0)
        second_body = sorted(body)[-2] if len(body) > 1 else 0.0
        second_dense = sorted(dense)[-2] if len(dense) > 1 else 0.0
        vents = vec.ents
        total = math.fsum([v * v for v in vents.values()])
        has_time = query.last is not None if query is not None else when is not None
        rows = []
        for story, b, d in zip(stories, body, dense, strict=True):
            nt, nb, ne, _ = story.norms
            title = _dot(vec.title, story.title) / nt if nt else 0.0
            title_body = _dot(vec.title, story.body) / nb if nb else 0.0
            sents = story.ents
            shared = vents.keys() & sents.keys()
            # fsum is exactly rounded: the same sums as _dot, without a second intersection
            ents = math.fsum([vents[k] * sents[k] for k in shared]) / ne if ne else 0.0
            cover = math.fsum([vents[k] ** 2 for k in shared]) / total if total else 0.0
            shared_nums = len(vec.nums.intersection(story.nums))
            dated = gap = 0.0
            if has_time and story.last is not None:
                dated = 1.0
                gap = self._gap(story, when, query) / _HOUR
            rows.append(
                [
                    title,
                    b,
                    ents,
                    title_body,
                    d,
                    cover,
                    math.log1p(len(shared)),
                    math.log1p(shared_nums),
                    math.log1p(gap),
                    dated,
                    math.log1p(story.size),
                    d * b,
                    d * ents,
                    b - (second_body if b == best_body else best_body),
                    d - (second_dense if d == best_dense else best_dense),
                ]
            )
        return stories, rows

    def _score(
        self, vec: _Vectors, when: float | None, query: _Story | None = None
    ) -> list[tuple[float, int]]:
        """Candidate stories with the scorer's probability, best first."""
        stories = self._candidates(vec, when, query)
        if not stories:
            return []
        stories, rows = self._features(vec, stories, when, query)
        probs = self.model.probabilities(rows)
        out = [(p, s.id) for p, s in zip(probs, stories, strict=True)]
        out.sort(key=lambda x: (-x[0], x[1]))
        return out

    # -- story updates -----------------------------------------------------------------
    def _create(self, vec: _Vectors, when: float | None, title: str) -> _Story:
        story = _Story(
            id=self.next_id,
            size=1,
            title=dict(vec.title),
            body=dict(vec.body),
            ents=dict(vec.ents),
            first=when,
            last=when,
            last_seq=self._seq,
            headline=title,
            emb=vec.emb.copy() if vec.emb is not None else None,
            nums=dict.fromkeys(sorted(vec.nums), 1.0),
        )
        self.next_id += 1
        story.refresh_norms()
        self._stories[story.id] = story
        self._reindex(story)
        self._dirty.add(story.id)
        return story

    def _join(
        self, story: _Story, vec: _Vectors, when: float | None, title: str, score: float
    ) -> None:
        story.size += 1
        _add(story.title, vec.title)
        _add(story.body, vec.body)
        _add(story.ents, vec.ents)
        _add(story.nums, dict.fromkeys(vec.nums, 1.0))
        story.emb = _add_dense(story.emb, vec.emb)
        if when is not None:
            story.first = when if story.first is None else min(story.first, when)
            story.last = when if story.last is None else max(story.last, when)
        story.last_seq = self._seq
        if score > story.centrality and title:
            story.centrality, story.headline = score, title
        self._truncate(story)

    def _merge(self, absorbed_id: int, into_id: int) -> None:
        gone = self._stories.pop(absorbed_id)
        self._unindex(gone)
        self._dirty.discard(absorbed_id)
        story = self._stories[into_id]
        story.size += gone.size
        _add(story.title, gone.title)
        _add(story.body, gone.body)
        _add(story.ents, gone.ents)
        _add(story.nums, gone.nums)
        story.emb = _add_dense(story.emb, gone.emb)
        times = [t for t in (story.first, story.last, gone.first, gone.last) if t is not None]
        if times:
            story.first, story.last = min(times), max(times)
        story.last_seq = max(story.last_seq, gone.last_seq)
        if gone.centrality > story.centrality:
            story.centrality, story.headline = gone.centrality, gone.headline
        self._truncate(story)

    def _truncate(self, story: _Story) -> None:
        k = self.config.centroid_terms
        story.title = _top(story.title, k)
        story.body = _top(story.body, k)
        story.ents = _top(story.ents, k)
        story.nums = _top(story.nums, _MAX_NUMBERS)
        story.refresh_norms()
        self._reindex(story)
        self._dirty.add(story.id)

    def _reindex(self, story: _Story) -> None:
        keys = self._keys(story.title, story.body, story.ents)
        if keys == story.keys:
            return
        self._unindex(story)
        story.keys = keys
        for key in keys:
            self._postings.setdefault(key, set()).add(story.id)

    def _unindex(self, story: _Story) -> None:
        for key in story.keys:
            ids = self._postings.get(key)
            if ids is not None:
                ids.discard(story.id)
                if not ids:
                    del self._postings[key]

    def _close_stale(self) -> None:
        """Drop stories outside the time window, and the oldest beyond ``max_open``."""
        cfg = self.config
        stale: list[int] = []
        if self._clock is not None:
            horizon = self._clock - cfg.window_days * _DAY - cfg.date_slack_hours * _HOUR
            # Stories started before the stream had a clock (undated) close once it has one.
            stale = [s.id for s in self._stories.values() if s.last is None or s.last < horizon]
        for sid in stale:
            self._unindex(self._stories.pop(sid))
            self._dirty.discard(sid)
        excess = len(self._stories) - cfg.max_open
        if excess > 0:
            oldest = heapq.nsmallest(
                excess, self._stories.values(), key=lambda s: (s.last_seq, s.id)
            )
            for story in oldest:
                self._unindex(self._stories.pop(story.id))
                self._dirty.discard(story.id)


def cluster_all(
    clusterer: StoryClusterer, items: Iterable[StoryInput], batch: int = BATCH
) -> tuple[list[Assignment], dict[int, int]]:
    """Feed ``items`` in batches of ``batch`` (consolidating after each); returns every
    item's assignment and the merges (absorbed story -> story it went into).

    ``resolve(story, merges)`` gives an assignment's final story.
    """
    out: list[Assignment] = []
    merges: dict[int, int] = {}
    chunk: list[StoryInput] = []

    def flush() -> None:
        for got in clusterer.add_batch(chunk):
            out.append(got)
            for absorbed in got.merged:
                merges[absorbed] = got.story_id
        for absorbed, into in clusterer.consolidate():
            merges[absorbed] = into
        chunk.clear()

    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return out, merges


def resolve(story: int, merges: dict[int, int]) -> int:
    """The story that ``story`` ended up in after ``merges``."""
    while story in merges:
        story = merges[story]
    return story

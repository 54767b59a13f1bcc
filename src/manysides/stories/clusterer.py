"""Online story clustering (Miranda et al. 2018, simplified and made incremental).

Each article becomes three L2-normalised TF-IDF vectors (title, body opening, entities)
weighted with *running* document frequencies kept in the state, so nothing is ever
refitted. A story keeps the (truncated) sum of its articles' vectors per view. A new
article is compared with the stories that share one of its top terms (an inverted index
over the stories' top centroid terms, so the cost does not grow with the archive); its
similarity to a story is a weighted mean of the three cosines. Above ``threshold`` it
joins the best story, otherwise it starts a new one. Other candidate stories that it
also matches above ``merge_threshold`` are merged into the kept story (the bigger one;
on a tie the older one). Stories not updated within ``window_days`` of the stream's
clock close: they take no more articles and leave the state at the next sweep (every 64
articles). The clock is the publication time of the latest dated article; it steps back
for a late or backfilled article (so one bogus future date cannot close every story, and
a backfill of old articles clusters among itself while the present's stories stay). An undated article
counts as published at the clock; stories begun before any dated article close when the
first one arrives; ``max_open`` bounds streams without dates.

Deterministic: the same inputs in the same order give the same stories, and
``dumps``/``loads`` round-trips the state exactly, so a resumed run equals an
uninterrupted one.
"""

from __future__ import annotations

import heapq
import json
import math
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..config import StoriesConfig
from .embeddings import Embedder, embedding_text, load_embedder
from .features import bags
from .records import Assignment, StoryInput

STATE_FORMAT = 1
_DAY = 86400.0
_ENT = "e:"  # prefix of entity keys in the shared document-frequency table


def _timestamp(dt: datetime | None) -> float | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def _top(vec: dict[str, float], k: int) -> dict[str, float]:
    if len(vec) <= k:
        return vec
    best = heapq.nlargest(k, vec.items(), key=lambda kv: (kv[1], kv[0]))
    return dict(best)


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # fsum is exactly rounded, so the (hash-seed dependent) set order cannot change it.
    return math.fsum([a[k] * b[k] for k in a.keys() & b.keys()])


def _add(into: dict[str, float], vec: dict[str, float]) -> None:
    for k, v in vec.items():
        into[k] = into.get(k, 0.0) + v


def _add_dense(into: list[float] | None, vec: list[float] | None) -> list[float] | None:
    if vec is None:
        return into
    if into is None:
        return list(vec)
    return [a + b for a, b in zip(into, vec, strict=True)]


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
    emb: list[float] | None = None
    norms: tuple[float, float, float, float] = field(default=(0.0, 0.0, 0.0, 0.0))

    def refresh_norms(self) -> None:
        emb = math.sqrt(sum(x * x for x in self.emb)) if self.emb else 0.0
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
            self.emb,
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
            emb=data[11],
        )
        story.refresh_norms()
        return story


@dataclass(frozen=True, slots=True)
class _Vectors:
    title: dict[str, float]
    body: dict[str, float]
    ents: dict[str, float]
    keys: tuple[str, ...]
    emb: list[float] | None = None


class StoryClusterer:
    """Assign articles to stories one at a time (see the module docstring)."""

    def __init__(
        self, config: StoriesConfig, next_id: int = 1, *, embedder: Embedder | None = None
    ) -> None:
        self.config = config
        self.next_id = next_id
        if embedder is None and config.embeddings:
            embedder = load_embedder()
        #: the sentence embedder in use (None: TF-IDF only, e.g. packages not installed)
        self.embedder = embedder
        self._n_docs = 0
        self._df: dict[str, int] = {}
        self._stories: dict[int, _Story] = {}
        self._postings: dict[str, set[int]] = {}
        self._clock: float | None = None
        self._seq = 0

    # -- public API --------------------------------------------------------------------
    def add(self, item: StoryInput) -> Assignment:
        """Assign one article; returns its story and the stories it merged."""
        self._seq += 1
        when = _timestamp(item.published)
        if when is None:
            when = self._clock  # an undated article arrives "now" in stream time
        else:
            self._clock = when  # may step back: a late or backfilled article
        vectors = self._vectorise(item)
        scored = self._score(vectors, when)
        cfg = self.config
        threshold = cfg.embedding_threshold if self.embedder is not None else cfg.threshold
        if scored and scored[0][0] >= threshold:
            matched = [sid for score, sid in scored if score >= cfg.merge_threshold]
            best_score, best_id = scored[0]
            if best_id not in matched:
                matched.insert(0, best_id)
            keep = min(matched, key=lambda s: (-self._stories[s].size, s))
            absorbed = tuple(sorted(s for s in matched if s != keep))
            for sid in absorbed:
                self._merge(sid, keep)
            self._join(self._stories[keep], vectors, when, item.title, best_score)
            assignment = Assignment(keep, False, absorbed)
        else:
            story = self._create(vectors, when, item.title)
            assignment = Assignment(story.id, True, ())
        if self._seq % 64 == 0:
            self._close_stale()
        return assignment

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
        }
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def loads(
        cls, data: bytes, config: StoriesConfig, *, embedder: Embedder | None = None
    ) -> StoryClusterer:
        """Rebuild a clusterer saved with ``dumps``."""
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        if raw.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported stories state format {raw.get('format')!r}")
        self = cls(config, next_id=int(raw["next_id"]), embedder=embedder)
        self._n_docs = int(raw["n_docs"])
        self._df = {k: int(v) for k, v in raw["df"].items()}
        self._clock = raw["clock"]
        self._seq = int(raw["seq"])
        for item in raw["stories"]:
            story = _Story.from_json(item)
            self._stories[story.id] = story
            for key in story.keys:
                self._postings.setdefault(key, set()).add(story.id)
        return self

    # -- features ----------------------------------------------------------------------
    def _vectorise(self, item: StoryInput) -> _Vectors:
        cfg = self.config
        b = bags(item.title or "", item.text or "", cfg.max_body_tokens)
        ent_keys = {_ENT + e for e in b.entities}
        self._n_docs += 1
        df = self._df
        for key in set(b.title) | set(b.body) | ent_keys:
            df[key] = df.get(key, 0) + 1
        if len(df) > cfg.max_vocabulary:
            self._prune_vocabulary()
        n = self._n_docs + 1

        def weigh(counts: Counter[str], prefix: str = "") -> dict[str, float]:
            vec = {
                t: (1.0 + math.log(c)) * (math.log(n / (df.get(prefix + t, 0) + 1)) + 1.0)
                for t, c in counts.items()
            }
            norm = _norm(vec)
            return {t: v / norm for t, v in vec.items()} if norm else {}

        title, body, ents = weigh(b.title), weigh(b.body), weigh(b.entities, _ENT)
        body = _top(body, cfg.centroid_terms)
        emb = None
        if self.embedder is not None:
            emb = list(self.embedder.embed(embedding_text(item.title or "", item.text or "")))
        return _Vectors(title, body, ents, self._keys(title, body, ents), emb)

    def _keys(
        self, title: dict[str, float], body: dict[str, float], ents: dict[str, float]
    ) -> tuple[str, ...]:
        """Index keys: the heaviest title, entity and body terms."""
        k = self.config.index_terms
        keys: dict[str, None] = {}
        for vec, prefix, n in ((title, "", k // 3), (ents, _ENT, k // 3), (body, "", k)):
            for t, _ in heapq.nlargest(n, vec.items(), key=lambda kv: (kv[1], kv[0])):
                keys[prefix + t] = None
                if len(keys) >= k:
                    break
        return tuple(keys)

    def _prune_vocabulary(self) -> None:
        """Bound the document-frequency table: forget terms seen only once."""
        self._df = {k: v for k, v in self._df.items() if v > 1}

    # -- matching ----------------------------------------------------------------------
    def _score(self, vec: _Vectors, when: float | None) -> list[tuple[float, int]]:
        """Candidate stories with their similarity, best first."""
        cfg = self.config
        hits: Counter[int] = Counter()
        for key in vec.keys:
            for sid in self._postings.get(key, ()):
                hits[sid] += 1
        if not hits:
            return []
        candidates = heapq.nlargest(cfg.max_candidates, hits.items(), key=lambda kv: (kv[1], kv[0]))
        window = cfg.window_days * _DAY
        # Stories that went stale are closed even before the next sweep drops them.
        horizon = None if self._clock is None else self._clock - window
        wt, wb, we = cfg.title_weight, cfg.body_weight, cfg.entity_weight
        wm = cfg.embedding_weight if vec.emb is not None else 0.0
        total = wt + wb + we + wm or 1.0
        out: list[tuple[float, int]] = []
        for sid, _ in candidates:
            story = self._stories[sid]
            if horizon is not None and (story.last is None or story.last < horizon):
                continue
            if when is not None and story.last is not None and story.first is not None:
                gap = max(0.0, when - story.last, story.first - when)
                if gap > window:
                    continue
            nt, nb, ne, nm = story.norms
            score = (
                wt * (_dot(vec.title, story.title) / nt if nt else 0.0)
                + wb * (_dot(vec.body, story.body) / nb if nb else 0.0)
                + we * (_dot(vec.ents, story.ents) / ne if ne else 0.0)
            )
            if wm and nm and story.emb is not None and vec.emb is not None:
                score += wm * sum(a * b for a, b in zip(vec.emb, story.emb, strict=True)) / nm
            score /= total
            out.append((score, sid))
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
            emb=list(vec.emb) if vec.emb is not None else None,
        )
        self.next_id += 1
        story.refresh_norms()
        self._stories[story.id] = story
        self._reindex(story)
        return story

    def _join(
        self, story: _Story, vec: _Vectors, when: float | None, title: str, score: float
    ) -> None:
        story.size += 1
        _add(story.title, vec.title)
        _add(story.body, vec.body)
        _add(story.ents, vec.ents)
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
        story = self._stories[into_id]
        story.size += gone.size
        _add(story.title, gone.title)
        _add(story.body, gone.body)
        _add(story.ents, gone.ents)
        story.emb = _add_dense(story.emb, gone.emb)
        times = [t for t in (story.first, story.last, gone.first, gone.last) if t is not None]
        if times:
            story.first, story.last = min(times), max(times)
        story.last_seq = max(story.last_seq, gone.last_seq)
        self._truncate(story)

    def _truncate(self, story: _Story) -> None:
        k = self.config.centroid_terms
        story.title = _top(story.title, k)
        story.body = _top(story.body, k)
        story.ents = _top(story.ents, k)
        story.refresh_norms()
        self._reindex(story)

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
            horizon = self._clock - cfg.window_days * _DAY
            # Stories started before the stream had a clock (undated) close once it has one.
            stale = [s.id for s in self._stories.values() if s.last is None or s.last < horizon]
        for sid in stale:
            self._unindex(self._stories.pop(sid))
        excess = len(self._stories) - cfg.max_open
        if excess > 0:
            oldest = heapq.nsmallest(
                excess, self._stories.values(), key=lambda s: (s.last_seq, s.id)
            )
            for story in oldest:
                self._unindex(self._stories.pop(story.id))

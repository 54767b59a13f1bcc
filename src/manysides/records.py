"""Typed records that flow between pipeline stages.

Stages are functions over these records; they never see the store or the CLI. Stage
packages define their own output records (``stories.Assignment``, ``quotes.Quote``,
``perspectives.Perspective``, ``briefing.Briefing``); the ones here are shared by
several stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Leaning = Literal["left", "lean-left", "center", "lean-right", "right", "unrated"]
LEANINGS: tuple[Leaning, ...] = ("left", "lean-left", "center", "lean-right", "right", "unrated")
Ownership = Literal["private", "public-broadcaster", "state-funded", "nonprofit", "unknown"]
DocKind = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet from the catalog."""

    id: str  # slug, e.g. "bbc-news"
    name: str
    domains: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    country: str = ""
    ownership: Ownership = "unknown"
    leaning: Leaning = "unrated"
    leaning_provenance: str = ""
    kind: str = ""  # wire, public-broadcaster, newspaper, magazine, digital, tv
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of an RSS/Atom feed or a news sitemap."""

    url: str
    guid: str = ""
    title: str = ""
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What the fetcher got for one URL (body already size-limited and decoded to bytes)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    content_type: str = ""
    charset: str | None = None
    fetched_at: datetime | None = None
    not_modified: bool = False

    def text(self) -> str:
        """Body decoded with the detected charset (replacement on errors)."""
        return self.content.decode(self.charset or "utf-8", errors="replace")


@dataclass(slots=True)
class RawDocument:
    """A fetched or ingested document before extraction.

    ``kind`` says whether ``content`` is HTML or already-extracted plain text. ``hints``
    carries metadata from the feed entry or input record (title, date, source, authors)
    that extraction may use when the page itself lacks it.
    """

    url: str
    content: bytes
    kind: DocKind = "html"
    final_url: str = ""
    status: int = 200
    content_type: str = ""
    charset: str | None = None
    fetched_at: datetime | None = None
    origin: str = ""  # feed URL, file path, WARC record id
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """Clean article produced by extraction; the unit every later stage works on."""

    url: str
    title: str
    text: str
    canonical_url: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    site: str = ""  # outlet name as the page states it
    source_id: str | None = None  # catalog source, matched by domain
    language: str = ""
    id: int | None = None  # store id once persisted
    document_id: int | None = None

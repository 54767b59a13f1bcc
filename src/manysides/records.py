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

# Caps on stored fields (documented in docs/configuration.md, "Limits"): longer titles,
# author names and hint values are cut; a longer URL is not used (a document gets its
# synthetic URL, an article its page URL).
MAX_TITLE_CHARS = 500
MAX_AUTHOR_CHARS = 200
MAX_AUTHORS = 20
MAX_URL_CHARS = 2048
MAX_HINT_CHARS = 2048
MAX_META_CHARS = 80  # a page's declared type and section (og:type, article:section)


def record_id(value: object, name: str = "'id'") -> str | int:
    """A JSON Lines record's id: a non-empty string or an integer (not a boolean), as given.

    Every JSON Lines command (``extract``, ``cluster``, ``summarize``, ``quotes``) reads
    ids through this, so they all accept ``"a1"`` and ``7`` alike.
    """
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ValueError(f"missing or invalid {name} (a string or an integer)")
    return value


def cap(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters (at a space when one is near)."""
    if len(value) <= limit:
        return value
    cut = value[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip()


def cap_authors(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """At most ``MAX_AUTHORS`` names of at most ``MAX_AUTHOR_CHARS`` characters each."""
    kept = (cap(n.strip(), MAX_AUTHOR_CHARS) for n in names if n and n.strip())
    return tuple(dict.fromkeys(kept))[:MAX_AUTHORS]


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
    language: str = ""  # the language it publishes in (BCP 47, "en", "zh-Hant"); "": unknown
    categories: tuple[str, ...] = ()  # topic/region categories of its feeds ("USA | Texas")
    owner: str = ""  # who owns it, as the ownership provenance says
    ownership_type: str = ""  # the maintained list's own typology ("State Funded Media")
    ownership_provenance: str = ""
    # (url, where it comes from) for every feed and sitemap; (url, why) for feeds marked dead
    feed_provenance: tuple[tuple[str, str], ...] = ()
    dead_feeds: tuple[tuple[str, str], ...] = ()

    def live_feeds(self) -> tuple[str, ...]:
        """Its feeds that are not marked dead."""
        dead = {url for url, _ in self.dead_feeds}
        return tuple(u for u in self.feeds if u not in dead)

    def live_sitemaps(self) -> tuple[str, ...]:
        dead = {url for url, _ in self.dead_feeds}
        return tuple(u for u in self.sitemaps if u not in dead)


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
    redirects: tuple[tuple[int, str], ...] = ()  # (status, where to) per redirect followed

    def text(self) -> str:
        """Body decoded with the detected charset (replacement on errors)."""
        from .fetch.charset import decode

        return decode(self.content, self.charset)


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
    page_type: str = ""  # og:type or schema.org NewsArticle subtype ("OpinionNewsArticle")
    page_section: str = ""  # article:section as the page declares it ("Opinion")
    id: int | None = None  # store id once persisted
    document_id: int | None = None

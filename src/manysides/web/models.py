"""Typed shapes of the JSON API's list, search and outlet documents (for OpenAPI).

Briefings and story perspectives are large nested documents described in
``docs/briefing-schema.md``; they are returned as stored.
"""

from __future__ import annotations

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    """The body of a 404 (and 503): what was not found, in words."""

    detail: str


class BriefingSummary(BaseModel):
    date: str
    created_at: str
    n_stories: int
    headlines: list[str]


class StorySummary(BaseModel):
    id: int
    headline: str
    n_articles: int
    n_outlets: int
    last_updated: str


class ArticleHit(BaseModel):
    id: int
    title: str
    url: str
    published: str | None = None
    source_id: str | None = None
    site: str = ""
    story_id: int | None = None
    snippet: str | None = None


class SearchResults(BaseModel):
    query: str
    limit: int
    offset: int
    stories: list[StorySummary]
    articles: list[ArticleHit]


class OutletArticle(BaseModel):
    id: int
    title: str
    url: str
    published: str | None = None
    story_id: int | None = None


class Outlet(BaseModel):
    id: str
    name: str
    leaning: str
    leaning_provenance: str = ""
    ownership: str = "unknown"
    kind: str = ""
    country: str = ""
    domains: list[str] = []
    language: str = ""
    categories: list[str] = []
    owner: str = ""  # who owns it, from the maintained list (docs/sources.md)
    ownership_type: str = ""
    stories: list[StorySummary]
    articles: list[OutletArticle]

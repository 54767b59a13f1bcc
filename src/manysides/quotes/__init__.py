"""Who said what: named entities and attributed quotes, verbatim, merged across outlets.

Public API::

    analyze(text, config, nlp=None) -> ArticleQuotes(entities, quotes)
    analyze_many(texts, config) -> Iterator[ArticleQuotes]
    merge_story_quotes([(article_id, outlet, leaning, quotes), ...]) -> list[StoryQuote]
    merge_entities([entities of article 1, ...]) -> list[Entity]
"""

from __future__ import annotations

from .analyzer import QuoteAnalyzer, analyze, analyze_many, load_nlp
from .entities import merge_entities
from .merge import merge_story_quotes, quote_key
from .records import ArticleQuotes, Entity, Quote, StoryQuote

__all__ = [
    "ArticleQuotes",
    "Entity",
    "Quote",
    "QuoteAnalyzer",
    "StoryQuote",
    "analyze",
    "analyze_many",
    "load_nlp",
    "merge_entities",
    "merge_story_quotes",
    "quote_key",
]

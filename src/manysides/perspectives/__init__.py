"""Perspectives: coverage, shared facts, framing by side, and a neutral cited summary.

Public API (pure functions over records; no store, no CLI)::

    analyze_story(bundle, config, chat=None) -> Perspective
    summarize(articles, config, lexicon=None, notes=None, chat=None) -> Summary

``chat`` (``llm.Chat``) is how the optional LLM summary reaches its endpoint; the caller
builds it (``fetch.chat.ChatClient``), so nothing here opens a connection.
    coverage(articles, config) -> Coverage
    facts(articles, config) -> list[Fact];  discrepancies(articles, config) -> list[Discrepancy]
    framing(articles, refs, quotes, config) -> dict[side, SideFraming]
    loaded_language(text, lexicon) -> float;  load_lexicon(path) -> Lexicon
    classify_section(headline, articles) -> str
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..config import PerspectivesConfig
from ..errors import ManysidesError
from ..nlp.text import words
from .clean import strip_embeds
from .coverage import article_refs, coverage
from .facts import discrepancies, facts
from .framing import framing
from .headline import neutral_headline
from .lexicon import Lexicon, load_lexicon, loaded_language
from .opinion import story_kinds
from .records import (
    Perspective,
    StoryArticle,
    StoryBundle,
    StoryQuoteRef,
    Summary,
    SummarySentence,
)
from .section import classify_section
from .similarity import Unit, cosine_matrix, sentence_units
from .summary import extractive_summary

if TYPE_CHECKING:
    import numpy as np

    from .llm import Chat

REPEAT_OVERLAP = 0.7  # word overlap (Jaccard) at which a key fact repeats the summary

__all__ = [
    "Lexicon",
    "Perspective",
    "StoryArticle",
    "StoryBundle",
    "StoryQuoteRef",
    "Summary",
    "analyze_story",
    "classify_section",
    "coverage",
    "discrepancies",
    "facts",
    "framing",
    "load_lexicon",
    "loaded_language",
    "summarize",
]


def summarize(
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    lexicon: Collection[str] | None = None,
    notes: list[str] | None = None,
    chat: Chat | None = None,
    *,
    units: Sequence[Unit] | None = None,
    sim: np.ndarray | None = None,
) -> Summary:
    """The neutral summary: LLM when ``config.llm.enabled`` and a ``chat`` client is given
    (checked, with an extractive fallback on failure), otherwise extractive. ``lexicon``
    defaults to the configured one; ``units`` and ``sim`` are the articles' sentence units
    and their similarities when the caller has them (see ``extractive_summary``)."""
    if lexicon is None:
        lexicon = load_lexicon(config.lexicon_path)
    if config.llm.enabled and chat is None:
        if notes is not None:
            notes.append("LLM summary unavailable, extractive used: no chat client given")
    elif config.llm.enabled and chat is not None:
        from .llm import llm_summary

        try:
            return llm_summary(articles, config, chat, notes)
        except ManysidesError as exc:
            if notes is not None:
                notes.append(f"LLM summary unavailable, extractive used: {exc.message}")
    return extractive_summary(articles, config, lexicon, units=units, sim=sim)


def repeats(text: str, sentences: Sequence[SummarySentence]) -> bool:
    """True when a key fact says what a summary sentence already says (same words)."""
    mine = set(words(text.lower()))
    for s in sentences:
        theirs = set(words(s.text.lower()))
        if mine and theirs and len(mine & theirs) / len(mine | theirs) >= REPEAT_OVERLAP:
            return True
    return False


def analyze_story(
    bundle: StoryBundle, config: PerspectivesConfig, chat: Chat | None = None
) -> Perspective:
    """Everything the briefing shows about one story."""
    lexicon = load_lexicon(config.lexicon_path)
    notes: list[str] = [lexicon.note] if lexicon.note else []
    articles = [a for a in bundle.articles if (a.text or a.title).strip()]
    if len(articles) < len(bundle.articles):
        notes.append(f"{len(bundle.articles) - len(articles)} empty article(s) ignored")
    kinds = story_kinds(bundle.articles)
    refs = article_refs(articles, lexicon, kinds)
    # Opinion and analysis never supply the neutral summary, key facts or discrepancies.
    # Embedded posts are the poster's claim, not reporting: never summary or fact material.
    news = [replace(a, text=strip_embeds(a.text)) for a in articles if not kinds[a.id].kind]
    if news:
        units = sentence_units(news)
        sim = cosine_matrix(units)
        summary = summarize(news, config, lexicon, notes, chat, units=units, sim=sim)
        shared = [
            f for f in facts(news, config, units, sim) if not repeats(f.text, summary.sentences)
        ]
        differ = discrepancies(news, config, units, sim)
    else:
        summary, shared, differ = Summary(text="", sentences=[]), [], []
        if articles:
            notes.append("only opinion or analysis pieces: no neutral summary")
    framings = framing(articles, refs, bundle.quotes, config)
    best = neutral_headline(refs, articles, framings, lexicon)
    return Perspective(
        story_id=bundle.story_id,
        headline=best.title if best else bundle.headline,
        section=classify_section(bundle.headline, articles),
        coverage=coverage(bundle.articles, config, kinds),
        summary=summary,
        facts=shared,
        discrepancies=differ,
        framing=framings,
        quotes=list(bundle.quotes),
        articles=refs,
        notes=notes,
    )

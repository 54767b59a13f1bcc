"""The default extractive summary: cited, non-redundant, budgeted, low-loaded."""

from __future__ import annotations

from dataclasses import replace

from perspectives_data import QUAKE

from manysides.config import PerspectivesConfig
from manysides.nlp.text import split_sentences
from manysides.perspectives import StoryArticle, summarize
from manysides.perspectives.summary import word_budget

NO_LEXICON = frozenset[str]()


def test_every_sentence_cites_existing_articles() -> None:
    s = summarize(QUAKE, PerspectivesConfig(), NO_LEXICON)
    ids = {a.id for a in QUAKE}
    assert s.method == "extractive" and s.sentences
    for sent in s.sentences:
        assert sent.articles and set(sent.articles) <= ids
        # the sentence is taken verbatim from the first article it cites... or another cited one
        assert any(sent.text in a.text for a in QUAKE if a.id in sent.articles)
    assert s.text == " ".join(x.text for x in s.sentences)


def test_near_identical_sentences_cite_all_carriers_and_appear_once() -> None:
    s = summarize(QUAKE, PerspectivesConfig(), NO_LEXICON)
    toll = [x for x in s.sentences if "earthquake killed" in x.text]
    assert len(toll) == 1, "12-vs-15 death toll sentences are near-duplicates: keep one"
    assert {1, 2, 3} <= set(toll[0].articles)


def test_loaded_sentence_is_avoided() -> None:
    lexicon = frozenset({"slam", "disgraceful", "incompetent"})
    cfg = PerspectivesConfig(summary_words=200, summary_ratio=5.0, summary_sentences=4)
    s = summarize(QUAKE, cfg, lexicon)
    assert all("disgraceful" not in x.text for x in s.sentences)


def test_budget_limits_length() -> None:
    cfg = PerspectivesConfig(summary_words=30, summary_sentences=5)
    assert word_budget(QUAKE, cfg) == 30  # capped by summary_words
    assert word_budget(QUAKE, replace(cfg, summary_ratio=0.01)) == 25  # the floor
    short = summarize(QUAKE, cfg, NO_LEXICON)
    longer = summarize(QUAKE, replace(cfg, summary_words=120, summary_ratio=5.0), NO_LEXICON)
    assert len(short.text.split()) < len(longer.text.split())
    assert len(short.text.split()) <= 30 * 1.5
    one = summarize(QUAKE, replace(cfg, summary_sentences=1), NO_LEXICON)
    assert len(one.sentences) == 1


def test_empty_and_single_article() -> None:
    assert summarize([], PerspectivesConfig(), NO_LEXICON).sentences == []
    solo = [StoryArticle(9, "Solo", "One outlet wrote this. It has two sentences in total.")]
    s = summarize(solo, PerspectivesConfig(), NO_LEXICON)
    assert s.sentences and all(x.articles == [9] for x in s.sentences)


def test_sentence_splitter_keeps_abbreviations() -> None:
    text = 'Sen. Bernie Sanders won in the U.S. state of Nevada. "We won," he said. Next came S.C.'
    assert split_sentences(text) == [
        "Sen. Bernie Sanders won in the U.S. state of Nevada.",
        '"We won," he said.',
        "Next came S.C.",
    ]

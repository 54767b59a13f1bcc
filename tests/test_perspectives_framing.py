"""Framing: Fightin' Words terms, headlines and quotes per side, loaded language, section."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from perspectives_data import QUAKE

from manysides.config import PerspectivesConfig
from manysides.perspectives import (
    Perspective,
    StoryArticle,
    StoryBundle,
    StoryQuoteRef,
    analyze_story,
    classify_section,
    framing,
    load_lexicon,
    loaded_language,
)
from manysides.perspectives.coverage import article_refs
from manysides.perspectives.framing import fightin_words
from manysides.perspectives.lexicon import OWN_LOADED_WORDS


def test_fightin_words_sign_and_scale() -> None:
    a = Counter({"tax": 20, "relief": 15, "budget": 10})
    b = Counter({"tax": 20, "giveaway": 15, "budget": 10})
    z = fightin_words(a, b, a + b)
    assert z["relief"] > 1.96 and z["giveaway"] < -1.96
    assert abs(z["tax"]) < 0.5 and abs(z["budget"]) < 0.5


def test_framing_per_side() -> None:
    quotes = [
        StoryQuoteRef(
            "a national tragedy",
            "Dina Boluarte",
            "called",
            True,
            [{"article_id": 1, "outlet": "Left Daily", "leaning": "left"}],
        ),
        StoryQuoteRef(
            "shallow",
            "Scientists",
            "said",
            False,
            [
                {"article_id": 4, "outlet": "Center News", "leaning": "center"},
                {"article_id": 2, "outlet": "Right Post", "leaning": "right"},
            ],
        ),
    ]
    lexicon = frozenset({"disgraceful", "incompetent", "slam", "tragedy"})
    refs = article_refs(QUAKE, lexicon)
    out = framing(QUAKE, refs, quotes, PerspectivesConfig(framing_terms=5))
    assert set(out) == {"left", "center", "right"}
    right_terms = [t for t, _ in out["right"].terms]
    assert len(right_terms) <= 5 and any("powerful" in t or "dead" in t for t in right_terms)
    assert all(z > 0 for _, z in out["right"].terms)
    assert [h.id for h in out["right"].headlines] == [3, 2]  # lean-right sorts before right
    assert out["left"].quotes == ["a national tragedy"]
    assert out["center"].quotes == [] and out["right"].quotes == []  # shared quote
    assert out["right"].loaded_language > out["center"].loaded_language


def test_loaded_language_lemmas_and_empty() -> None:
    lexicon = frozenset({"slam", "disgraceful", "accuse"})
    assert loaded_language("Critics slammed the disgraceful plan", lexicon) == 40.0
    assert loaded_language("He was accused.", lexicon) == 33.33
    assert loaded_language("Nothing loaded here at all", lexicon) == 0.0
    assert loaded_language("Critics slammed it", None) == 0.0
    assert loaded_language("", lexicon) == 0.0


def test_lexicon_file_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "lex.txt"
    path.write_text("slam\nDisgraceful\n\n")
    lex = load_lexicon(str(path), own=False)
    assert lex.words == frozenset({"slam", "disgraceful"}) and lex.note is None
    assert load_lexicon(str(path)).words == lex.words | OWN_LOADED_WORDS
    missing = load_lexicon(str(tmp_path / "nope.txt"), own=False)
    assert not missing and missing.note and "unreadable" in missing.note
    assert load_lexicon(str(tmp_path / "nope.txt")).words == OWN_LOADED_WORDS


def test_analyze_story_without_lexicon_notes_it(tmp_path: Path) -> None:
    cfg = PerspectivesConfig(lexicon_path=str(tmp_path / "absent.txt"))
    p = analyze_story(StoryBundle(7, "Peru quake", QUAKE), cfg)
    assert any("lexicon" in n for n in p.notes)
    # only the built-in list scores: "disgraceful" in Right Post's text
    scores = {a.outlet: a.loaded_language for a in p.articles}
    assert scores["Right Post"] > 0 and scores["Center News"] == 0.0
    assert p.section == "World" and p.coverage.n_articles == 4
    assert p.summary.sentences and p.facts and p.discrepancies
    # round trip through JSON, as the store keeps it
    again = Perspective.from_dict(json.loads(json.dumps(p.to_dict(), default=str)))
    assert again == p


def test_analyze_story_tolerates_empty_articles() -> None:
    arts = [StoryArticle(1, "", "", outlet="A"), StoryArticle(2, "Title only", "", outlet="B")]
    p = analyze_story(StoryBundle(1, "", arts), PerspectivesConfig())
    assert p.coverage.n_articles == 2 and p.headline == "Title only"
    assert p.summary.sentences[0].articles == [2]


def test_section_classifier() -> None:
    def story(title: str, text: str) -> str:
        return classify_section(title, [StoryArticle(1, title, text)])

    assert (
        story(
            "Stocks slide as inflation fears grip investors",
            "Shares fell and the Fed may raise interest rates, economists said.",
        )
        == "Business"
    )
    assert (
        story(
            "NASA telescope spots water on distant planet",
            "Scientists said the research could reshape the study of planets.",
        )
        == "Science & Tech"
    )
    assert (
        story(
            "Senate passes border bill",
            "Republicans and Democrats in Congress voted "
            "in Washington after the governor of Texas spoke.",
        )
        == "US"
    )
    assert (
        story(
            "Ukraine strikes Russian base",
            "Kyiv said the attack near Moscow hit fuel depots; NATO ministers met.",
        )
        == "World"
    )
    assert story("Local man wins prize", "He was pleased.") == "US"


def test_outlet_names_are_not_framing_terms() -> None:
    def art(i: int, outlet: str, leaning: str, text: str) -> StoryArticle:
        return StoryArticle(i, f"Rail plan {i}", text, outlet=outlet, leaning=leaning)

    arts = [
        art(
            1,
            "Fox News",
            "right",
            "The council backed the rail plan, Fox News has learned. "
            "Taxpayers fear the cost. Taxpayers fear the cost overruns.",
        ),
        art(2, "Fox News", "right", "Fox News reports taxpayers fear the rail cost. Fox News."),
        art(
            3,
            "CNN",
            "left",
            "The council backed the rail plan, CNN has learned. "
            "Commuters welcome the transit link. Commuters welcome faster trains.",
        ),
        art(4, "CNN", "left", "CNN reports commuters welcome the transit link. CNN."),
    ]
    refs = article_refs(arts, frozenset())
    out = framing(arts, refs, [], PerspectivesConfig(framing_terms=8))
    terms = {t for side in out.values() for t, _ in side.terms}
    assert "taxpayers" in terms and "commuters" in terms
    assert not terms & {"cnn", "fox news"}

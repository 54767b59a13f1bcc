"""Shared facts across sides and discrepancies in numbers, dates and names."""

from __future__ import annotations

from perspectives_data import QUAKE

from manysides.config import PerspectivesConfig
from manysides.perspectives import StoryArticle, discrepancies, facts


def test_facts_need_two_sides() -> None:
    found = facts(QUAKE, PerspectivesConfig())
    assert found, "the death toll sentence is carried by left, center and right outlets"
    top = found[0]
    # the death-toll sentence (with Snowball stems, "killing" and "killed" match)
    assert "earthquake" in top.text and ("killed" in top.text or "killing" in top.text)
    assert len(top.sides) >= 2 and set(top.articles) >= {1, 2}
    assert "Left Daily" in top.outlets and "Right Post" in top.outlets
    # "Critics slammed ..." is carried only by the right: never a fact
    assert all("Critics" not in f.text for f in found)


def test_single_side_claims_are_not_facts() -> None:
    left_and_right = [a for a in QUAKE if a.leaning != "center"]
    texts = [f.text for f in facts(left_and_right, PerspectivesConfig())]
    assert texts and all("magnitude" not in t for t in texts)  # right + lean-right only
    # with only one side rated in the whole story, two outlets suffice
    same_side = [a for a in QUAKE if a.leaning in ("right", "lean-right")]
    assert any("magnitude" in f.text for f in facts(same_side, PerspectivesConfig()))


def test_number_and_date_discrepancies() -> None:
    found = {(d.kind, d.context): d.values for d in discrepancies(QUAKE, PerspectivesConfig())}
    assert found[("number", "people")] == {
        "12": ["Center News", "Left Daily"],  # "a dozen people" is 12 too
        "15": ["Right Post", "Wire Copy"],
    }
    assert set(found[("date", "when")]) == {"monday", "tuesday"}


def test_agreeing_outlets_have_no_discrepancy() -> None:
    arts = [
        StoryArticle(
            1,
            "a",
            "The senate passed the bill 52 to 48 on Friday, aides said.",
            outlet="A",
            leaning="left",
        ),
        StoryArticle(
            2,
            "b",
            "The senate passed the bill 52 to 48 on Friday, leaders said.",
            outlet="B",
            leaning="right",
        ),
    ]
    assert discrepancies(arts, PerspectivesConfig()) == []
    assert len(facts(arts, PerspectivesConfig())) == 1


def test_name_discrepancy() -> None:
    arts = [
        StoryArticle(
            1,
            "a",
            "The protest was organised by activist Maria Lopez in the capital.",
            outlet="A",
            leaning="left",
        ),
        StoryArticle(
            2,
            "b",
            "The protest was organised by activist Mary Lopes in the capital.",
            outlet="B",
            leaning="right",
        ),
    ]
    found = discrepancies(arts, PerspectivesConfig())
    assert [(d.kind, d.context) for d in found] == [("name", "activist")]
    assert found[0].values == {"Maria Lopez": ["A"], "Mary Lopes": ["B"]}


def test_outlets_naming_themselves_are_not_a_discrepancy() -> None:
    arts = [
        StoryArticle(
            1,
            "a",
            "The council approved the rail plan on Tuesday, newspaper Left Daily reported.",
            outlet="Left Daily",
            leaning="left",
        ),
        StoryArticle(
            2,
            "b",
            "The council approved the rail plan on Tuesday, newspaper Right Post reported.",
            outlet="Right Post",
            leaning="right",
        ),
    ]
    assert discrepancies(arts, PerspectivesConfig()) == []

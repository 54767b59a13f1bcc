"""Coverage: counts by leaning/side/ownership, syndication, first/latest, blindspots."""

from __future__ import annotations

from dataclasses import replace

from perspectives_data import QUAKE

from manysides.config import PerspectivesConfig
from manysides.perspectives import StoryArticle, coverage
from manysides.perspectives.coverage import article_refs, find_blindspot


def test_counts_by_leaning_side_and_ownership() -> None:
    cov = coverage(QUAKE, PerspectivesConfig())
    assert cov.n_articles == 4 and cov.n_outlets == 4
    assert cov.n_reports == 3  # articles 2 and 3 are one syndicated report
    assert cov.by_leaning["left"] == {"outlets": ["Left Daily"], "articles": 1}
    assert cov.by_leaning["lean-right"]["outlets"] == ["Wire Copy"]
    assert cov.by_leaning["unrated"]["articles"] == 0
    assert cov.by_side == {"left": 1, "center": 1, "right": 2}
    assert cov.ownership == {"nonprofit": 1, "private": 2, "public-broadcaster": 1}
    assert cov.first_report == "2024-05-06T08:00:00+00:00"
    assert cov.latest_report == "2024-05-06T10:00:00+00:00"
    assert cov.blindspot is None


def test_syndicated_carriers_are_credited() -> None:
    refs = {r.id: r for r in article_refs(QUAKE, None)}
    assert refs[2].carriers == ["Wire Copy"] and refs[3].carriers == ["Right Post"]
    assert refs[1].carriers == [] and refs[4].carriers == []


def _story(leanings: list[str]) -> list[StoryArticle]:
    return [
        StoryArticle(id=i, title="t", text="x", outlet=f"o{i}", leaning=lean)
        for i, lean in enumerate(leanings, 1)
    ]


def test_blindspot_when_one_side_dominates() -> None:
    cfg = PerspectivesConfig(blindspot_share=0.8, blindspot_min_outlets=3)
    cov = coverage(_story(["left", "lean-left", "left", "left", "right", "unrated"]), cfg)
    assert cov.by_side["left"] == 4 and cov.by_side["right"] == 1
    assert cov.dominant_side == "left" and cov.blindspot == "right"
    cov = coverage(_story(["right", "lean-right", "right"]), cfg)
    assert cov.blindspot == "left" and cov.dominant_side == "right"


def test_no_blindspot_below_min_outlets_or_share() -> None:
    cfg = PerspectivesConfig(blindspot_share=0.8, blindspot_min_outlets=3)
    assert coverage(_story(["left", "left"]), cfg).blindspot is None  # too few outlets
    assert coverage(_story(["left", "left", "right"]), cfg).blindspot is None  # 67% < 80%
    assert (
        coverage(_story(["left", "left", "right"]), replace(cfg, blindspot_share=0.6)).blindspot
        == "right"
    )
    # unrated outlets never count towards the rule
    assert coverage(_story(["left", "unrated", "unrated", "unrated"]), cfg).blindspot is None


def test_center_dominated_names_weaker_flank() -> None:
    cfg = PerspectivesConfig(blindspot_share=0.6, blindspot_min_outlets=3)
    assert find_blindspot({"left": 1, "center": 4, "right": 0}, cfg) == ("right", "center")
    assert find_blindspot({"left": 0, "center": 4, "right": 0}, cfg) == (None, None)


def test_unknown_leaning_is_unrated() -> None:
    cov = coverage(_story(["far-out", ""]), PerspectivesConfig())
    assert cov.by_leaning["unrated"]["articles"] == 2 and sum(cov.by_side.values()) == 0

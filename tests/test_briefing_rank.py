"""Ranking and sections: importance, spread, syndication, recency, blindspots, repeats."""

from __future__ import annotations

from datetime import timedelta

from briefing_data import ALL_SOURCES, NOW, perspective

from manysides.briefing import Candidate, PreviousAppearance, RankOptions, build_briefing, rank
from manysides.briefing.build import briefing_rows
from manysides.briefing.rank import importance, momentum
from manysides.config import BriefingConfig


def ids(sections) -> list[int]:  # noqa: ANN001
    return [i.story_id for s in sections for i in s.items]


def test_more_outlets_and_sides_rank_higher() -> None:
    wide = perspective(1, ALL_SOURCES)
    narrow = perspective(2, ["left-news", "right-times"])
    one_sided = perspective(3, ["left-news", "leanleft-daily", "left-news"])
    sections = rank(
        [Candidate(narrow), Candidate(one_sided), Candidate(wide)],
        NOW,
        RankOptions.from_config(BriefingConfig()),
    )
    assert ids(sections) == [1, 2, 3]
    assert [i.rank for s in sections for i in s.items] == [1, 2, 3]


def test_syndicated_copies_count_once() -> None:
    # Same outlets; one story's five articles are one wire report carried five times.
    syndicated = perspective(1, ALL_SOURCES, n_reports=1)
    original = perspective(2, ALL_SOURCES, n_reports=5)
    assert importance(original, NOW) > importance(syndicated, NOW)


def test_recency_and_momentum() -> None:
    fresh = perspective(1, ALL_SOURCES[:3], hours_ago=1)
    stale = perspective(2, ALL_SOURCES[:3], hours_ago=30)
    assert momentum(fresh, NOW, 6) == 1.0
    assert momentum(stale, NOW, 6) == 0.0
    assert importance(fresh, NOW) > importance(stale, NOW)


def test_sections_blindspots_other_and_limits() -> None:
    opts = RankOptions.from_config(
        BriefingConfig(max_stories=4, per_section=2, sections=("US", "World", "Blindspots"))
    )
    cands = [
        Candidate(perspective(1, ALL_SOURCES, section="US")),
        Candidate(perspective(2, ALL_SOURCES, section="US")),
        Candidate(perspective(3, ALL_SOURCES, section="US")),  # over per_section
        Candidate(perspective(4, ALL_SOURCES[:3], section="World", blindspot="right")),
        Candidate(perspective(5, ALL_SOURCES[:2], section="Sports")),  # -> other section
        Candidate(perspective(6, ALL_SOURCES[:2], section="World")),  # over max_stories
    ]
    sections = rank(cands, NOW, opts)
    names = [s.name for s in sections]
    assert names == ["US", "More news", "Blindspots"]
    assert ids(sections) == [1, 2, 5, 4]
    assert sum(len(s.items) for s in sections) == 4


def test_blindspots_section_appears_whenever_the_rule_is_met() -> None:
    # Ten busy stories fill max_stories; the one blindspot story is the least important,
    # yet it keeps a slot, so the Blindspots section appears.
    opts = RankOptions.from_config(BriefingConfig(max_stories=10, per_section=10))
    busy = [Candidate(perspective(i, ALL_SOURCES, section="US")) for i in range(1, 12)]
    quiet = Candidate(perspective(50, ALL_SOURCES[:3], blindspot="right", hours_ago=30))
    sections = rank([*busy, quiet], NOW, opts)
    assert [s.name for s in sections] == ["US", "Blindspots"]
    assert ids(sections)[-1] == 50 and len(ids(sections)) == 10
    # Without a story that meets the rule, all ten slots go to the busiest stories.
    assert ids(rank(busy, NOW, opts)) == list(range(1, 11))


def test_min_outlets_and_no_other_section() -> None:
    opts = RankOptions.from_config(
        BriefingConfig(min_outlets=3, other_section="", sections=("US",))
    )
    cands = [
        Candidate(perspective(1, ALL_SOURCES[:2])),  # too few outlets
        Candidate(perspective(2, ALL_SOURCES, section="Business")),  # no section takes it
        Candidate(perspective(3, ALL_SOURCES)),
    ]
    assert ids(rank(cands, NOW, opts)) == [3]


def test_repeat_story_needs_new_reporting_and_shows_whats_new() -> None:
    p = perspective(1, ALL_SOURCES, first_id=10)  # article ids 10..14
    opts = RankOptions.from_config(BriefingConfig())
    unchanged = PreviousAppearance("2026-03-09", frozenset(range(10, 15)))
    assert ids(rank([Candidate(p, unchanged)], NOW, opts)) == []
    # ... and it gets one "continuing" line instead.
    b = build_briefing("2026-03-10", "T", [Candidate(p, unchanged)], NOW, opts)
    [line] = b.continuing
    assert (line.story_id, line.since, line.n_outlets) == (1, "2026-03-09", 5)
    assert b.items == []

    p.facts[0].articles = [14]  # a key fact only a new article states
    before = PreviousAppearance("2026-03-09", frozenset({10, 11, 12}))
    [section] = rank([Candidate(p, before)], NOW, opts)
    new = section.items[0].whats_new
    assert new is not None and new.since == "2026-03-09" and new.previous_articles == 3
    assert [a.id for a in new.new_articles] == [13, 14]
    assert new.new_outlets == ["Leanright Post", "Right Times"]
    assert new.new_facts == [p.facts[0].text]
    assert build_briefing("2026-03-10", "T", [Candidate(p, before)], NOW, opts).continuing == []


def test_build_briefing_rows_and_empty_day() -> None:
    opts = RankOptions.from_config(BriefingConfig())
    b = build_briefing(
        "2026-03-10", "T", [Candidate(perspective(7, ALL_SOURCES, first_id=1))], NOW, opts
    )
    assert briefing_rows(b) == [(7, 1, "US", 5, 5)]
    assert b.n_candidates == 1
    empty = build_briefing("2026-03-10", "T", [], NOW + timedelta(days=1), opts)
    assert empty.sections == [] and empty.items == []

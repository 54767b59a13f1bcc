"""perspectives_step: which stories it (re)computes, what it stores, per-story errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from perspectives_data import QUAKE

from manysides.config import Config
from manysides.perspectives import Perspective
from manysides.pipeline import RunContext
from manysides.pipeline.perspectives import build_bundle, perspectives_step
from manysides.records import Article, Source
from manysides.store import Store

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


def _source(a) -> Source:  # noqa: ANN001 - a StoryArticle
    return Source(
        id=a.source_id,
        name=a.outlet,
        domains=(f"{a.source_id}.example",),
        ownership=a.ownership,
        leaning=a.leaning,
    )


def _add(store: Store, story_id: int, arts, report_of: dict[int, int] | None = None) -> list[int]:  # noqa: ANN001
    ids = []
    for a in arts:
        saved = store.articles.save_article(
            Article(
                url=f"https://{a.source_id}.example/{story_id}/{a.id}",
                title=a.title,
                text=a.text,
                canonical_url=f"https://{a.source_id}.example/{story_id}/{a.id}",
                published=a.published or NOW,
                site=a.outlet,
                source_id=a.source_id,
            )
        )
        ids.append(saved.id)
        store.stories.assign(saved.id, story_id)
    for article_id, report_id in (report_of or {}).items():
        store.articles.set_report(ids[article_id], ids[report_id])
    store.stories.refresh(story_id)
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "p.db")
    s.catalog.sync_sources([_source(a) for a in QUAKE])
    s.stories.create(1, "Peru quake", "2024-05-06T08:00:00+00:00")
    s.stories.create(2, "Single outlet story", "2024-05-06T08:00:00+00:00")
    _add(s, 1, QUAKE, report_of={2: 1})  # the wire copy carries Right Post's report
    _add(s, 2, QUAKE[:1])
    return s


def _ctx(store: Store) -> RunContext:
    return RunContext(store=store, config=Config(), now=NOW)


def test_step_computes_and_stores_perspectives(store: Store) -> None:
    ctx = _ctx(store)
    perspectives_step(ctx)
    assert ctx.report.counts["perspectives_computed"] == 1  # story 2 has one outlet
    stored = store.briefings.perspective(1)
    assert stored is not None and "_n_articles" not in stored  # the payload as saved
    assert store.briefings.perspective_articles(1) == 4
    p = Perspective.from_dict(stored)
    assert p.story_id == 1 and p.section == "World"
    assert p.coverage.by_side == {"left": 1, "center": 1, "right": 2}
    assert p.coverage.n_reports == 3
    assert p.coverage.by_leaning["right"]["outlets"] == ["Right Post"]
    assert p.summary.sentences and all(s.articles for s in p.summary.sentences)
    assert store.briefings.perspective(2) is None


def test_step_skips_unchanged_and_recomputes_on_new_article(store: Store) -> None:
    perspectives_step(_ctx(store))
    ctx = _ctx(store)
    perspectives_step(ctx)
    assert ctx.report.counts["perspectives_computed"] == 0
    assert ctx.report.counts["perspectives_unchanged"] == 1
    extra = QUAKE[0].__class__(**{**QUAKE[0].__dict__, "id": 99, "text": "Aftershocks followed."})
    _add(store, 1, [extra])
    ctx = _ctx(store)
    perspectives_step(ctx)
    assert ctx.report.counts["perspectives_computed"] == 1
    assert store.briefings.perspective_articles(1) == 5


def test_old_stories_are_ignored(store: Store) -> None:
    ctx = RunContext(store=store, config=Config(), now=datetime(2024, 6, 1, tzinfo=UTC))
    perspectives_step(ctx)
    assert ctx.report.counts["perspectives_computed"] == 0


def test_a_replay_takes_a_story_as_it_stood_at_its_clock(store: Store) -> None:
    # Story 1's articles are published at 08:00, 09:30 and 10:00, and one (undated) is
    # stored at NOW, 12:00. A replay at 11:00 sees the story as it stood then: three
    # articles, not the later one; and a story that went on later is not left out.
    from manysides.pipeline.candidates import candidate_stories

    clock = datetime(2024, 5, 6, 11, 0, tzinfo=UTC)
    [row] = candidate_stories(store, clock, 36, 2)
    assert row["id"] == 1 and row["n_articles"] == 3 and row["n_outlets"] == 3
    assert row["last_updated"] == "2024-05-06T10:00:00+00:00"
    ctx = RunContext(store=store, config=Config(), now=clock)
    perspectives_step(ctx)
    assert ctx.report.counts["perspectives_computed"] == 1
    assert store.briefings.perspective_articles(1) == 3
    later = store.stories.article_ids(1)[-1]
    shown = {a.id for a in Perspective.from_dict(store.briefings.perspective(1)).articles}
    assert len(shown) == 3 and later not in shown
    assert candidate_stories(store, datetime(2024, 5, 6, 7, 0, tzinfo=UTC), 36, 2) == []
    # The live run recomputes it with every article.
    perspectives_step(_ctx(store))
    assert store.briefings.perspective_articles(1) == 4


def test_window_is_inclusive_of_the_clock_in_any_time_zone(store: Store) -> None:
    from datetime import timedelta, timezone

    from manysides.pipeline.candidates import candidate_stories

    eastern = NOW.astimezone(timezone(timedelta(hours=-4)))  # the same instant as NOW
    assert [s["id"] for s in candidate_stories(store, eastern, 36, 2)] == [1]
    # a second before, the story stood without the article stored at NOW
    [before] = candidate_stories(store, NOW - timedelta(seconds=1), 36, 2)
    assert before["n_articles"] == 3
    assert candidate_stories(store, eastern, 36, 2)[0]["n_articles"] == 4
    assert candidate_stories(store, NOW + timedelta(hours=37), 36, 2) == []


def test_bundle_has_leanings_ownership_and_quotes(store: Store) -> None:
    ids = store.stories.article_ids(1)
    store.quotes.replace_for_article(
        ids[0],
        [],
        [
            {
                "text": "a national tragedy",
                "start": 0,
                "end": 18,
                "speaker": "Dina Boluarte",
                "speaker_start": None,
                "speaker_end": None,
                "cue": "called",
                "direct": 1,
                "quote_key": "a national tragedy",
            }
        ],
    )
    bundle = build_bundle(store, store.stories.get(1), store.catalog.sources())
    by_outlet = {a.outlet: a for a in bundle.articles}
    assert by_outlet["Center News"].leaning == "center"
    assert by_outlet["Center News"].ownership == "public-broadcaster"
    assert by_outlet["Wire Copy"].report_id == by_outlet["Right Post"].id
    assert [q.text for q in bundle.quotes] == ["a national tragedy"]
    assert bundle.quotes[0].carriers[0]["leaning"] == "left"


def test_failure_is_recorded_per_story(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import manysides.pipeline.perspectives as step

    def boom(bundle, config, chat):  # noqa: ANN001, ANN202
        raise ValueError("broken story")

    monkeypatch.setattr(step, "analyze_story", boom)
    ctx = _ctx(store)
    ctx.run_id = store.runs.start("test")
    perspectives_step(ctx)
    errors = store.runs.errors(ctx.run_id)
    assert [(e["stage"], e["item"]) for e in errors] == [("perspectives", "1")]
    assert "broken story" in errors[0]["message"]

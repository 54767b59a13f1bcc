"""The online story clusterer: API, determinism, persistence, time window, merges."""

from __future__ import annotations

from datetime import timedelta

from stories_data import EVENTS, T0, body_only, stream

from manysides.config import StoriesConfig
from manysides.stories import Assignment, StoryClusterer, StoryInput, bcubed


def run(clusterer: StoryClusterer, items: list[tuple[StoryInput, str]]) -> list[Assignment]:
    return [clusterer.add(item) for item, _ in items]


def test_groups_reports_of_the_same_event() -> None:
    items = stream()
    got = run(StoryClusterer(StoriesConfig()), items)
    predicted = {item.id: a.story_id for (item, _), a in zip(items, got, strict=True)}
    gold = {item.id: name for item, name in items}
    assert bcubed(predicted, gold) == (1.0, 1.0, 1.0)
    assert [a.is_new for a in got[:3]] == [True, True, True]
    assert not any(a.is_new for a in got[3:])
    assert [a.story_id for a in got[:3]] == [1, 2, 3]


def test_next_id_and_determinism() -> None:
    items = stream()
    first = run(StoryClusterer(StoriesConfig(), next_id=41), items)
    second = run(StoryClusterer(StoriesConfig(), next_id=41), items)
    assert first == second
    assert min(a.story_id for a in first) == 41


def test_dumps_loads_resumes_identically() -> None:
    items = stream()
    whole = run(StoryClusterer(StoriesConfig()), items)
    c = StoryClusterer(StoriesConfig())
    head = run(c, items[:4])
    restored = StoryClusterer.loads(c.dumps(), StoriesConfig())
    tail = run(restored, items[4:])
    assert head + tail == whole
    assert restored.dumps() == StoryClusterer.loads(restored.dumps(), StoriesConfig()).dumps()


def test_saving_at_any_point_does_not_change_the_outcome() -> None:
    cfg = StoriesConfig(window_days=1)
    title, text = EVENTS["quake"]
    items = [StoryInput(0, title, text, T0)]
    items += [StoryInput(i, *EVENTS["fed"], T0 + timedelta(days=2, hours=i)) for i in (1, 2)]
    items.append(StoryInput(3, title, text, T0 + timedelta(hours=6)))  # late report
    straight = StoryClusterer(cfg)
    expected = [straight.add(item) for item in items]
    # The late report steps the clock back and joins its event (still in the state).
    assert expected[3].story_id == expected[0].story_id
    resumed, got = StoryClusterer(cfg), []
    for item in items:
        resumed = StoryClusterer.loads(resumed.dumps(), cfg)
        got.append(resumed.add(item))
    assert got == expected
    assert resumed.dumps() == straight.dumps()


def test_a_bogus_future_date_does_not_close_every_story() -> None:
    c = StoryClusterer(StoriesConfig(window_days=1))
    quake = c.add(StoryInput(1, *EVENTS["quake"], T0))
    c.add(StoryInput(2, *EVENTS["fed"], T0.replace(year=2050)))
    again = c.add(StoryInput(3, *EVENTS["quake"], T0 + timedelta(hours=2)))
    assert again.story_id == quake.story_id


def test_same_words_outside_the_window_start_a_new_story() -> None:
    title, text = EVENTS["fed"]
    c = StoryClusterer(StoriesConfig(window_days=2))
    a = c.add(StoryInput(1, title, text, T0))
    b = c.add(StoryInput(2, title, text, T0 + timedelta(days=1)))
    late = c.add(StoryInput(3, title, text, T0 + timedelta(days=5)))
    assert b.story_id == a.story_id
    assert late.is_new and late.story_id != a.story_id


def test_closed_stories_leave_the_state() -> None:
    c = StoryClusterer(StoriesConfig(window_days=1))
    for day in range(256):  # stale stories are swept every 64 articles
        c.add(
            StoryInput(
                day,
                f"Story number {day} about topic{day}",
                f"words{day} " * 20,
                T0 + timedelta(days=day),
            )
        )
    state = c.dumps()
    assert len(state) < 20_000
    assert StoryClusterer.loads(state, StoriesConfig(window_days=1)).open_stories <= 3


def test_max_open_bounds_undated_streams() -> None:
    c = StoryClusterer(StoriesConfig(max_open=50))
    for i in range(320):  # a multiple of the 64-article sweep
        c.add(StoryInput(i, f"Unrelated item{i} headline{i}", f"zz{i} yy{i} " * 10))
    state = StoryClusterer.loads(c.dumps(), StoriesConfig(max_open=50))
    assert state.open_stories <= 50


BUDGET = ("Senate passes budget bill", "The Senate passed the budget bill on Friday.")
FIRE = ("Governor signs wildfire relief order", "Wildfire relief order signed by the governor.")


def test_a_bridging_article_merges_two_stories_into_the_bigger_one() -> None:
    cfg = StoriesConfig(embeddings=False, threshold=0.5, merge_threshold=0.5)
    c = StoryClusterer(cfg, scorer=body_only(0.2))
    assert c.add(StoryInput(1, *BUDGET)).is_new
    assert not c.add(StoryInput(2, *BUDGET)).is_new
    fire = c.add(StoryInput(3, *FIRE))
    assert fire.is_new and fire.story_id == 2
    bridge = c.add(StoryInput(4, BUDGET[0], FIRE[1]))
    assert (bridge.story_id, bridge.is_new, bridge.merged) == (1, False, (2,))
    assert c.add(StoryInput(5, *FIRE)).story_id == 1


def test_no_merge_below_merge_threshold() -> None:
    cfg = StoriesConfig(embeddings=False, threshold=0.5, merge_threshold=1.0)
    c = StoryClusterer(cfg, scorer=body_only(0.2))
    for i, item in enumerate((BUDGET, BUDGET, FIRE)):
        c.add(StoryInput(i, *item))
    bridge = c.add(StoryInput(4, BUDGET[0], FIRE[1]))
    assert not bridge.is_new and bridge.merged == ()
    assert c.open_stories == 2
    assert c.add(StoryInput(5, *FIRE)).story_id == 2


def test_bcubed_counts_missing_items_as_singletons() -> None:
    gold = {1: "a", 2: "a", 3: "b"}
    assert bcubed({1: 7, 2: 7, 3: 8}, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed({1: 7}, gold)
    assert p == 1.0 and r < 1.0 and 0 < f < 1

"""The learned scorer (shipped weights, features), consolidation, similarity and date slack."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources

from stories_data import EVENTS, T0, body_only, stream

from manysides.config import StoriesConfig
from manysides.stories import StoryClusterer, StoryInput, bcubed
from manysides.stories.clusterer import cluster_all, resolve
from manysides.stories.fit import Row, fit_model, pairs, score_run, with_threshold
from manysides.stories.scorer import FEATURES, load_default


def test_shipped_scorer_matches_the_features_and_prefers_same_event_pairs() -> None:
    data = json.loads(resources.files("manysides.stories").joinpath("scorer.json").read_text())
    assert data["features"] == list(FEATURES)
    scorer = load_default()
    for model in (scorer.dense, scorer.sparse):
        assert 0 < model.threshold < 1
        assert model.threshold <= model.merge_threshold <= 1
        close = [0.0] * len(FEATURES)
        far = [0.0] * len(FEATURES)
        for name in ("title_cos", "body_cos", "entity_cos", "title_body_cos", "entity_cover"):
            close[FEATURES.index(name)] = 0.8
        close[FEATURES.index("log_size")] = far[FEATURES.index("log_size")] = 0.69
        p_close, p_far = model.probabilities([close, far])
        assert p_close > model.threshold > p_far
    # the cross-validated figures are kept beside the weights
    assert data["models"]["dense"]["cv"]["neus"] > 0.5


def test_assignments_carry_the_similarity_to_their_story() -> None:
    c = StoryClusterer(StoriesConfig(embeddings=False))
    got = [c.add(item) for item, _ in stream()]
    assert all(a.similarity is None for a in got if a.is_new)
    joined = [a.similarity for a in got if not a.is_new]
    assert joined and all(s is not None and c.threshold <= s <= 1 for s in joined)


QUAKE_A = StoryInput(1, "Earthquake strikes Turkey near Gaziantep", EVENTS["quake"][1], T0)
QUAKE_B = StoryInput(
    2,
    "Rescuers search rubble after Gaziantep earthquake",
    "Rescue teams searched the rubble in Gaziantep after the earthquake, AFAD said.",
    T0 + timedelta(hours=1),
)
FED = StoryInput(3, *EVENTS["fed"], T0 + timedelta(hours=2))


def test_consolidation_merges_open_stories_into_the_older_and_is_idempotent() -> None:
    # body_only(): the two quake reports have a text cosine of about 0.56 (probability
    # about 0.9): under the join threshold 0.99, over the consolidation threshold 0.5
    cfg = StoriesConfig(embeddings=False, threshold=0.99, consolidate_threshold=0.5)
    scorer = body_only()
    c = StoryClusterer(cfg, scorer=scorer)
    got = [c.add(item) for item in (QUAKE_A, QUAKE_B, FED)]
    assert [a.is_new for a in got] == [True, True, True]  # nothing joins at 0.99
    assert c.consolidate() == [(2, 1)]  # the newer quake story into the older
    assert c.consolidate() == []  # nothing changed since: nothing to do
    assert c.open_stories == 2 and c.headline(2) is None
    # the same input gives the same stories, and a saved state resumes identically
    again = StoryClusterer(cfg, scorer=scorer)
    for item in (QUAKE_A, QUAKE_B, FED):
        again.add(item)
    saved = StoryClusterer.loads(again.dumps(), cfg, scorer=scorer)
    assert again.consolidate() == saved.consolidate() == [(2, 1)]
    assert again.dumps() == saved.dumps() == c.dumps()
    # cluster_all consolidates after each batch and resolve follows the merges
    assigned, merges = cluster_all(StoryClusterer(cfg, scorer=scorer), [QUAKE_A, QUAKE_B, FED])
    assert [resolve(a.story_id, merges) for a in assigned] == [1, 1, 3]
    off = StoryClusterer(StoriesConfig(embeddings=False, threshold=0.99, consolidate=False))
    for item in (QUAKE_A, QUAKE_B, FED):
        off.add(item)
    assert off.consolidate() == []


def test_consolidation_respects_the_time_window() -> None:
    cfg = StoriesConfig(embeddings=False, threshold=0.99, consolidate_threshold=0.5, window_days=1)
    c = StoryClusterer(cfg, scorer=body_only())
    c.add(QUAKE_A)
    late = StoryInput(2, QUAKE_B.title, QUAKE_B.text, T0 + timedelta(days=3))
    c.add(late)
    assert c.consolidate() == []


def test_day_only_dates_and_hours_off_stay_in_one_window() -> None:
    """A day-dated article (midnight) and one 1 day 10 h later, with a 1-day window."""
    title, text = EVENTS["fed"]
    day = T0.replace(hour=0)
    for slack, joined in ((12.0, True), (0.0, False)):
        cfg = StoriesConfig(embeddings=False, window_days=1.0, date_slack_hours=slack)
        c = StoryClusterer(cfg)
        first = c.add(StoryInput(1, title, text, day))
        second = c.add(StoryInput(2, title, text, day + timedelta(days=1, hours=10)))
        assert (second.story_id == first.story_id) is joined


ITALY = (
    "Earthquake of magnitude 6.2 strikes central Italy near Perugia",
    "A strong earthquake struck central Italy near Perugia on Thursday, damaging churches, "
    "Italy's civil protection agency said. Rescue teams searched collapsed homes in Norcia.",
)


def test_fit_learns_from_teacher_forced_pairs_and_scores_held_out_rows() -> None:
    rows = [Row(item, name) for item, name in stream()]
    # same topic, other event: the hard negatives of the quake story
    for i in range(2):
        when = T0 + timedelta(hours=10 + i)
        rows.append(Row(StoryInput(f"italy-{i}", ITALY[0], ITALY[1], when), "italy"))
    cfg = StoriesConfig(embeddings=False)
    x, y = pairs(rows, cfg, None, {})
    assert len(x) == len(y) and 0 < sum(y) < len(y)  # positives and hard negatives
    assert all(len(f) == len(FEATURES) for f in x)
    model = fit_model(x, y, 0.5)
    p, r, f = score_run(rows, cfg, with_threshold(model, 0.5), None, {})
    assert f == 1.0
    gold = {row.item.id: row.story for row in rows}
    assert bcubed(dict.fromkeys(gold, 1), gold)[2] < 1.0  # the score can fail

"""Replaying a past window: day-dated articles count as published within their day, and a
briefing with no story says why and exits 1. Real articles: two days of the shipped sample."""

from __future__ import annotations

import gzip
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from clitools import run

from manysides import sample


def _config(tmp: Path) -> Path:
    config = tmp / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp / "db.sqlite"}"\n'
        f'[sources]\ncatalog = "{sample.files().sources}"\nuse_builtin = false\n'
        f'[briefing]\noutput_dir = "{tmp / "out"}"\nhours = 36\n'
        "[quotes]\nenabled = false\n"
    )
    return config


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the sample's articles of 2020-05-18 and 2020-05-19 (dated by day),
    ingested once; tests work on copies (``_copy``)."""
    from clitools import run_cli

    tmp = tmp_path_factory.mktemp("two-days")
    days = ("2020-05-18", "2020-05-19")
    with gzip.open(sample.files().articles, "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["date"][:10] in days]
    (tmp / "days.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = _config(tmp)
    assert run_cli(["--config", str(config), "--quiet", "ingest", str(tmp / "days.jsonl")]) == 0
    return tmp / "db.sqlite"


def _copy(db: Path, tmp: Path) -> Path:
    """A store of its own (a copy of ``db``) and its config."""
    tmp.mkdir(parents=True)
    # SQLite's backup API copies a consistent database, its WAL included.
    with closing(sqlite3.connect(db)) as src, closing(sqlite3.connect(tmp / "db.sqlite")) as dst:
        src.backup(dst)
    return _config(tmp)


@pytest.fixture(scope="module")
def replay(two_days: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(two_days, tmp_path_factory.mktemp("replay") / "store")


STEPS = "stories,quotes,perspectives,briefing"


def _stories(config: Path, date: str) -> list[dict]:
    data = json.loads((config.parent / "out" / date / "briefing.json").read_text())
    return [i for s in data["sections"] for i in s["items"]]


def test_as_of_a_day_includes_the_day_befores_day_dated_articles(
    replay: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 36 hours before 2020-05-20 23:59:59 is 2020-05-19 11:59:59: the articles dated
    # 2020-05-19 (midnight) were published within that day, so they are in the window.
    # The store holds nothing of 2020-05-20, so those stories, which made the briefing of
    # 2020-05-19 (computed from the data), come back as one "continuing" line each.
    code, out, _ = run(
        ["--config", str(replay), "brief", "--steps", STEPS, "--as-of", "2020-05-20"], capsys
    )
    data = json.loads((replay.parent / "out" / "2020-05-20" / "briefing.json").read_text())
    assert _stories(replay, "2020-05-20") == [] and code == 1
    flat = " ".join(out.split())
    assert "no new reporting since the 2020-05-19 briefing" in flat, flat
    lines = data["continuing"]
    assert len(lines) >= 2 and {c["since"] for c in lines} == {"2020-05-19"}
    from manysides.config import load_config
    from manysides.store import Store

    with Store(load_config(replay).store.path) as store:
        days = {
            (a["published"] or "")[:10]
            for c in lines
            for a in store.articles.get_many(store.stories.article_ids(c["story_id"]))
        }
    assert "2020-05-19" in days


def test_a_window_after_the_news_is_empty_says_why_and_exits_1(
    replay: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["--config", str(replay), "brief", "--steps", STEPS, "--as-of", "2020-06-10"], capsys
    )
    assert code == 1
    assert _stories(replay, "2020-06-10") == []
    flat = " ".join(out.split())
    assert (
        "the briefing is empty: no article was published in 2020-06-09 11:59 to 2020-06-10 23:59"
        in flat
    )
    assert "the newest article is dated 2020-05-19" in flat
    assert "manysides brief --as-of 2020-05-19" in flat


def _briefing_json(config: Path, date: str) -> dict:
    data = json.loads((config.parent / "out" / date / "briefing.json").read_text())
    data.pop("generated_at")
    return data


def test_continuing_stories_and_the_day_does_not_depend_on_the_day_before(
    two_days: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Path A builds 2020-05-19 on a fresh store; path B builds 2020-05-18 first.
    fresh = _copy(two_days, tmp_path / "fresh")
    code, out, _ = run(
        ["--config", str(fresh), "brief", "--steps", STEPS, "--as-of", "2020-05-19"], capsys
    )
    assert code == 0, out
    daily = _copy(two_days, tmp_path / "daily")
    for day in ("2020-05-18", "2020-05-19"):
        code, out, _ = run(
            ["--config", str(daily), "brief", "--steps", STEPS, "--as-of", day], capsys
        )
        assert code == 0, out
    second = _briefing_json(fresh, "2020-05-19")
    assert second == _briefing_json(daily, "2020-05-19")

    # The day before's briefing, as built on path B, is the one the data defines.
    first = _briefing_json(daily, "2020-05-18")
    shown_before = {i["perspective"]["story_id"] for s in first["sections"] for i in s["items"]}
    items = [i for s in second["sections"] for i in s["items"]]
    returning = [i for i in items if i["whats_new"]]
    lines = second["continuing"]
    assert returning or lines, "no story of 2020-05-18 is back on 2020-05-19"
    for item in items:
        assert (item["whats_new"] is not None) == (item["perspective"]["story_id"] in shown_before)
    for item in returning:  # back only with reporting published on 2020-05-19
        new = item["whats_new"]
        assert new["since"] == "2020-05-18" and new["new_articles"]
        assert all(a["published"][:10] == "2020-05-19" for a in new["new_articles"])
    for line in lines:  # shown the day before, nothing new since: one line
        assert line["story_id"] in shown_before and line["since"] == "2020-05-18"
        story = [a for i in first["sections"] for a in i["items"]]
        assert any(i["perspective"]["story_id"] == line["story_id"] for i in story)
    # Every story of the day before is accounted for: back, a continuing line, or out of
    # the window (its latest report older than 36 hours before 2020-05-19 23:59:59).
    accounted = {i["perspective"]["story_id"] for i in returning} | {c["story_id"] for c in lines}
    assert accounted <= shown_before
    text = (daily.parent / "out" / "2020-05-19" / "briefing.txt").read_text()
    if lines:
        assert "CONTINUING" in text and "no new reporting since" in text
    if returning:
        assert "New since 2020-05-18" in text

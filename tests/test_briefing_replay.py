"""Replaying a past window: day-dated articles count as published within their day, and a
briefing with no story says why and exits 1. Real articles: two days of the shipped sample."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from clitools import run

from manysides import sample


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the sample's articles of 2020-05-18 and 2020-05-19 (dated by day)."""
    tmp = tmp_path_factory.mktemp("replay")
    src = sample.files()
    days = ("2020-05-18", "2020-05-19")
    with gzip.open(src.articles, "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["date"][:10] in days]
    (tmp / "days.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = tmp / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp / "db.sqlite"}"\n'
        f'[sources]\ncatalog = "{src.sources}"\nuse_builtin = false\n'
        f'[briefing]\noutput_dir = "{tmp / "out"}"\nhours = 36\n'
        "[quotes]\nenabled = false\n"
    )
    from clitools import run_cli

    assert run_cli(["--config", str(config), "--quiet", "ingest", str(tmp / "days.jsonl")]) == 0
    return config


STEPS = "stories,quotes,perspectives,briefing"


def _stories(config: Path, date: str) -> list[dict]:
    data = json.loads((config.parent / "out" / date / "briefing.json").read_text())
    return [i for s in data["sections"] for i in s["items"]]


def test_as_of_a_day_includes_the_day_befores_day_dated_articles(
    replay: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 36 hours before 2020-05-20 23:59:59 is 2020-05-19 11:59:59: the articles dated
    # 2020-05-19 (midnight) were published within that day, so they are in the window.
    code, out, _ = run(
        ["--config", str(replay), "brief", "--steps", STEPS, "--as-of", "2020-05-20"], capsys
    )
    assert code == 0, out
    items = _stories(replay, "2020-05-20")
    assert len(items) >= 2
    days = {a["published"][:10] for i in items for a in i["perspective"]["articles"]}
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

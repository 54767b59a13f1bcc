"""The ``stories`` pipeline step and the ``cluster``/``stories`` commands."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from stories_data import EVENTS, T0, stream
from typer.testing import CliRunner

from manysides.cli import app
from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.pipeline import stories as step
from manysides.records import Article
from manysides.store import Store

SYNDICATED = ("Wire copy about the quake", "A wire report carried by several outlets.")


def _fill(store: Store) -> dict[str, int]:
    """Store the test stream (in shuffled storage order) plus two copies of one report."""
    ids: dict[str, int] = {}
    items = stream()
    for item, _ in reversed(items):
        art = Article(
            url=f"https://{item.source}.example/{item.id}",
            title=item.title,
            text=item.text,
            canonical_url=f"https://{item.source}.example/{item.id}",
            published=item.published,
            site=str(item.source),
        )
        ids[str(item.id)] = store.articles.save_article(art).id
    first = ids["quake-0"]
    for n in range(2):
        url = f"https://copy{n}.example/wire"
        copy = Article(
            url=url, canonical_url=url, title=SYNDICATED[0], text=SYNDICATED[1], site=f"copy{n}"
        )
        ids[f"copy{n}"] = store.articles.save_article(copy, report_id=first).id
    return ids


def _stories(store: Store, ids: dict[str, int]) -> dict[str, int]:
    return {k: store.articles.get(v)["story_id"] for k, v in ids.items()}  # type: ignore[index]


def test_step_assigns_stories_counts_and_copies(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ids = _fill(store)
        ctx = RunContext(store=store, config=Config())
        step.stories_step(ctx)
        got = _stories(store, ids)
        assert got["quake-0"] == got["quake-1"] == got["quake-2"] == got["copy0"] == got["copy1"]
        assert len({got["fed-0"], got["fed-1"], got["fed-2"], got["quake-0"]}) == 2
        assert ctx.report.counts["stories_new"] == 3
        assert ctx.report.counts["stories_copies"] == 2
        story = store.stories.get(got["fed-0"])
        assert story is not None and story["n_articles"] == 3 and story["n_outlets"] == 3
        assert story["first_seen"].startswith("2024-03-01T09")
        assert "federal reserve" in story["headline"].lower()
        assert store.runs.pending(step.STAGE, step.VERSION) == []
        # Nothing pending: a second run changes nothing.
        again = RunContext(store=store, config=Config())
        step.stories_step(again)
        assert _stories(store, ids) == got and not again.report.counts
        assert ctx.report.counts["stories_updated"] == 0
        # A later run: one more report of a known event updates that story only.
        title, text = EVENTS["fed"]
        late = Article(
            url="https://late.example/fed",
            canonical_url="https://late.example/fed",
            title=title,
            text=text,
            published=T0 + timedelta(hours=20),
            site="late",
        )
        late_id = store.articles.save_article(late).id
        later = RunContext(store=store, config=Config())
        step.stories_step(later)
        assert store.articles.get(late_id)["story_id"] == got["fed-0"]  # type: ignore[index]
        assert later.report.counts["stories_updated"] == 1
        assert later.report.counts["stories_new"] == 0
        assert store.stories.get(got["fed-0"])["n_outlets"] == 4  # type: ignore[index]


def test_killed_run_resumes_with_identical_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "whole.db") as store:
        ids = _fill(store)
        step.stories_step(RunContext(store=store, config=Config()))
        whole = _stories(store, ids)
    monkeypatch.setattr(step, "BATCH", 4)
    calls = {"n": 0}
    real = step._Batch.run

    def dying(self: step._Batch, rows: list) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real(self, rows)

    with Store(tmp_path / "killed.db") as store:
        ids = _fill(store)
        monkeypatch.setattr(step._Batch, "run", dying)
        with pytest.raises(KeyboardInterrupt):
            step.stories_step(RunContext(store=store, config=Config()))
        assert len(store.runs.pending(step.STAGE, step.VERSION)) == len(ids) - 4
        monkeypatch.setattr(step._Batch, "run", real)
        step.stories_step(RunContext(store=store, config=Config()))
        assert _stories(store, ids) == whole


def test_cluster_command(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": item.id,
                "title": item.title,
                "text": item.text,
                "date": item.published.isoformat() if item.published else None,
            }
        )
        for item, _ in stream()
    ]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"id": "bad-date", "title": "x", "text": "y", "date": "soon"}))
    src, out, timings = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "t.json"
    src.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        app, ["cluster", "--input", str(src), "--output", str(out), "--timings", str(timings)]
    )
    assert result.exit_code == 1
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == len(lines)
    assert rows[2]["story"] is None and "error" in rows[2]
    assert rows[4] == rows[4] | {"id": "bad-date", "story": None}
    good = {r["id"]: r["story"] for r in rows if r["story"] is not None}
    assert good["fed-0"] == good["fed-1"] == good["fed-2"] != good["quake-0"]
    assert json.loads(timings.read_text())["articles"] == len(lines) - 2


def test_stories_command_lists_stories(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    with Store(db) as store:
        _fill(store)
        step.stories_step(RunContext(store=store, config=Config()))
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db), "--json", "stories", "--min-outlets", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 3 and all(len(s["outlets"]) >= 3 for s in data)
    assert {"id", "headline", "first_seen", "last_updated", "articles"} <= data[0].keys()
    assert data[0]["outlets"][0]["leaning"] == "unrated"
    none = runner.invoke(app, ["--db", str(db), "--json", "stories", "--date", "2020-01-01"])
    assert json.loads(none.output) == []
    table = runner.invoke(app, ["--db", str(db), "stories", "--date", "2024-03-01"])
    assert table.exit_code == 0 and "federal" in table.output.lower()
    bad = runner.invoke(app, ["--db", str(db), "stories", "--date", "yesterday"])
    assert bad.exit_code != 0


def _cluster_in_subprocess(src: Path, out: Path, seed: str) -> list[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    cmd = [sys.executable, "-m", "manysides.cli", "cluster", "-i", str(src), "-o", str(out)]
    code = f"import sys; from manysides.cli import main; sys.argv = {cmd[2:]!r}; main()"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return out.read_text().splitlines()


def test_cluster_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    rng = random.Random(7)
    vocab = [f"{a}{b}" for a in ("sen", "bud", "sto", "cou", "rul", "ele") for b in "aeiouy"]
    lines = []
    for i in range(200):
        t = (i // 4) % 6
        words = rng.sample(vocab[t * 6 : t * 6 + 6], 4) + rng.sample(vocab, 2)
        lines.append(
            json.dumps(
                {
                    "id": i,
                    "title": " ".join(words[:4]).title(),
                    "text": " ".join(words) + f". Day {i % 13}.",
                }
            )
        )
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    first = _cluster_in_subprocess(src, tmp_path / "a.jsonl", "1")
    second = _cluster_in_subprocess(src, tmp_path / "b.jsonl", "2")
    assert first == second
    assert len({json.loads(x)["story"] for x in first}) > 5


def test_cluster_rejects_bad_lines_one_by_one(tmp_path: Path) -> None:
    lines = [
        "[1, 2]",
        json.dumps({"title": "no id", "text": "x"}),
        json.dumps({"id": 5, "title": "", "text": "  "}),
        json.dumps({"id": True, "title": "bool id", "text": "x"}),
        json.dumps({"id": 6, "title": 7, "text": "x"}),
        json.dumps({"id": 8, "title": "Ünïcödé — ok", "text": "naïve café " * 5000}),
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(lines) + "\n\n")
    result = CliRunner().invoke(app, ["cluster", "-i", str(src), "-o", str(out)])
    assert result.exit_code == 1
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["story"] for r in rows] == [None, None, None, None, None, 1]
    assert all(r["error"].endswith("[E220]") for r in rows[:5])
    assert rows[2]["id"] == 5 and rows[4]["id"] == 6
    missing = CliRunner().invoke(app, ["cluster", "-i", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code != 0

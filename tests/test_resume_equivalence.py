"""Issue 14 item 2: a run killed with kill -9 and resumed gives exactly the uninterrupted result.

The input makes resuming hard: four sites whose pages carry recurring lines (some on
every page, some on about a third, near the learner's share threshold, so templates
change from batch to batch), and stories to cluster. One store is built in one go; the
other by runs killed at seeded random points (after some batches of articles, during
story clustering, at a random moment) and then finished. Every article text, title and
report group, and every story (members and headline), must be equal.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 900
SITES = ("politico.example", "ledger.example", "wire.example", "daily.example")
ALWAYS = {
    "politico.example": ["+Story Continued Below", "Politico Pro subscribers read it first"],
    "ledger.example": ["The Ledger covers the river valley every day"],
    "wire.example": ["Reporting by the wire desk; editing by the night team"],
    "daily.example": ["Daily Example is reader supported"],
}
SOMETIMES = {  # on about a third of the site's pages: in the template or not, as counts go
    site: [f"Also on {site}: the weekly roundup of {w}" for w in ("markets", "sport")]
    for site in SITES
}
TOPIC = (
    "council budget river storm election court ruling vote police city hospital school"
    " market shares energy prices climate report study officials residents protest company"
    " workers union strike talks agreement border trade tariffs summit leaders"
).split()


def _records(seed: int) -> list[dict]:
    rng = random.Random(seed)
    stories = [rng.sample(TOPIC, 6) + [f"name{k}"] for k in range(N // 4)]
    out = []
    for i in range(N):
        site = SITES[i % len(SITES)]
        words = stories[rng.randrange(len(stories))]
        lines = [
            " ".join(rng.choice(words) for _ in range(18)).capitalize() + "." for _ in range(5)
        ]
        lines.insert(2, ALWAYS[site][0])
        lines.extend(ALWAYS[site][1:])
        lines.extend(line for line in SOMETIMES[site] if rng.random() < 0.34)
        out.append(
            {
                "url": f"https://www.{site}/news/{i}",
                "title": " ".join(rng.choice(words) for _ in range(7)).capitalize(),
                "text": "\n".join(lines),
                "date": f"2026-11-{1 + i * 20 // N:02d}T{i % 24:02d}:00:00Z",
            }
        )
    return out


def _command(db: Path, src: Path) -> list[str]:
    return [sys.executable, "-m", "manysides", "-q", "--db", str(db), "ingest", str(src)]


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return int(c.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return -1


def _run_until(cmd: list[str], db: Path, ready: object, deadline: float = 120.0) -> bool:
    """Start the run and kill -9 it (with its workers) once ``ready(db)`` holds; False if
    it finished first."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    end = time.time() + deadline
    while proc.poll() is None and time.time() < end:
        if ready(db):  # type: ignore[operator]
            break
        time.sleep(0.02)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with contextlib.suppress(ProcessLookupError):  # workers that outlived the parent
        os.killpg(proc.pid, signal.SIGKILL)
    return killed


def _snapshot(db: Path) -> tuple[dict, set]:
    with sqlite3.connect(db) as c:
        articles = {
            url: (title, text, report)
            for url, title, text, report in c.execute(
                "SELECT a.url, a.title, a.text, r.url FROM articles a"
                " LEFT JOIN articles r ON r.id = a.report_id"
            )
        }
        members: dict[int, set[str]] = {}
        for story, url in c.execute("SELECT story_id, url FROM articles"):
            members.setdefault(story, set()).add(url)
        headlines = dict(c.execute("SELECT id, headline FROM stories"))
    stories = {(headlines.get(s), frozenset(urls)) for s, urls in members.items()}
    return articles, stories


def scenario(folder: Path, seed: int) -> tuple[int, list[str], int]:
    """Build one store in one go and one by killed-and-resumed runs; return (runs killed,
    articles that differ, stories that differ)."""
    rng = random.Random(seed)
    src = folder / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in _records(seed)) + "\n", encoding="utf-8")
    whole = folder / "whole.db"
    subprocess.run(_command(whole, src), check=True, stdout=subprocess.DEVNULL)
    expected = _snapshot(whole)
    assert len(expected[0]) == N

    resumed = folder / "resumed.db"
    cmd = _command(resumed, src)
    articles = "SELECT COUNT(*) FROM articles"
    clustered = "SELECT COUNT(*) FROM stage_done WHERE stage = 'stories'"
    first, second = sorted(rng.sample(range(1, N - 300), 2))
    moment = 0.0
    kills = [
        lambda db: _count(db, articles) >= first,  # after some batches
        lambda db: _count(db, articles) >= second,
        lambda db: _count(db, clustered) > 0,  # during story clustering
        lambda db: time.time() >= moment,  # wherever the clock says
    ]
    killed = 0
    for ready in kills:
        if _count(resumed, clustered) >= N:
            break
        moment = time.time() + rng.uniform(0.2, 3.0)
        killed += _run_until(cmd, resumed, ready)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    got = _snapshot(resumed)
    assert got[0].keys() == expected[0].keys()
    differing = [u for u in expected[0] if got[0][u] != expected[0][u]]
    with sqlite3.connect(resumed) as c:
        statuses = [r[0] for r in c.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses[-1] in ("ok", "partial") and "running" not in statuses[:-1]
    return killed, differing, len(got[1] ^ expected[1])


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_killed_and_resumed_ingest_equals_uninterrupted(tmp_path: Path) -> None:
    killed, differing, stories = scenario(tmp_path, 14)
    assert killed >= 2
    assert not differing, f"{len(differing)} articles differ, e.g. {differing[:3]}"
    assert stories == 0, f"{stories} stories differ"


def test_template_journal_replays_to_the_same_learner() -> None:
    from manysides.config import Config
    from manysides.extract.templates import TemplateLearner, page_lines

    config = Config().extract
    rng = random.Random(5)
    pool = ALWAYS["politico.example"] + SOMETIMES["ledger.example"] + TOPIC
    learner = TemplateLearner(config)
    snapshot, journals = b"", []
    for batch in range(8):  # one journal per batch, as the ingestor saves them
        for _ in range(40):
            learner.observe_lines(rng.choice(SITES), page_lines("\n".join(rng.sample(pool, 8))))
        journals.append(learner.take_journal())
        assert learner.take_journal() == b""  # taken once
        if batch == 2:  # a run closed here: snapshot written, journal cleared
            snapshot, journals = learner.to_bytes(), []
    rebuilt = TemplateLearner.from_bytes(snapshot, config)
    for journal in journals:
        rebuilt.replay(journal)
    assert rebuilt.to_bytes() == learner.to_bytes()
    assert all(rebuilt.template(s) == learner.template(s) for s in SITES)
    assert any(learner.template(s) for s in SITES)

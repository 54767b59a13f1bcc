"""Ingestion end to end through the real runner: files in, articles out, idempotent, kill-safe."""

from __future__ import annotations

import gzip
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

from manysides.config import Config
from manysides.pipeline import Report, RunContext, run_steps
from manysides.store import Store

WORDS = [
    "government",
    "council",
    "minister",
    "budget",
    "river",
    "storm",
    "election",
    "court",
    "ruling",
    "vote",
    "police",
    "city",
    "hospital",
    "school",
    "market",
    "shares",
    "energy",
    "prices",
    "climate",
    "report",
    "study",
    "officials",
    "residents",
    "protest",
    "company",
    "workers",
    "union",
    "strike",
    "talks",
    "agreement",
    "border",
    "trade",
    "tariffs",
    "summit",
    "leaders",
]


def _text(seed: int, n_words: int = 160) -> str:
    rng = random.Random(seed)
    sentences = []
    for _ in range(n_words // 16):
        words = [rng.choice(WORDS) for _ in range(16)]
        sentences.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def _ingest(db: Path, paths: list[Path]) -> Report:
    with Store(db) as store:
        ctx = RunContext(store=store, config=Config(), paths=paths, report=Report(False))
        return run_steps(ctx, ("ingest",), "ingest")


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return path


def test_jsonl_ingest_is_idempotent(tmp_path: Path) -> None:
    recs = [
        {
            "url": f"https://www.example.com/news/{i}",
            "title": f"Story {i}",
            "text": _text(i),
            "date": f"2024-05-0{i % 9 + 1}T10:00:00Z",
            "source": "example.com",
        }
        for i in range(12)
    ]
    src = _write_jsonl(tmp_path / "a.jsonl.gz", recs)
    db = tmp_path / "m.db"
    first = _ingest(db, [src])
    assert first.counts["articles_new"] == 12
    assert not first.errors
    again = _ingest(db, [src])
    assert again.counts["articles_new"] == 0
    assert again.counts["documents_unchanged"] == 12
    with Store(db) as s:
        assert s.articles.count() == 12
        assert s.articles.document_count() == 12
        row = s.articles.get(1)
        assert row["title"] == "Story 0" and row["published"].startswith("2024-05-01")


def test_bad_records_are_recorded_not_fatal(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    good = {"url": "https://example.com/ok", "title": "Fine", "text": _text(1)}
    src.write_text(
        json.dumps(good)
        + "\n{not json\n"
        + json.dumps({"url": "https://example.com/e"})
        + "\n"
        + json.dumps({"url": "https://example.com/short", "text": "too short"})
        + "\n"
    )
    db = tmp_path / "m.db"
    report = _ingest(db, [src])
    assert report.counts["articles_new"] == 1
    assert sum(report.errors.values()) >= 2
    with Store(db) as s:
        kinds = {e["stage"] for e in s.runs.errors()}
        assert kinds <= {"ingest", "extract"} and kinds
        assert all(e["message"] for e in s.runs.errors())


def test_syndicated_copies_share_one_report(tmp_path: Path) -> None:
    wire = _text(99, 240)
    recs = [
        {"url": "https://paper-one.com/a", "title": "Wire story", "text": wire},
        {
            "url": "https://paper-two.com/b",
            "title": "Wire story",
            "text": "By The Associated Press\n\n"
            + wire
            + "\n\nCopyright 2024 The Associated Press.",
        },
        {"url": "https://paper-three.com/c", "title": "Other", "text": _text(7, 240)},
    ]
    db = tmp_path / "m.db"
    report = _ingest(db, [_write_jsonl(tmp_path / "w.jsonl", recs)])
    assert report.counts["articles_new"] == 3
    with Store(db) as s:
        rows = s.articles.get_many([1, 2, 3])
        assert rows[1]["report_id"] == rows[0]["id"]
        assert rows[2]["report_id"] == rows[2]["id"]
        assert len(s.articles.carriers(rows[0]["id"])) == 2


def test_reprocess_rebuilds_from_documents(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Council approves river plan</title>"
        '<link rel="canonical" href="https://www.example.com/river"></head><body>'
        "<nav>Home | World | Sport</nav><article><h1>Council approves river plan</h1>"
        + "".join(f"<p>{_text(i, 48)}</p>" for i in range(4))
        + "</article><footer>Sign up for our newsletter</footer></body></html>"
    )
    page = tmp_path / "river.html"
    page.write_text(html)
    db = tmp_path / "m.db"
    _ingest(db, [page])
    with Store(db) as s:
        s.execute("UPDATE articles SET text = 'damaged' WHERE id = 1")
        s.conn.commit()
        ctx = RunContext(store=s, config=Config(), report=Report(False))
        run_steps(ctx, ("reprocess",), "reprocess")
        row = s.articles.get(1)
        assert row["text"] != "damaged" and "river" in row["text"].lower()
        assert s.articles.count() == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_kill_9_leaves_a_consistent_store(tmp_path: Path) -> None:
    n = 3000
    recs = [
        {"url": f"https://example.com/k/{i}", "title": f"K {i}", "text": _text(10_000 + i)}
        for i in range(n)
    ]
    src = _write_jsonl(tmp_path / "k.jsonl", recs)
    db = tmp_path / "k.db"
    cmd = [
        sys.executable,
        "-m",
        "manysides",
        "-q",
        "--db",
        str(db),
        "ingest",
        "--no-stories",
        str(src),
    ]
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 60
    while time.time() < deadline:  # kill once some work is committed, well before the end
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=1) as c:
                done = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 200:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _group_gone(proc.pid), "extraction workers outlived their killed parent"
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        orphans = c.execute(
            "SELECT COUNT(*) FROM documents d LEFT JOIN articles a ON a.document_id = d.id"
            " WHERE a.id IS NULL"
        ).fetchone()[0]
    assert 0 < partial < n and orphans == 0
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == n
        assert c.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == n


def _group_gone(pgid: int, timeout: float = 5.0) -> bool:
    """True once no process of the group is left (killing stragglers if not)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(pgid, signal.SIGKILL)
    return False

"""Issue 14 item 4: peak memory of one run stays under 600 MB for inputs at the size limits.

Before the cap, a 21.8 MB local HTML file took 3.2 GB: trafilatura and readability need
100-400 times the markup. Now extraction gets at most ``MAX_EXTRACT_CHARS`` characters
(scripts and styles dropped first, then the end cut, with the reason noted). The run is a
subprocess; ``RUSAGE_CHILDREN`` gives its peak resident set size.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzcampaign import warc_record

from manysides.extract import MAX_EXTRACT_CHARS
from manysides.inputs import MAX_FILE_BYTES, MAX_RECORD_BYTES

LIMIT_MB = 600
OPENING = "<p>" + "Opening words of the story, which the reader must get in full. " * 20 + "</p>\n"
# The costliest markup found: many small nested elements (2 MB of it needed 776 MB).
NESTED = "<div class='c'><span>word</span> <a href='/x'>link</a></div>\n"
PARAGRAPH = "<p>The council voted on the river budget while residents protested outside.</p>\n"


def _page(size: int, unit: str) -> str:
    head = "<html><head><title>Big page</title><script>var x = 1;</script></head><body><article>"
    tail = "</article></body></html>"
    body = unit * ((size - len(head) - len(tail) - len(OPENING)) // len(unit))
    return head + OPENING + body + tail


def _warc(body: bytes) -> bytes:
    return warc_record("https://w.example.com/big", body, n=1)


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage")
def test_peak_rss_for_inputs_at_the_size_limits(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-big.html").write_text(_page(MAX_FILE_BYTES - 1000, NESTED), encoding="utf-8")
    # (JSON escapes each newline: the line is a little longer than the page)
    record = {
        "url": "https://j.example.com/big",
        "html": _page(MAX_RECORD_BYTES * 95 // 100, PARAGRAPH),
    }
    (folder / "b-big.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    page = _page(MAX_RECORD_BYTES - 1000, PARAGRAPH).encode()
    (folder / "c-big.warc").write_bytes(_warc(page))
    db = tmp_path / "m.db"
    # A fresh parent, so that RUSAGE_CHILDREN sees this run alone.
    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(done.stdout + done.stderr)\n"
    )
    ingest = [sys.executable, "-m", "manysides", "-q", "--db", str(db), "ingest", "--no-stories"]
    done = subprocess.run(
        [sys.executable, "-c", measure, *ingest, str(folder)],
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    code, peak_kb = map(int, done.stdout.split())
    assert code == 0, done.stderr
    assert peak_kb / 1024 <= LIMIT_MB, f"peak RSS {peak_kb / 1024:.0f} MB > {LIMIT_MB} MB"
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT url, text FROM articles ORDER BY url").fetchall()
        documents = c.execute("SELECT COUNT(*), SUM(length(body)) FROM documents").fetchone()
    assert len(rows) == 3 and documents[0] == 3  # every body stored whole (compressed)
    for _url, text in rows:
        assert text.startswith("Opening words of the story")
        assert len(text) < MAX_EXTRACT_CHARS

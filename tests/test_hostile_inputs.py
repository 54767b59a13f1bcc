"""Issue 14 regressions: one bad record never takes good ones with it.

Every record-level failure is one recorded per-item error, the run goes on, the exit
code is 1, and every good record is stored. Also: stored-field caps, the charset
fallbacks, and runs killed with kill -9 marked interrupted by the next run.
"""

from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clitools import run_cli
from fuzzcampaign import warc_record

from manysides.fetch.charset import decode, detect_charset
from manysides.fetch.feeds import parse_feed
from manysides.records import MAX_AUTHOR_CHARS, MAX_AUTHORS, MAX_TITLE_CHARS, MAX_URL_CHARS
from manysides.store import Store

WORDS = (
    "council budget river storm election court ruling vote police city hospital school"
    " market shares energy prices climate report study officials residents protest"
).split()


def _text(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(n)]
    return "\n\n".join(" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, n, 20))


def _good(i: int, prefix: str = "good") -> dict:
    return {"url": f"https://news.example.com/{prefix}/{i}", "title": f"Good {i}", "text": _text(i)}


def _write(path: Path, records: list[dict | str]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path


def _ingest(db: Path, *paths: Path) -> int:
    return run_cli(["-q", "--db", str(db), "ingest", "--no-stories", *map(str, paths)])


def _urls(db: Path) -> set[str]:
    with sqlite3.connect(db) as c:
        return {r[0] for r in c.execute("SELECT url FROM articles")}


def _errors(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as c:
        return list(c.execute("SELECT item, message FROM errors"))


def test_surrogates_and_deep_nesting_cost_only_their_records(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "a.jsonl", [_good(i) for i in range(300)])
    surrogate = [
        json.dumps(_good(1000) | {"text": _text(1000) + " \\ud800 end"}).replace(
            "\\\\ud800", "\\ud800"
        ),
        json.dumps(_good(1001) | {"title": "Bad \\udfff title"}).replace("\\\\udfff", "\\udfff"),
        json.dumps(_good(1002) | {"url": "https://news.example.com/s/\\ud800"}).replace(
            "\\\\ud800", "\\ud800"
        ),
    ]
    _write(folder / "b-bad.jsonl", [*surrogate, "[" * 100_000, '{"a":' * 50_000])
    _write(folder / "c.jsonl", [_good(i, "more") for i in range(50)])
    db = tmp_path / "m.db"
    assert _ingest(db, folder) == 1
    urls = _urls(db)
    assert {f"https://news.example.com/good/{i}" for i in range(300)} <= urls
    assert {f"https://news.example.com/more/{i}" for i in range(50)} <= urls
    # records with a lone surrogate are kept, the surrogate replaced
    assert {"https://news.example.com/good/1000", "https://news.example.com/good/1001"} <= urls
    assert "https://news.example.com/s/\ufffd" in urls
    with sqlite3.connect(db) as c:
        title = c.execute("SELECT title FROM articles WHERE url LIKE '%/1001'").fetchone()[0]
    assert title == "Bad \ufffd title"
    errors = _errors(db)
    assert len(errors) == 2 and all("nested too deeply" in m for _, m in errors)


def _warc(records: list[tuple[str | None, bytes]]) -> bytes:
    return b"".join(warc_record(uri, body, n=n) for n, (uri, body) in enumerate(records))


def _page(i: int) -> bytes:
    paras = "".join(f"<p>{line}</p>" for line in _text(i).split("\n\n"))
    return f"<html><head><title>Page {i}</title></head><body><article>{paras}</article></body></html>".encode()


def test_warc_record_without_target_uri_is_one_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "a.jsonl", [_good(i) for i in range(350)])
    (folder / "crawl.warc").write_bytes(
        _warc(
            [
                ("https://w.example.com/1", _page(1)),
                (None, _page(2)),
                ("https://w.example.com/3", _page(3)),
            ]
        )
    )
    db = tmp_path / "m.db"
    assert _ingest(db, folder) == 1
    urls = _urls(db)
    assert {f"https://news.example.com/good/{i}" for i in range(350)} <= urls
    # the records around the broken one are stored: reading resumes at the next record
    assert {"https://w.example.com/1", "https://w.example.com/3"} <= urls
    (error,) = _errors(db)
    assert "crawl.warc" in error[0] and "not readable" in error[1]


def test_garbage_archives_are_recorded_errors(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"WARC/1.0\r\nrandom garbage\r\n\r\n" + random.Random(1).randbytes(3000))
    bad = tmp_path / "bad.arc"
    bad.write_bytes(b"filedesc://x 0.0.0.0 20260101 text/plain 5\nhello\n\n" + b"\x00\xff" * 300)
    requests_only = tmp_path / "requests.warc"
    requests_only.write_bytes(
        b"WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: https://e.com/\r\n"
        b"Content-Length: 18\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n\r\n"
    )
    db = tmp_path / "m.db"
    assert _ingest(db, garbage, bad, requests_only) == 1
    items = sorted(item for item, _ in _errors(db))
    assert len(items) == 3
    assert [Path(i.split("@")[0]).name for i in items] == [
        "bad.arc",
        "garbage.warc",
        "requests.warc",
    ]


def test_unreadable_file_is_one_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip" * 10)
    good = _write(tmp_path / "ok.jsonl", [_good(i) for i in range(5)])
    db = tmp_path / "m.db"
    assert _ingest(db, broken, good) == 1
    assert len(_urls(db)) == 5
    (error,) = _errors(db)
    assert error[0] == str(broken) and "cannot read" in error[1]


@pytest.mark.parametrize("charset", ["punycode", "idna", "undefined", "utf-7", "unicode_escape"])
def test_non_page_charsets_fall_back(tmp_path: Path, charset: str) -> None:
    body = _page(7).replace(b"<head>", f'<head><meta charset="{charset}">'.encode())
    body = body.replace(b"Page 7", "Café 7".encode())
    assert detect_charset(body, charset) == "utf-8"
    assert "Café 7" in decode(body, charset)
    path = tmp_path / "page.html"
    path.write_bytes(body)
    db = tmp_path / "m.db"
    assert _ingest(db, path) == 0
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT title FROM articles").fetchone()[0] == "Café 7"


@pytest.mark.parametrize("encoding", ["punycode", "idna", "undefined"])
def test_feed_with_a_non_page_encoding_is_read(encoding: str) -> None:
    feed = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Café</title><link>https://e.com/a</link></item></channel></rss>"
    ).encode()
    (entry,) = parse_feed(feed, "https://e.com/feed")
    assert entry.title == "Café" and entry.url == "https://e.com/a"


def test_stored_fields_are_capped(tmp_path: Path) -> None:
    huge = "word " * 200_000
    record = _good(1) | {
        "title": huge,
        "authors": ["A" * 5000] + [f"Writer {i}" for i in range(100)],
        "url": "https://news.example.com/" + "x" * 10_000,
        "source": "S" * 100_000,
    }
    db = tmp_path / "m.db"
    assert _ingest(db, _write(tmp_path / "a.jsonl", [record])) == 0
    with sqlite3.connect(db) as c:
        title, authors, url, canonical, site, hints = c.execute(
            "SELECT a.title, a.authors, a.url, a.canonical_url, a.site, d.hints"
            " FROM articles a JOIN documents d ON d.id = a.document_id"
        ).fetchone()
    assert 0 < len(title) <= MAX_TITLE_CHARS
    names = json.loads(authors)
    assert len(names) == MAX_AUTHORS and all(len(n) <= MAX_AUTHOR_CHARS for n in names)
    assert url.startswith("urn:manysides:sha1:") and len(canonical) <= MAX_URL_CHARS
    assert len(site) <= MAX_TITLE_CHARS
    assert all(len(v) <= 2048 for v in json.loads(hints).values())


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_runs_killed_with_kill_9_are_marked_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    here = socket.gethostname()
    owners = {
        "dead": {"pid": _dead_pid(), "host": here, "started": None},
        "alive": {"pid": os.getpid(), "host": here, "started": None},
        "elsewhere": {"pid": _dead_pid(), "host": here + "-other", "started": None},
        "reused": {"pid": os.getpid(), "host": here, "started": "1"},  # same pid, other process
    }
    with Store(db) as store, store.transaction() as c:
        for name, owner in owners.items():
            c.execute(
                "INSERT INTO runs(command, started_at, summary) VALUES (?, ?, ?)",
                (name, "2026-01-01T00:00:00+00:00", json.dumps({"owner": owner})),
            )
    with Store(db) as store:
        run_id = store.runs.start("ingest")
        status = {r["command"]: r["status"] for r in store.runs.last_runs(10)}
    assert status == {
        "dead": "interrupted",
        "alive": "running",
        "elsewhere": "running",
        "reused": "interrupted",
        "ingest": "running",
    }
    with Store(db) as store:
        assert store.runs.reap_stale() == []  # this process still runs its own run
        store.runs.finish(run_id, "ok", {})


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_status_after_kill_9_shows_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    code = (
        "import os, signal, sys\n"
        "from manysides.store import Store\n"
        "s = Store(sys.argv[1]); s.runs.start('ingest'); os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=False)
    with Store(db) as store:
        assert store.runs.last_runs(1)[0]["status"] == "running"
    out = subprocess.run(
        [sys.executable, "-m", "manysides", "--json", "--db", str(db), "status"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["runs"][0]["status"] == "interrupted"


@pytest.mark.parametrize("charset", ["punycode", "idna"])
def test_fetched_page_with_a_non_page_charset_is_saved(http_server: Any, charset: str) -> None:
    import asyncio

    from httpserver import Reply

    from manysides.config import Config, FetchConfig
    from manysides.extract import extract
    from manysides.fetch import Fetcher
    from manysides.records import RawDocument

    body = _page(3).replace(b"Page 3", "Café 3".encode())
    http_server.route("/p", Reply(body=body, content_type=f"text/html; charset={charset}"))

    async def go() -> Any:
        config = FetchConfig(allowed_hosts=("127.0.0.1",), per_host_delay=0.0, retries=0)
        async with Fetcher(config) as f:
            return await f.get(http_server.url("/p"))

    res = asyncio.run(go())
    assert res.charset == "utf-8" and "Café 3" in res.text()
    doc = RawDocument(url=res.final_url, content=res.content, charset=res.charset)
    assert extract(doc, Config().extract).title == "Café 3"

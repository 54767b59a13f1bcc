"""``manysides sources list | add | remove | check`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import run
from httpserver import LocalServer, Reply

from manysides.store import Store


def test_list_json_and_filter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--json", "sources", "list", "--leaning", "right"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["leaning"] == "right" for r in rows)
    assert {"fox-news", "breitbart"} <= {r["id"] for r in rows}
    code, out, _ = run(["sources", "list", "--country", "GB"], capsys)
    assert code == 0 and "BBC News" in out and "Fox News" not in out
    code, _, err = run(["sources", "list", "--leaning", "sideways"], capsys)
    assert code == 2 and "unknown leaning 'sideways'" in err


def test_add_remove_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.toml"
    catalog = tmp_path / "mine.toml"
    cfg.write_text(f'[sources]\ncatalog = "{catalog}"\n')
    base = ["--config", str(cfg)]
    code, out, err = run(
        [
            *base,
            "sources",
            "add",
            "river-gazette",
            "--name",
            "River Gazette",
            "--domain",
            "www.rivergazette.example",
            "--feed",
            "https://rivergazette.example/rss",
            "--leaning",
            "lean-left",
            "--country",
            "us",
        ],
        capsys,
    )
    assert code == 0, err
    assert "added river-gazette" in out and catalog.exists()
    code, out, _ = run([*base, "--json", "sources", "list", "--leaning", "lean-left"], capsys)
    mine = next(r for r in json.loads(out) if r["id"] == "river-gazette")
    assert mine["domains"] == ["rivergazette.example"] and mine["country"] == "US"
    code, _, err = run(
        [
            *base,
            "sources",
            "add",
            "copycat",
            "--name",
            "C",
            "--domain",
            "bbc.co.uk",
            "--feed",
            "https://x.example/f",
        ],
        capsys,
    )
    assert code == 2 and "already belongs to source 'bbc-news'" in err
    code, _, err = run(
        [
            *base,
            "sources",
            "add",
            "bad",
            "--name",
            "B",
            "--domain",
            "b.example",
            "--feed",
            "https://b.example/f",
            "--leaning",
            "far-out",
        ],
        capsys,
    )
    assert code == 2 and "leaning 'far-out'" in err and "Traceback" not in err
    code, out, _ = run([*base, "sources", "remove", "river-gazette"], capsys)
    assert code == 0 and "removed river-gazette" in out
    code, out, _ = run([*base, "sources", "remove", "npr"], capsys)
    assert code == 0 and "disabled npr" in out
    code, out, _ = run([*base, "--json", "sources", "list"], capsys)
    ids = {r["id"] for r in json.loads(out)}
    assert "npr" not in ids and "river-gazette" not in ids and "bbc-news" in ids
    code, _, err = run([*base, "sources", "remove", "no-such"], capsys)
    assert code == 2 and "unknown source 'no-such'" in err and len(err.strip().splitlines()) == 1


def test_check_reports_and_records_feed_health(
    http_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    http_server.route(
        "/good.xml",
        Reply(
            body='<rss version="2.0"><channel><title>t</title><item><title>A</title><link>https://g.example/a</link>'
            "<pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate></item></channel></rss>",
            content_type="application/rss+xml",
        ),
    )
    http_server.route("/gone.xml", Reply(status=410))
    catalog = tmp_path / "mine.toml"
    catalog.write_text(
        f'[sources.good]\nname = "Good"\ndomains = ["g.example"]\nfeeds = ["{http_server.url("/good.xml")}"]\n\n'
        f'[sources.gone]\nname = "Gone"\ndomains = ["gone.example"]\nfeeds = ["{http_server.url("/gone.xml")}"]\n'
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\n\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nper_host_delay = 0.0\nretries = 0\n'
    )
    db = tmp_path / "m.db"
    code, out, _ = run(
        ["--config", str(cfg), "--db", str(db), "--json", "sources", "check"], capsys
    )
    assert code == 1  # one feed failed
    data = json.loads(out)
    assert (data["ok"], data["failed"]) == (1, 1)
    gone, good = data["feeds"]  # sorted by source id
    assert (
        good["entries"] == 1 and good["status"] == 200 and good["newest"].startswith("2026-11-25")
    )
    assert gone["status"] == 410 and "HTTP 410" in gone["error"]
    with Store(db) as store:
        feeds = {f["source_id"]: f for f in store.catalog.feeds()}
        assert feeds["good"]["last_error"] is None and feeds["good"]["entries"] == 1
        assert feeds["gone"]["last_status"] == 410
        # a recorded run of the registered "check" step, the failing feed as its item error
        [last] = store.runs.last_runs(1)
        assert last["command"] == "sources check" and last["status"] == "partial"
        [error] = store.runs.errors(last["id"])
        assert error["stage"] == "check" and error["item"].endswith("/gone.xml")
    code, out, _ = run(["--config", str(cfg), "--db", str(db), "sources", "check", "good"], capsys)
    assert code == 0 and "1 ok, 0 failed" in out
    code, _, err = run(["--config", str(cfg), "--db", str(db), "sources", "check", "nope"], capsys)
    assert code == 2 and "unknown source 'nope'" in err

"""``sources check --report`` and ``sources prune`` on a loopback fixture of 300 feeds:
ok, dead in several ways, redirected, moved and stale; the report is right for each, and
the dead feeds, once pruned, are skipped (with a recorded reason) until they answer again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from clitools import run
from httpserver import LocalServer, Reply, http_server  # noqa: F401

from manysides.errors import UserError
from manysides.health import judge, read_report

N_OK, N_STALE, N_REDIRECTED, N_MOVED = 180, 30, 25, 25
DEAD_KINDS = ("404", "410", "500", "html", "empty")
N_DEAD_EACH = 8  # 40 dead feeds


def _rss(dates: list[datetime]) -> str:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://x.example/{i}</link>"
        f"<pubDate>{format_datetime(d)}</pubDate></item>"
        for i, d in enumerate(dates)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def _fixture(server: LocalServer, now: datetime) -> dict[str, tuple[str, int]]:
    """Route every feed; returns path -> (expected state, expected items)."""
    expected: dict[str, tuple[str, int]] = {}
    fresh = [now - timedelta(hours=h) for h in (1, 5, 30)]
    old = [now - timedelta(days=d) for d in (40, 60)]
    rss = "application/rss+xml"
    for i in range(N_OK):
        server.route(f"/ok/{i}.xml", Reply(body=_rss(fresh), content_type=rss))
        expected[f"/ok/{i}.xml"] = ("ok", 3)
    for i in range(N_STALE):
        server.route(f"/stale/{i}.xml", Reply(body=_rss(old), content_type=rss))
        expected[f"/stale/{i}.xml"] = ("stale", 2)
    for i in range(N_REDIRECTED):
        server.route(f"/temp/{i}.xml", Reply(body=_rss(fresh), content_type=rss))
        server.redirect(f"/r/{i}.xml", server.url(f"/temp/{i}.xml"), status=302)
        expected[f"/r/{i}.xml"] = ("redirected", 3)
    for i in range(N_MOVED):
        server.route(f"/new/{i}.xml", Reply(body=_rss(fresh), content_type=rss))
        server.redirect(f"/hop/{i}.xml", server.url(f"/new/{i}.xml"), status=308)
        server.redirect(f"/m/{i}.xml", server.url(f"/hop/{i}.xml"), status=301)
        expected[f"/m/{i}.xml"] = ("moved", 3)
    for kind in DEAD_KINDS:
        for i in range(N_DEAD_EACH):
            path = f"/dead-{kind}/{i}.xml"
            if kind.isdigit():
                server.route(path, Reply(status=int(kind), body="no"))
            elif kind == "html":
                server.route(path, Reply(body="<html><body><p>Not a feed</p></body></html>"))
            else:
                server.route(path, Reply(body=_rss([]), content_type=rss))
            expected[path] = ("dead", 0)
    return expected


def _setup(tmp_path: Path, server: LocalServer, paths: list[str]) -> list[str]:
    catalog = tmp_path / "mine.toml"
    lines = ["# my catalog: every feed of the fixture", ""]
    for n, path in enumerate(paths):
        lines += [
            f"[sources.s{n:03d}]",
            f'name = "Outlet {n}"',
            f'domains = ["outlet{n}.example"]',
            f'feeds = ["{server.url(path)}"]',
            "",
        ]
    catalog.write_text("\n".join(lines))
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\nstale_days = 14\n\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nper_host_delay = 0.0\nretries = 0\n'
        "per_host_concurrency = 8\nconcurrency = 32\n"
    )
    return ["--config", str(cfg), "--db", str(tmp_path / "m.db")]


def test_health_report_is_right_for_each_feed_and_prune_skips_dead_ones(
    http_server: LocalServer,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = datetime.now(UTC)
    expected = _fixture(http_server, now)
    paths = sorted(expected)
    assert len(paths) >= 300
    base = _setup(tmp_path, http_server, paths)
    report = tmp_path / "health.json"
    code, out, err = run([*base, "--json", "sources", "check", "--report", str(report)], capsys)
    assert code == 1, err  # some feeds failed
    checked_at, feeds = read_report(report)
    assert checked_at.startswith(now.date().isoformat()[:4])
    assert len(feeds) == len(paths)
    by_path = {f.url.removeprefix(http_server.base): f for f in feeds}
    for path, (state, items) in expected.items():
        f = by_path[path]
        assert (f.state, f.items) == (state, items), (path, f)
        if state in ("ok", "stale", "redirected", "moved"):
            assert f.status == 200 and f.last_item is not None, path
        if state == "stale":
            assert "days old" in f.reason and f.last_item < (now - timedelta(days=39)).isoformat()
        if state == "redirected":
            assert f.redirects == ((302, http_server.url(path.replace("/r/", "/temp/"))),)
            assert f.final_url.endswith(path.replace("/r/", "/temp/"))
        if state == "moved":
            new = http_server.url(path.replace("/m/", "/new/"))
            assert [s for s, _ in f.redirects] == [301, 308] and f.final_url == new
            assert f.reason == f"moved permanently to {new}"
        if state == "ok":
            assert f.redirects == () and f.reason == "" and f.final_url == f.url
    dead = {p: by_path[p] for p, (s, _) in expected.items() if s == "dead"}
    assert all(f.status == 404 and "HTTP 404" in f.reason for p, f in dead.items() if "-404" in p)
    assert all("HTTP 410" in f.reason for p, f in dead.items() if "-410" in p)
    assert all("HTTP 500" in f.reason for p, f in dead.items() if "-500" in p)
    assert all(f.reason == "the feed lists no item" for p, f in dead.items() if "empty" in p)
    assert all(f.reason for f in dead.values())
    data = json.loads(report.read_text())
    assert data["counts"] == {
        "dead": len(DEAD_KINDS) * N_DEAD_EACH,
        "stale": N_STALE,
        "moved": N_MOVED,
        "redirected": N_REDIRECTED,
        "ok": N_OK,
    }
    # each feed was fetched exactly once (a redirect hop is its own path)
    assert all(http_server.hits(p) == 1 for p in paths)

    code, out, err = run(
        [*base, "--json", "sources", "prune", str(report), "--follow-moves"], capsys
    )
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["marked"], summary["revived"], summary["moved"]) == (40, 0, N_MOVED)
    catalog_text = (tmp_path / "mine.toml").read_text()
    assert catalog_text.startswith("# my catalog: every feed of the fixture")  # tomlkit kept it
    code, out, _ = run([*base, "--json", "sources", "list"], capsys)
    listed = {s["id"]: s for s in json.loads(out)}
    marked = {u: why for s in listed.values() for u, why in s["dead_feeds"].items()}
    assert {u.removeprefix(http_server.base) for u in marked} == set(dead)
    assert all(f"(sources check {checked_at[:10]})" in why for why in marked.values())
    moved = [s for s in listed.values() if any("/new/" in u for u in s["feeds"])]
    assert len(moved) == N_MOVED
    assert all("moved permanently from" in next(iter(s["feed_provenance"].values())) for s in moved)

    # the next check skips the dead feeds, saying so; their paths are not fetched again
    code, out, err = run([*base, "--json", "sources", "check"], capsys)
    assert code == 0, err  # nothing failed: the dead ones were not tried
    rows = json.loads(out)["feeds"]
    assert len(rows) == len(paths) - len(dead)
    assert all(http_server.hits(p) == 1 for p in dead)
    # one dead feed answers again: --include-dead finds it, prune unmarks it
    revived = sorted(dead)[0]
    http_server.route(revived, Reply(body=_rss([now]), content_type="application/rss+xml"))
    again = tmp_path / "again.json"
    code, out, err = run(
        [*base, "--json", "sources", "check", "--include-dead", "--report", str(again)], capsys
    )
    assert code == 1
    code, out, err = run([*base, "--json", "sources", "prune", str(again)], capsys)
    summary = json.loads(out)
    assert summary["revived"] == 1 and summary["marked"] == 0
    code, out, _ = run([*base, "--json", "sources", "list"], capsys)
    still = {u for s in json.loads(out) for u in s["dead_feeds"]}
    assert len(still) == len(dead) - 1 and http_server.url(revived) not in still


def test_the_fetch_step_skips_dead_feeds_with_a_note(
    http_server: LocalServer,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    http_server.route("/gone.xml", Reply(status=410))
    catalog = tmp_path / "mine.toml"
    catalog.write_text(
        f'[sources.gone]\nname = "Gone"\ndomains = ["gone.example"]\nfeeds = ["{http_server.url("/gone.xml")}"]\n'
        f'[sources.gone.dead_feeds]\n"{http_server.url("/gone.xml")}" = "HTTP 410 (sources check 2026-12-01)"\n'
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\n\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nper_host_delay = 0.0\nretries = 0\n'
    )
    base = ["--config", str(cfg), "--db", str(tmp_path / "m.db")]
    code, out, err = run([*base, "--json", "brief", "--steps", "fetch"], capsys)
    data = json.loads(out)
    assert data["counts"]["feeds_skipped_dead"] == 1
    assert any("HTTP 410 (sources check 2026-12-01)" in n for n in data["notes"])
    assert http_server.hits("/gone.xml") == 0


def test_judge_states_and_bad_reports(tmp_path: Path) -> None:
    now = datetime(2026, 12, 2, tzinfo=UTC)
    common = {"source": "s", "url": "https://a.example/f", "kind": "feed", "now": now}
    ok = judge(
        **common, status=200, error=None, final_url="", redirects=(), dates=[now], stale_days=3
    )
    assert ok.state == "ok" and ok.final_url == "https://a.example/f"
    undated = judge(
        **common, status=200, error=None, final_url="", redirects=(), dates=[None], stale_days=3
    )
    assert undated.state == "ok" and undated.last_item is None and undated.items == 1
    # dead beats stale beats moved beats redirected
    old = [now - timedelta(days=5)]
    hop = [(301, "https://b.example/f")]
    assert (
        judge(
            **common, status=200, error=None, final_url="x", redirects=hop, dates=old, stale_days=3
        ).state
        == "stale"
    )
    assert (
        judge(
            **common,
            status=200,
            error=None,
            final_url="x",
            redirects=hop,
            dates=[now],
            stale_days=3,
        ).state
        == "moved"
    )
    mixed = [(301, "https://b.example/f"), (302, "https://c.example/f")]
    assert (
        judge(
            **common,
            status=200,
            error=None,
            final_url="x",
            redirects=mixed,
            dates=[now],
            stale_days=3,
        ).state
        == "redirected"
    )
    assert (
        judge(
            **common,
            status=404,
            error="HTTP 404",
            final_url="",
            redirects=(),
            dates=[],
            stale_days=3,
        ).reason
        == "HTTP 404"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"feeds": []}')
    with pytest.raises(UserError, match="not a report"):
        read_report(bad)
    bad.write_text("{nope")
    with pytest.raises(UserError, match="not a JSON report"):
        read_report(bad)
    bad.write_text('{"format": "manysides feed health report 1", "feeds": [{"url": 1}]}')
    with pytest.raises(UserError, match="damaged feed entry"):
        read_report(bad)

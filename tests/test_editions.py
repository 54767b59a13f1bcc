"""Editions: resolving a name to outlets, the edition's own briefing, files and email,
and the default (national) briefing left as it was."""

from __future__ import annotations

import email
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from briefing_data import ALL_SOURCES, NOW, fill_store, perspective
from clitools import run
from smtpinbox import Inbox, free_port

from manysides.config import Config, config_from_dict
from manysides.editions import resolve_edition, slugify
from manysides.errors import ConfigError, UserError
from manysides.pipeline import RunContext
from manysides.pipeline.briefing import briefing_step
from manysides.records import Source
from manysides.sources import Catalog
from manysides.store import Store


@pytest.fixture()
def smtp() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _catalog() -> Catalog:
    def src(sid: str, cats: tuple[str, ...], lang: str = "en", enabled: bool = True) -> Source:
        return Source(
            id=sid,
            name=sid,
            domains=(f"{sid}.example",),
            feeds=(f"https://{sid}.example/rss",),
            categories=cats,
            language=lang,
            enabled=enabled,
        )

    return Catalog(
        (
            src("left-news", ("USA | Texas",)),
            src("center-wire", ("USA | Texas", "World")),
            src("leanright-post", ("World",)),
            src("zeitung", ("Germany",), "de"),
            src("off", ("USA | Texas",), enabled=False),
        )
    )


def test_resolve_a_category_a_configured_edition_and_bad_names() -> None:
    cfg = config_from_dict(
        {
            "editions": {
                "texas": {
                    "title": "Texas today",
                    "categories": ["USA | Texas"],
                    "sources": ["leanright-post"],
                    "min_outlets": 1,
                    "recipients": ["tx@example.org"],
                },
                "deutsch": {"languages": ["de"]},
            }
        }
    )
    catalog = _catalog()
    texas = resolve_edition("USA | Texas", cfg, catalog)
    assert texas.slug == "usa-texas" and texas.sources == ("left-news", "center-wire")
    assert texas.title == "manysides daily briefing: USA | Texas" and texas.min_outlets == 2
    named = resolve_edition("texas", cfg, catalog)
    assert named.sources == ("left-news", "center-wire", "leanright-post")
    assert (named.title, named.min_outlets, named.recipients) == (
        "Texas today",
        1,
        ("tx@example.org",),
    )
    assert resolve_edition("deutsch", cfg, catalog).sources == ("zeitung",)
    with pytest.raises(UserError, match="did you mean 'USA | Texas'"):
        resolve_edition("USA | Texsa", cfg, catalog)
    with pytest.raises(UserError, match=r"configured: deutsch, texas"):
        resolve_edition("Mars", cfg, catalog)
    bad = config_from_dict({"editions": {"x": {"sources": ["nope"]}}})
    with pytest.raises(UserError, match="unknown source 'nope'"):
        resolve_edition("x", bad, catalog)
    with pytest.raises(UserError, match="selects no enabled outlet"):
        resolve_edition("x", config_from_dict({"editions": {"x": {"languages": ["fr"]}}}), catalog)
    assert slugify(" Healthcare | USA ") == "healthcare-usa"


def test_edition_config_rejects_unknown_keys_and_bad_values() -> None:
    with pytest.raises(ConfigError, match="unknown config key 'editions.texas.colour'"):
        config_from_dict({"editions": {"texas": {"colour": "red"}}})
    with pytest.raises(ConfigError, match="editions.texas.categories"):
        config_from_dict({"editions": {"texas": {"categories": "USA | Texas"}}})


def _fill(store: Store) -> None:
    fill_store(
        store,
        [
            perspective(1, ALL_SOURCES, first_id=1, headline="Budget deal"),
            perspective(2, ALL_SOURCES[:3], first_id=6, headline="Border bill", section="World"),
            perspective(4, ALL_SOURCES[3:], first_id=9, headline="Right side story"),
        ],
    )


def test_edition_briefing_has_its_own_stories_history_and_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cfg = Config().replace("briefing", output_dir=str(out))
    catalog = _catalog()
    edition = resolve_edition("USA | Texas", cfg, catalog)
    with Store(tmp_path / "db.sqlite") as store:
        _fill(store)
        ctx = RunContext(store=store, config=cfg, now=NOW, options={"edition": edition})
        briefing_step(ctx)
        data = store.editions.briefing("usa-texas", "2026-03-10")
        assert data is not None and data["title"] == "manysides daily briefing: USA | Texas"
        ids = [i["perspective"]["story_id"] for s in data["sections"] for i in s["items"]]
        assert ids == [1, 2]  # story 4 has none of the edition's outlets
        assert store.briefings.briefing("2026-03-10") is None  # the default is untouched
        assert store.editions.index("usa-texas")[0]["n_stories"] == 2
        assert store.briefings.appearances(1) == []  # nor its story history
        # and the default briefing of the same store still has every story
        briefing_step(RunContext(store=store, config=cfg, now=NOW))
        default = store.briefings.briefing("2026-03-10")
        every = {i["perspective"]["story_id"] for s in default["sections"] for i in s["items"]}
        assert every == {1, 2, 4}
    root = out / "editions" / "usa-texas"
    page = (root / "2026-03-10" / "index.html").read_text()
    assert "Budget deal" in page and "Right side story" not in page
    assert "USA | Texas" in page
    assert "2026-03-10/index.html" in (root / "index.html").read_text()
    feed = (root / "feed.atom").read_text()
    assert "<entry>" in feed and "editions/usa-texas/feed.atom" in feed
    assert (root / "2026-03-10" / "email.html").exists() and (root / "manysides.css").exists()
    assert "Right side story" in (out / "2026-03-10" / "index.html").read_text()


def test_brief_show_and_send_an_edition_through_the_cli(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    catalog = tmp_path / "mine.toml"
    lines = []
    for sid in ALL_SOURCES:
        cats = '["USA | Texas"]' if sid in ("left-news", "center-wire") else '["World"]'
        lines += [
            f"[sources.{sid}]",
            f'name = "{sid}"',
            f'domains = ["{sid}.example"]',
            f'feeds = ["https://{sid}.example/rss"]',
            f"categories = {cats}",
            "",
        ]
    catalog.write_text("\n".join(lines))
    out = tmp_path / "out"
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\n\n'
        f'[briefing]\noutput_dir = "{out}"\n\n'
        f'[email]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "brief@example.org"\nrecipients = ["all@example.org"]\n\n'
        '[editions.texas]\ntitle = "Texas today"\ncategories = ["USA | Texas"]\n'
        'recipients = ["tx@example.org"]\n'
    )
    db = tmp_path / "m.db"
    with Store(db) as store:
        _fill(store)
    base = ["--config", str(cfg), "--db", str(db)]
    code, out_text, err = run(
        [
            *base,
            "--json",
            "brief",
            "--edition",
            "texas",
            "--steps",
            "briefing",
            "--as-of",
            NOW.isoformat(),
        ],
        capsys,
    )
    assert code == 0, err
    assert json.loads(out_text)["counts"]["briefing_stories"] == 2
    assert (out / "editions" / "texas" / "2026-03-10" / "index.html").exists()
    code, shown, err = run([*base, "show", "--edition", "texas"], capsys)
    assert code == 0 and "Texas today" in shown and "Right side story" not in shown
    code, _, err = run([*base, "show"], capsys)
    assert code == 2 and "no briefing yet" in err  # the default was not built
    code, sent, err = run([*base, "--json", "send", "--edition", "texas"], capsys)
    assert code == 0, err
    assert json.loads(sent)["recipients"] == ["tx@example.org"]
    [(rcpt, raw)] = inbox.messages
    assert rcpt == ["tx@example.org"]
    assert "Texas today" in str(email.message_from_bytes(raw)["Subject"])
    code, _, err = run([*base, "brief", "--edition", "Mars", "--steps", "briefing"], capsys)
    assert code == 2 and "no edition 'Mars'" in err
    code, _, err = run([*base, "brief", "--edition", "texas", "--sample"], capsys)
    assert code == 2


def test_the_web_app_serves_an_edition_page_and_feed(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from manysides.web import create_app

    cfg = Config().replace("briefing", output_dir=str(tmp_path / "out"))
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        _fill(store)
        edition = resolve_edition("USA | Texas", cfg, _catalog())
        briefing_step(RunContext(store=store, config=cfg, now=NOW, options={"edition": edition}))
        owned = Source(
            id="left-news",
            name="Left News",
            domains=("left-news.example",),
            leaning="left",
            owner="Left Holdings <plc>",
            ownership_type="Private Media",
            categories=("USA | Texas",),
            language="en",
        )
        store.catalog.sync_sources([owned])
    with TestClient(create_app(cfg, db)) as client:
        outlet = client.get("/outlet/left-news").text
        assert "Left Holdings &lt;plc&gt;" in outlet and "USA | Texas" in outlet
        api = client.get("/api/outlets/left-news").json()
        assert (api["owner"], api["ownership_type"], api["categories"]) == (
            "Left Holdings <plc>",
            "Private Media",
            ["USA | Texas"],
        )
        page = client.get("/editions/usa-texas")
        assert page.status_code == 200 and "Budget deal" in page.text
        assert "Right side story" not in page.text
        feed = client.get("/editions/usa-texas/feed.atom")
        assert feed.status_code == 200 and "editions/usa-texas/feed.atom" in feed.text
        assert client.get("/editions/mars").status_code == 404
        assert client.get("/editions/mars/feed.atom").status_code == 404
        assert client.get("/editions/Bad%20Slug").status_code in (404, 422)
        assert "No briefing" in client.get("/").text  # the default was not built


def test_run_builds_every_configured_edition_after_the_daily_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import time

    from manysides.pipeline import Report
    from manysides.pipeline.briefing import Schedule, run_schedule
    from manysides.registrations import BRIEF_STEPS

    calls: list[tuple[tuple[str, ...], str]] = []

    def fake_run_steps(ctx, steps, command):  # noqa: ANN001, ANN202
        edition = ctx.options.get("edition")
        calls.append((tuple(steps), edition.slug if edition else ""))
        return ctx.report

    class Stop:
        def is_set(self) -> bool:
            return False

        def wait(self, timeout: float) -> bool:
            return False

    monkeypatch.setattr("manysides.pipeline.run_steps", fake_run_steps)
    catalog = tmp_path / "mine.toml"
    catalog.write_text(
        '[sources.a]\nname = "A"\ndomains = ["a.example"]\nfeeds = ["https://a.example/rss"]\n'
        'categories = ["USA | Texas"]\n'
    )
    cfg = config_from_dict(
        {
            "sources": {"catalog": str(catalog), "use_builtin": False},
            "editions": {"texas": {"categories": ["USA | Texas"]}},
        }
    )
    cycles = run_schedule(
        lambda: Store(tmp_path / "db.sqlite"),
        cfg,
        Schedule(every=600, build_at=time(0, 0), iterations=2),
        Report,
        lambda line: None,
        Stop(),  # type: ignore[arg-type]
    )
    assert cycles == 2
    assert calls == [
        (BRIEF_STEPS, ""),
        (("quotes", "perspectives", "briefing"), "texas"),
        (("fetch", "stories"), ""),
    ]
    bad = config_from_dict(
        {
            "sources": {"catalog": str(catalog), "use_builtin": False},
            "editions": {"mars": {"categories": ["Mars"]}},
        }
    )
    with pytest.raises(UserError, match="selects no enabled outlet"):
        run_schedule(
            lambda: Store(tmp_path / "db.sqlite"),
            bad,
            Schedule(every=600, build_at=time(0, 0), iterations=1),
            Report,
            lambda line: None,
            Stop(),  # type: ignore[arg-type]
        )

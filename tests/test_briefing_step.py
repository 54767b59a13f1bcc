"""The pipeline step: store in, briefing row and files out; repeats need new reporting."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from briefing_data import ALL_SOURCES, NOW, article, fill_store, perspective
from clitools import run_cli

from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.pipeline.briefing import briefing_date, briefing_step
from manysides.records import Article
from manysides.store import Store


def _ctx(store: Store, out: Path, now: datetime) -> RunContext:
    cfg = Config().replace("briefing", output_dir=str(out))
    return RunContext(store=store, config=cfg, now=now)


def _stories():  # noqa: ANN202
    return [
        perspective(1, ALL_SOURCES, first_id=1, headline="Budget deal"),
        perspective(2, ALL_SOURCES[:3], first_id=6, section="World"),
        perspective(3, ALL_SOURCES[:1], first_id=9),  # one outlet: below min_outlets
    ]


def test_step_saves_and_renders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store(tmp_path / "db.sqlite") as store:
        fill_store(store, _stories())
        ctx = _ctx(store, out, NOW)
        briefing_step(ctx)
        assert ctx.report.counts["briefing_stories"] == 2
        data = store.briefings.briefing("2026-03-10")
        assert data is not None and data["schema_version"] == 1
        assert [i["perspective"]["story_id"] for s in data["sections"] for i in s["items"]] == [
            1,
            2,
        ]
        assert store.briefings.appearances(1)[0]["max_article_id"] == 5
        assert store.briefings.index()[0]["n_stories"] == 2
    day = out / "2026-03-10"
    for name in ("index.html", "email.html", "briefing.txt", "briefing.md", "briefing.json"):
        assert (day / name).stat().st_size > 0
    assert json.loads((day / "briefing.json").read_text())["date"] == "2026-03-10"
    assert "Budget deal" in (day / "index.html").read_text()
    assert "2026-03-10/index.html" in (out / "index.html").read_text()
    assert "<entry>" in (out / "feed.atom").read_text()
    assert (out / "manysides.css").exists()
    assert not list(out.rglob("*.tmp"))
    assert str(day / "index.html") in ctx.report.messages


def test_next_day_repeats_only_with_new_reporting(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store(tmp_path / "db.sqlite") as store:
        stories = _stories()
        fill_store(store, stories)
        briefing_step(_ctx(store, out, NOW))
        # Next day: story 1 gets a new article from a new outlet; story 2 gets nothing.
        later = NOW + timedelta(hours=24)
        p1 = stories[0]
        new = article(10, "center-wire", title="Budget deal: what changes", now=later, hours_ago=1)
        new.outlet = "Extra Outlet"
        saved = store.articles.save_article(
            Article(
                url=new.url,
                canonical_url=new.url,
                title=new.title,
                text="New text.",
                published=datetime.fromisoformat(new.published),
                source_id="center-wire",
                site=new.outlet,
            )
        )
        assert saved.id == 10
        store.stories.assign(10, 1)
        store.stories.refresh(1)
        p1.articles.append(new)
        p1.coverage.n_articles += 1
        p1.coverage.latest_report = new.published
        store.briefings.save_perspective(1, p1.coverage.n_articles, p1.to_dict())
        ctx = _ctx(store, out, later)
        briefing_step(ctx)
        data = store.briefings.briefing("2026-03-11")
        items = [i for s in data["sections"] for i in s["items"]]
        assert [i["perspective"]["story_id"] for i in items] == [1]
        assert items[0]["whats_new"]["since"] == "2026-03-10"
        assert items[0]["whats_new"]["new_outlets"] == ["Extra Outlet"]
        assert [a["id"] for a in items[0]["whats_new"]["new_articles"]] == [10]
        assert [c["story_id"] for c in data["continuing"]] == [2]  # one line, no new reporting
    html = (out / "2026-03-11" / "index.html").read_text()
    assert "What&#39;s new since 2026-03-10" in html or "What's new since 2026-03-10" in html
    assert "Continuing" in html and 'href="../2026-03-10/index.html#story-2"' in html
    archive = (out / "index.html").read_text()
    assert "2026-03-10/index.html" in archive and "2026-03-11/index.html" in archive


def test_empty_store_still_renders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store(tmp_path / "db.sqlite") as store:
        ctx = _ctx(store, out, NOW)
        briefing_step(ctx)
        assert ctx.report.counts["briefing_stories"] == 0
    assert "No stories yet" in (out / "2026-03-10" / "index.html").read_text()


def test_briefing_date_uses_timezone() -> None:
    cfg = Config().briefing
    late = datetime.fromisoformat("2026-03-10T23:30:00+00:00")
    assert briefing_date(late, cfg) == "2026-03-10"
    tokyo = Config().replace("briefing", timezone="Asia/Tokyo").briefing
    assert briefing_date(late, tokyo) == "2026-03-11"


def test_files_are_world_readable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        with Store(tmp_path / "db.sqlite") as store:
            briefing_step(_ctx(store, out, NOW))
    finally:
        os.umask(previous)
    assert (out / "2026-03-10" / "index.html").stat().st_mode & 0o777 == 0o644


def test_show_command(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "db.sqlite"
    assert run_cli(["--db", str(db), "show"]) == 2
    assert "no briefing yet" in capsys.readouterr().err
    with Store(db) as store:
        fill_store(store, _stories())
        briefing_step(_ctx(store, tmp_path / "out", NOW))
    assert run_cli(["--db", str(db), "show"]) == 0
    assert "Budget deal" in capsys.readouterr().out
    assert run_cli(["--db", str(db), "show", "--format", "markdown", "--date", "2026-03-10"]) == 0
    assert capsys.readouterr().out.startswith("# manysides daily briefing")
    assert run_cli(["--db", str(db), "show", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["date"] == "2026-03-10"
    assert run_cli(["--db", str(db), "show", "-f", "pdf"]) == 2
    assert run_cli(["--db", str(db), "show", "--date", "2026-03-01"]) == 2


def test_unwritable_output_dir_is_one_clear_error(tmp_path: Path) -> None:
    import pytest

    from manysides.errors import UserError

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with Store(tmp_path / "db.sqlite") as store, pytest.raises(UserError, match="output_dir"):
        briefing_step(_ctx(store, blocker / "out", NOW))

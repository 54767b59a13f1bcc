"""quotes_step: recent stories only, what it stores, per-article errors; the CLI."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from manysides.cli import main
from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.pipeline.quotes import STAGE, VERSION, quotes_step
from manysides.quotes.merge import quote_from_row, quote_key
from manysides.quotes.records import verbatim
from manysides.records import Article
from manysides.store import Store

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
TEXT = (
    "Mayor Ana Ruiz opened the bridge on Monday.\n\n"
    "“This bridge belongs to everyone,” Ruiz said. “We waited ten years.”\n\n"
    "Critics said that the project ran far over budget."
)


def _article(store: Store, n: int, text: str, published: datetime, story: int) -> int:
    saved = store.articles.save_article(
        Article(
            url=f"https://o{n}.example/a",
            title=f"Bridge {n}",
            text=text,
            canonical_url=f"https://o{n}.example/a",
            published=published,
            site=f"Outlet {n}",
        )
    )
    store.stories.assign(saved.id, story)
    store.stories.refresh(story)
    return saved.id


# These stories have one outlet each; by default the step skips stories the briefing
# cannot show (fewer than briefing.min_outlets outlets).
ONE_OUTLET = Config().replace("briefing", min_outlets=1)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "q.db")
    s.stories.create(1, "Bridge opens", "2024-05-06T08:00:00+00:00")
    s.stories.create(2, "Old story", "2024-04-01T08:00:00+00:00")
    return s


def test_step_skips_stories_with_too_few_outlets(store: Store) -> None:
    fresh = _article(store, 1, TEXT, datetime(2024, 5, 6, 9, 0, tzinfo=UTC), 1)
    quotes_step(RunContext(store=store, config=Config(), now=NOW))  # min_outlets = 2
    assert store.quotes.for_article(fresh) == []
    assert store.runs.pending(STAGE, VERSION) == [fresh]  # picked up once it qualifies
    second = _article(store, 3, TEXT, datetime(2024, 5, 6, 10, 0, tzinfo=UTC), 1)
    quotes_step(RunContext(store=store, config=Config(), now=NOW))
    assert store.quotes.for_article(fresh) and store.quotes.for_article(second)


def test_step_stores_quotes_of_recent_stories_only(store: Store) -> None:
    fresh = _article(store, 1, TEXT, datetime(2024, 5, 6, 9, 0, tzinfo=UTC), 1)
    old = _article(store, 2, TEXT, datetime(2024, 4, 1, 9, 0, tzinfo=UTC), 2)
    ctx = RunContext(store=store, config=ONE_OUTLET, now=NOW)
    quotes_step(ctx)
    rows = store.quotes.for_article(fresh)
    assert rows and all(verbatim(TEXT, quote_from_row(r)) for r in rows)
    assert all(r["quote_key"] == quote_key(r["text"]) for r in rows)
    first = rows[0]
    assert first["text"] == "“This bridge belongs to everyone,” … “We waited ten years.”"
    assert first["speaker"] == "Ana Ruiz" and json.loads(first["fragments"])[0][0] == first["start"]
    assert store.quotes.entities_for_article(fresh)
    assert store.quotes.for_article(old) == []
    assert ctx.report.counts["quotes_found"] == len(rows)
    assert ctx.report.counts["articles_quoted"] == 1
    assert store.runs.pending(STAGE, VERSION) == [old]
    # the option processes everything pending, and a re-run does not duplicate
    quotes_step(RunContext(store=store, config=Config(), now=NOW, options={"all_quotes": True}))
    assert len(store.quotes.for_article(old)) == len(rows)
    assert store.runs.pending(STAGE, VERSION) == []
    items = store.quotes.story_items(1)
    assert {r["outlet"] for r in items} == {"Outlet 1"}


def test_step_records_per_article_errors(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _article(store, 1, TEXT, datetime(2024, 5, 6, 9, 0, tzinfo=UTC), 1)
    bad = _article(store, 2, "BOOM " + TEXT, datetime(2024, 5, 6, 9, 0, tzinfo=UTC), 1)
    from manysides.quotes import analyzer as mod

    real = mod.QuoteAnalyzer._first_pass

    def flaky(self, text, doc):  # noqa: ANN001, ANN202
        if text.startswith("BOOM"):
            raise ValueError("synthetic failure")
        return real(self, text, doc)

    monkeypatch.setattr(mod.QuoteAnalyzer, "_first_pass", flaky)
    ctx = RunContext(store=store, config=Config(), now=NOW)
    quotes_step(ctx)
    assert store.quotes.for_article(good) and store.quotes.for_article(bad) == []
    errors = store.runs.errors()
    assert [e["item"] for e in errors] == [str(bad)] and "synthetic failure" in errors[0]["message"]
    assert ctx.report.errors["item"] == 1
    assert store.runs.pending(STAGE, VERSION) == []


def test_disabled_step_does_nothing(store: Store) -> None:
    _article(store, 1, TEXT, datetime(2024, 5, 6, 9, 0, tzinfo=UTC), 1)
    cfg = Config().replace("quotes", enabled=False)
    quotes_step(RunContext(store=store, config=cfg, now=NOW))
    assert store.quotes.count() == 0


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_jsonl_with_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps({"id": "a", "text": TEXT}),
        "{oops",
        json.dumps({"id": 7}),
        json.dumps([1, 2]),
        json.dumps({"id": "b", "text": ""}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = _run(["quotes", "--input", str(src), "--output", str(dst)], capsys)
    assert code == 1 and "3 line(s)" in err and "Traceback" not in err
    rows = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, 7, None, "b"]
    assert all("error" in r for r in rows[1:4]) and rows[4] == {"id": "b", "quotes": []}
    quote = rows[0]["quotes"][0]
    assert set(quote) == {
        "text",
        "start",
        "end",
        "speaker",
        "speaker_start",
        "speaker_end",
        "cue",
        "direct",
        "confidence",
        "basis",
        "fragments",
    }
    assert all(TEXT[f["start"] : f["end"]] == f["text"] for f in quote["fragments"])
    unknown = [q for q in rows[0]["quotes"] if q["speaker"] is None]
    assert all(q["confidence"] == 0 for q in unknown)


def test_cli_stdin_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": 1, "text": TEXT}) + "\n"))
    code, out, _ = _run(["quotes"], capsys)
    assert code == 0 and json.loads(out)["quotes"][0]["speaker"] == "Ana Ruiz"


def test_cli_missing_input_is_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["quotes", "--input", str(tmp_path / "nope.jsonl")], capsys)
    assert code == 2 and "no such input file" in err


def test_missing_model_is_one_clear_error(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _article(store, 1, TEXT, datetime(2024, 5, 6, 9, 0, tzinfo=UTC), 1)
    cfg = ONE_OUTLET.replace("quotes", spacy_model="no_such_model_xyz")
    ctx = RunContext(store=store, config=cfg, now=NOW)
    quotes_step(ctx)
    errors = store.runs.errors()
    assert len(errors) == 1 and "no_such_model_xyz" in errors[0]["message"]
    config = tmp_path / "c.toml"
    config.write_text('[quotes]\nspacy_model = "no_such_model_xyz"\n', encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": TEXT}) + "\n", encoding="utf-8")
    code, _, err = _run(["--config", str(config), "quotes", "--input", str(src)], capsys)
    assert code == 2 and "no_such_model_xyz" in err and "Traceback" not in err

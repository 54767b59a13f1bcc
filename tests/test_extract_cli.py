"""``manysides extract``: JSON Lines in and out, order, per-line errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import run

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _inputs() -> list[str]:
    html = (FIXTURES / "news-article.html").read_text(encoding="utf-8")
    junk = (FIXTURES / "inline-junk.html").read_text(encoding="utf-8")
    dump = (FIXTURES / "crawler-dump.txt").read_text(encoding="utf-8")
    return [
        json.dumps({"id": "a", "url": "https://coastalledger.example/a", "html": html}),
        json.dumps({"id": 2, "text": dump}),
        "{not json",
        json.dumps({"id": "c", "html": "<html><body><p>Too short.</p></body></html>"}),
        json.dumps({"id": "d", "title": "no content"}),
        json.dumps({"id": "e", "html": junk}),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_extract_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str], workers: int) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(_inputs()) + "\n", encoding="utf-8")
    code, _, err = run(
        ["extract", "--input", str(src), "--output", str(dst), "--workers", str(workers)], capsys
    )
    assert code == 1  # some lines failed, the run went on
    assert "3 of 6 inputs" in err and "Traceback" not in err
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, None, "c", "d", "e"]
    first = rows[0]
    assert set(first) == {"id", "title", "authors", "date", "site", "language", "text"}
    assert first["title"].startswith("Harbour council approves")
    assert first["authors"] == ["Maria Okafor"] and first["date"].startswith("2024-05-14T09:30")
    assert first["site"] == "The Coastal Ledger" and first["language"] == "en"
    assert "Sign up" not in rows[1]["text"] and "Lower Ashby" in rows[1]["text"]
    assert "malformed JSON" in rows[2]["error"] and rows[2]["text"] == ""
    assert "no usable article text" in rows[3]["error"]
    assert "neither" in rows[4]["error"]
    assert "error" not in rows[5] and "Drought fears" not in rows[5]["text"]


def test_extract_stdin_stdout_and_explain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    line = _inputs()[-1]
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    code, out, err = run(["extract", "--explain", "--workers", "1"], capsys)
    assert code == 0
    row = json.loads(out)
    assert {
        "rule": "credit-line",
        "text": "(Reporting by Paul Dreyer; Editing by Anna Castillo)",
    } in row["removed"]
    assert "e\trelated-list\tRail freight strike ends after three days" in err


def test_missing_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["extract", "--input", str(tmp_path / "nope.jsonl")], capsys)
    assert code == 2 and "cannot read" in err


def test_rules_table_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from manysides.extract import RULES, STRUCTURAL

    code, out, _ = run(["--json", "extract", "--rules"], capsys)
    assert code == 0
    names = [row["rule"] for row in json.loads(out)]
    assert names == [r.name for r in RULES] + list(STRUCTURAL)

"""`manysides summarize`: JSONL in, JSONL out, one error line per bad input line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from clitools import run
from perspectives_data import QUAKE


def _story_line(story: str = "s1") -> str:
    arts = [
        {"id": a.id, "title": a.title, "text": a.text, "source": a.outlet, "leaning": a.leaning}
        for a in QUAKE
    ]
    return json.dumps({"story": story, "articles": arts})


def test_files_in_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(_story_line("a") + "\n\n" + _story_line("b") + "\n")
    code, _, err = run(["summarize", "--input", str(src), "--output", str(dst)], capsys)
    assert code == 0, err
    rows = [json.loads(line) for line in dst.read_text().splitlines()]
    assert [r["story"] for r in rows] == ["a", "b"]
    for r in rows:
        assert r["summary"] == " ".join(s["text"] for s in r["sentences"])
        assert all(s["articles"] and set(s["articles"]) <= {1, 2, 3, 4} for s in r["sentences"])


def test_bad_lines_get_an_error_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"story": "empty", "articles": []}),
        json.dumps({"story": "badid", "articles": [{"id": True, "title": "t", "text": "t"}]}),
        json.dumps(
            {"story": "dup", "articles": [{"id": 1, "text": "a b"}, {"id": 1, "text": "c"}]}
        ),
        _story_line("ok"),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, err = run(["summarize"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "5 of 6 line(s) failed" in err and "Traceback" not in err
    assert [("error" in r) for r in rows] == [True] * 5 + [False]
    assert rows[0]["error"].startswith("not valid JSON")
    assert rows[2] == {"story": "empty", "error": "'articles' must be a non-empty list"}
    assert rows[3]["error"] == "missing or invalid articles[0].id (a string or an integer)"
    assert rows[5]["story"] == "ok" and rows[5]["sentences"]


def test_string_ids_are_cited_as_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = json.loads(_story_line("s"))
    for n, art in enumerate(line["articles"]):
        art["id"] = f"a{n + 1}"
    line["articles"][0]["id"] = 7  # strings and integers may mix
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line) + "\n"))
    code, out, err = run(["summarize"], capsys)
    assert code == 0, err
    cited = {a for s in json.loads(out)["sentences"] for a in s["articles"]}
    given = {a["id"] for a in line["articles"]}
    assert cited and cited <= given and any(isinstance(a, str) for a in cited)


def test_llm_flag_needs_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(_story_line() + "\n")
    code, _, err = run(["summarize", "--llm", "--input", str(src)], capsys)
    assert code == 2 and "perspectives.llm.url" in err


def test_missing_input_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["summarize", "--input", str(tmp_path / "nope.jsonl")], capsys)
    assert code == 2 and "input file not found" in err

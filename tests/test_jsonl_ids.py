"""Every JSON Lines command reads ids the same way: a string or an integer, as given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import run
from perspectives_data import QUAKE

from manysides.records import record_id

TEXT = "Rescue teams searched collapsed homes. “We will rebuild,” said Mayor Ana Ruiz."


@pytest.mark.parametrize("value", ["a1", 7, 0, "0"])
def test_record_id_keeps_strings_and_integers(value: str | int) -> None:
    assert record_id(value) == value


@pytest.mark.parametrize("value", [None, "", True, 1.5, [1], {"a": 1}])
def test_record_id_rejects_the_rest(value: object) -> None:
    with pytest.raises(ValueError, match="a string or an integer"):
        record_id(value)


def _lines(command: str) -> list[dict[str, object]]:
    """Three input lines for ``command``: ids "a1" and 7 (good) and true (bad)."""
    if command == "summarize":
        arts = [{"id": f"s{a.id}", "title": a.title, "text": a.text} for a in QUAKE]
        return [{"story": sid, "articles": arts} for sid in ("a1", 7, True)]
    text = " ".join(a.text for a in QUAKE) if command != "quotes" else TEXT
    return [{"id": i, "title": "Quake in Peru", "text": text} for i in ("a1", 7, True)]


@pytest.mark.parametrize("command", ["extract", "cluster", "quotes", "summarize"])
def test_every_jsonl_command_accepts_string_and_integer_ids(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = _lines(command)
    if command == "summarize":  # a bad article id fails its story
        lines[2]["articles"] = [{"id": True, "title": "t", "text": "t"}]  # type: ignore[index]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    code, _, err = run([command, "--input", str(src), "--output", str(dst)], capsys)
    rows = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    key = "story" if command == "summarize" else "id"
    assert code == 1 and "Traceback" not in err
    assert [r[key] for r in rows[:2]] == ["a1", 7]
    assert ["error" in r for r in rows] == [False, False, True]
    assert "a string or an integer" in str(rows[2]["error"])

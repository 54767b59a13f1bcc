"""One date parser (``times.parse``) and one writer (``times.format``) for every date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from manysides import times
from manysides.cli import app
from manysides.fetch.client import retry_after_seconds
from manysides.stories.jsonl import parse_line

# value, parsed (UTC), day only
FORMATS = [
    ("2020-05-18", datetime(2020, 5, 18, tzinfo=UTC), True),
    ("20200518", datetime(2020, 5, 18, tzinfo=UTC), True),
    ("2020-05-18T10:00:00Z", datetime(2020, 5, 18, 10, tzinfo=UTC), False),
    ("2020-05-18T10:00:00+02:00", datetime(2020, 5, 18, 8, tzinfo=UTC), False),
    ("2020-05-18 10:00", datetime(2020, 5, 18, 10, tzinfo=UTC), False),  # naive: UTC
    (
        "2020-05-18T10:00:00.123456-04:00",
        datetime(2020, 5, 18, 14, 0, 0, 123456, tzinfo=UTC),
        False,
    ),
    ("Mon, 18 May 2020 10:00:00 GMT", datetime(2020, 5, 18, 10, tzinfo=UTC), False),
    ("Mon, 18 May 2020 10:00:00 -0400", datetime(2020, 5, 18, 14, tzinfo=UTC), False),
    ("Tue, 2 Jun 2020 09:05 PST", datetime(2020, 6, 2, 17, 5, tzinfo=UTC), False),
    ("9/20/17", datetime(2017, 9, 20, tzinfo=UTC), True),
    ("9/20/2017", datetime(2017, 9, 20, tzinfo=UTC), True),
    ("May 18, 2020", datetime(2020, 5, 18, tzinfo=UTC), True),
    ("May 18, 2020 10:30 AM EDT", datetime(2020, 5, 18, 14, 30, tzinfo=UTC), False),
    ("18 May 2020", datetime(2020, 5, 18, tzinfo=UTC), True),
    ("20200518100000", datetime(2020, 5, 18, 10, tzinfo=UTC), False),  # WARC-Date, old style
    ("  2020-05-18T10:00:00Z  ", datetime(2020, 5, 18, 10, tzinfo=UTC), False),
]
NOT_DATES = [
    "",
    "   ",
    "soon",
    "yesterday",
    "12",
    "2020",
    "May 2020",
    "2020-13-45",
    "x" * 200,
    "18 May 2020 10:00 CEST",
]  # a zone we cannot place is no date, not a wrong one


@pytest.mark.parametrize(("value", "expected", "day_only"), FORMATS)
def test_formats_news_carries(value: str, expected: datetime, day_only: bool) -> None:
    parsed = times.parse(value)
    assert parsed == expected and parsed.tzinfo is not None
    assert times.is_day_only(value) is day_only


@pytest.mark.parametrize("value", NOT_DATES)
def test_not_dates(value: str) -> None:
    assert times.parse(value) is None and not times.is_day_only(value)


def test_objects_and_format_round_trip() -> None:
    assert times.parse(None) is None
    assert times.parse(datetime(2020, 5, 18, 12)) == datetime(2020, 5, 18, 12, tzinfo=UTC)
    assert times.parse(date(2020, 5, 18)) == datetime(2020, 5, 18, tzinfo=UTC)
    assert times.is_day_only(date(2020, 5, 18)) and not times.is_day_only(datetime(2020, 5, 18))
    east = datetime(2020, 5, 18, 12, 30, 15, 999, tzinfo=timezone(timedelta(hours=2)))
    stored = times.format(east)
    assert stored == "2020-05-18T10:30:15+00:00" and times.format(None) is None
    assert times.parse(stored) == east.replace(microsecond=0)
    day = times.format(times.parse("May 18, 2020"))
    assert day is not None and day[11:19] == times.DAY_ONLY_CLOCK
    assert times.end_of_day(times.parse("2020-05-18")) == datetime(
        2020, 5, 18, 23, 59, 59, tzinfo=UTC
    )


def test_cluster_lines_read_every_format_and_name_bad_dates() -> None:
    item = parse_line(json.dumps({"id": "a1", "title": "t", "text": "x", "date": "May 18, 2020"}))
    assert item.published == datetime(2020, 5, 18, tzinfo=UTC)
    with pytest.raises(Exception, match="'date' is not a date we can read: 'soon'"):
        parse_line(json.dumps({"id": "a1", "title": "t", "text": "x", "date": "soon"}))


def test_cluster_reports_the_bad_date_per_line(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        {"id": 1, "title": "Quake hits Peru", "text": "An earthquake hit Peru.", "date": "9/20/17"},
        {"id": "b", "title": "Quake in Peru", "text": "Peru quake.", "date": "next week"},
        {
            "id": "c",
            "title": "Peru quake",
            "text": "A quake.",
            "date": "Wed, 20 Sep 2017 10:00:00 GMT",
        },
    ]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines))
    result = CliRunner().invoke(app, ["cluster", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 1
    assert "line 2" in result.output and "'next week'" in result.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["story"] is None for r in rows] == [False, True, False]


def test_retry_after_http_date() -> None:
    now = datetime(2020, 5, 18, 10, tzinfo=UTC).timestamp()
    assert retry_after_seconds("Mon, 18 May 2020 10:00:30 GMT", now) == 30.0
    assert retry_after_seconds("120", now) == 120.0 and retry_after_seconds("soon", now) is None

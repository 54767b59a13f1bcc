"""Local inputs: HTML, text, JSONL and WARC/ARC files streamed into RawDocuments."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from manysides.errors import ParseError
from manysides.inputs import iter_inputs, synthetic_url
from manysides.records import RawDocument

PAGE = (
    "<html><head><meta charset='utf-8'><title>T</title>"
    "<link rel='canonical' href='https://news.example.com/story'></head>"
    "<body><p>Café society returns.</p></body></html>"
)


def _docs(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _errors(items: list) -> list[ParseError]:
    return [i for i in items if isinstance(i, ParseError)]


def test_html_text_and_gzip_files_in_sorted_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.html").write_text(PAGE, encoding="utf-8")
    (folder / "a.txt").write_bytes("Plain words, naïvely written.".encode("cp1252"))
    with gzip.open(folder / "sub" / "c.htm.gz", "wt", encoding="utf-8") as fh:
        fh.write("<html><body>No canonical here</body></html>")
    (folder / ".hidden.html").write_text(PAGE)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = list(iter_inputs([folder]))
    docs = _docs(items)
    assert [Path(d.origin).name for d in docs] == ["a.txt", "b.html", "c.htm.gz"]
    text, page, gz = docs
    assert text.kind == "text" and text.url == synthetic_url(text.content)
    assert text.content.decode(text.charset or "utf-8") == "Plain words, naïvely written."
    assert page.kind == "html" and page.url == "https://news.example.com/story"
    assert page.charset == "utf-8" and page.fetched_at is not None
    assert gz.content.startswith(b"<html>") and gz.url.startswith("urn:manysides:sha1:")
    (err,) = _errors(items)
    assert "notes.pdf: unsupported file type" in err.message


def test_synthetic_urls_are_stable(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("same words")
    first = _docs(list(iter_inputs([tmp_path / "x.txt"])))[0].url
    second = _docs(list(iter_inputs([tmp_path / "x.txt"])))[0].url
    assert (
        first
        == second
        == "urn:manysides:sha1:" + __import__("hashlib").sha1(b"same words").hexdigest()
    )


def test_jsonl_urls_with_other_schemes_are_replaced(tmp_path: Path) -> None:
    src = tmp_path / "h.jsonl"
    lines = [
        {"url": "javascript:alert(1)", "text": "hostile link record"},
        {"url": "file:///etc/passwd", "text": "local file record"},
        {"url": "HTTPS://Example.com/a", "text": "fine record"},
    ]
    src.write_text("\n".join(json.dumps(r) for r in lines))
    urls = [d.url for d in _docs(list(iter_inputs([src])))]
    assert urls[0] == synthetic_url(b"hostile link record")
    assert urls[1] == synthetic_url(b"local file record")
    assert urls[2] == "HTTPS://Example.com/a"


def test_jsonl_records_hints_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "recs.jsonl.gz"
    lines = [
        json.dumps(
            {
                "url": "https://a.example/1",
                "text": "Body one",
                "title": "One",
                "date": "2024-05-01",
                "source": "A",
                "authors": ["X Y", "Z W"],
                "topic": "ignored",
            }
        ),
        "{broken json",
        json.dumps({"url": "https://a.example/2", "html": "<p>Two</p>"}),
        json.dumps({"url": "https://a.example/3"}),
        "[1, 2]",
        "",
        json.dumps({"text": "No url at all"}),
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    items = list(iter_inputs([path]))
    docs, errors = _docs(items), _errors(items)
    assert [d.url for d in docs] == [
        "https://a.example/1",
        "https://a.example/2",
        synthetic_url(b"No url at all"),
    ]
    assert docs[0].kind == "text" and docs[1].kind == "html"
    assert docs[0].hints == {
        "title": "One",
        "date": "2024-05-01",
        "source": "A",
        "authors": "X Y, Z W",
    }
    assert [e.message.split(": ")[0] for e in errors] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "neither 'html' nor 'text'" in errors[1].message


def test_truncated_gzip_reports_and_keeps_earlier_records(tmp_path: Path) -> None:
    data = gzip.compress(
        b"".join(
            json.dumps({"url": f"u{i}", "text": "t" * 50}).encode() + b"\n" for i in range(200)
        )
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_inputs([path]))
    assert 0 < len(_docs(items)) < 200
    assert "cannot read" in _errors(items)[-1].message


def test_large_jsonl_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    body = "word " * 400
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        for i in range(20_000):
            fh.write(json.dumps({"url": f"https://big.example/{i}", "text": body}) + "\n")
    tracemalloc.start()
    count = 0
    for item in iter_inputs([path]):
        assert isinstance(item, RawDocument)
        count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 20_000
    assert peak < 5_000_000  # the file decompresses to ~40 MB


def _warc_bytes(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    records = [
        (
            "https://news.example.com/a",
            "200 OK",
            "text/html; charset=windows-1252",
            "<html><body>Caf\xe9</body></html>".encode("cp1252"),
        ),
        ("https://news.example.com/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
        ("https://news.example.com/gone", "404 Not Found", "text/html", b"<html>missing</html>"),
        (
            "https://news.example.com/b",
            "200 OK",
            "application/xhtml+xml",
            b"<html><body>B</body></html>",
        ),
    ]
    for url, status, ctype, body in records:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2026-11-24T12:30:00Z"},
        )
        writer.write_record(rec)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example.com/a", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
    )
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_only(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(_warc_bytes(gz))
    items = list(iter_inputs([path]))
    assert not _errors(items)
    a, b = _docs(items)
    assert a.url == "https://news.example.com/a" and a.status == 200
    assert a.fetched_at == datetime(2026, 11, 24, 12, 30, tzinfo=UTC)
    assert a.content.decode(a.charset or "") == "<html><body>Café</body></html>"
    assert a.origin.startswith(str(path) + "#<urn:uuid:")
    assert b.url == "https://news.example.com/b" and b.content_type == "application/xhtml+xml"


def test_arc_file(tmp_path: Path) -> None:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>From ARC</body></html>"
    version = b"1 0 manysides\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://test.arc 0.0.0.0 20261124120000 text/plain %d\n" % len(version)
    record = b"http://old.example.com/page 93.184.216.34 20261124120000 text/html %d\n" % len(http)
    path = tmp_path / "old.arc.gz"
    path.write_bytes(gzip.compress(header + version + b"\n") + gzip.compress(record + http + b"\n"))
    (doc,) = _docs(list(iter_inputs([path])))
    assert doc.url == "http://old.example.com/page"
    assert doc.fetched_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert b"From ARC" in doc.content


def test_garbage_archive_and_missing_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a warc file at all\n" * 10)
    missing = tmp_path / "nope.html"
    errors = _errors(list(iter_inputs([bad, missing])))
    assert len(errors) == 2
    assert "not a readable WARC/ARC archive" in errors[0].message
    assert "no such file" in errors[1].message

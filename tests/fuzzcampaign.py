"""The hostile-input campaign of issue 14, as a seeded generator (used by the fuzz test and
``benchmarks/bench_reliability.py``).

``build(folder, seed, mutants)`` writes good inputs (JSONL records, HTML pages, text files,
WARC records; every one must be stored) next to mutants made from them: truncated, bad
charsets, lone surrogates, deep nesting, missing WARC headers, binary garbage, flipped
bytes, overlong fields, broken gzip. ``feeds(seed, n)`` makes feed mutants, whose only
allowed failure is ``ParseError``. ``check(db, campaign)`` states what was lost.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (
    "council budget river storm election court ruling vote police city hospital school"
    " market shares energy prices climate report study officials residents protest company"
    " workers union strike talks agreement border trade tariffs summit leaders minister"
).split()
CHARSETS = (
    "punycode",
    "idna",
    "undefined",
    "utf-7",
    "unicode_escape",
    "raw-unicode-escape",
    "rot13",
    "base64",
    "zlib",
    "x-no-such-charset",
    "utf-16",
    "utf-32",
    "ascii",
    "latin-1",
    "",
    "utf-8\x00",
    "\u00e9",
)


@dataclass
class Campaign:
    good_urls: set[str] = field(default_factory=set)
    mutant_files: list[Path] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def inputs(self) -> int:
        return len(self.good_urls) + len(self.mutant_files)


def _text(rng: random.Random, n: int = 120) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return "\n\n".join(" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, n, 20))


def _html(rng: random.Random, title: str, charset: str = "utf-8") -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in _text(rng).split("\n\n"))
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{paras}</article></body></html>"
    ).encode("utf-8", "surrogatepass")


def warc_record(uri: str | None, body: bytes, *, n: int = 0, headers: bool = True) -> bytes:
    """One WARC/1.0 response record, written by hand so headers can be left out."""
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" if headers else b"") + body
    head = [
        "WARC/1.0",
        "WARC-Type: response",
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>",
        "WARC-Date: 2026-11-24T12:00:00Z",
        "Content-Type: application/http; msgtype=response",
        f"Content-Length: {len(http)}",
    ]
    if uri is not None:
        head.insert(2, f"WARC-Target-URI: {uri}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + http + b"\r\n\r\n"


def _surrogate_json(record: dict, key: str) -> str:
    marker = "SURROGATE-HERE"
    record = dict(record)
    record[key] = str(record.get(key, "")) + marker
    return json.dumps(record).replace(marker, "\\ud800")


def _flip(rng: random.Random, data: bytes, n: int = 8) -> bytes:
    out = bytearray(data)
    for _ in range(n):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def build(folder: Path, seed: int, mutants: int, good: int = 60) -> Campaign:
    """Write ``good`` items of each kind and ``mutants`` hostile files into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    camp = Campaign()

    def record(prefix: str, i: int) -> dict:
        return {
            "url": f"https://good.example.com/{prefix}/{i}",
            "title": f"Good {prefix} {i}",
            "text": _text(rng),
            "authors": ["A. Writer"],
            "date": "2026-11-24T10:00:00Z",
        }

    records = [record("jsonl", i) for i in range(good)]
    (folder / "good-records.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    camp.good_urls |= {r["url"] for r in records}
    for i in range(good // 4):
        url = f"https://good.example.com/page/{i}"
        page = _html(rng, f"Good page {i}").replace(
            b"</title>", f'</title><link rel="canonical" href="{url}">'.encode()
        )
        (folder / f"good-page-{i}.html").write_bytes(page)
        camp.good_urls.add(url)
    warc = io.BytesIO()
    for i in range(good // 2):
        url = f"https://good.example.com/warc/{i}"
        warc.write(warc_record(url, _html(rng, f"Good WARC {i}"), n=i))
        camp.good_urls.add(url)
    (folder / "good-crawl.warc").write_bytes(warc.getvalue())

    templates: list[tuple[str, Callable[[int], tuple[str, bytes]]]] = []

    def jsonl_line(i: int) -> dict:
        return record("mutant", i) | {"url": f"https://mutant.example.com/{i}"}

    def m_truncated(i: int) -> tuple[str, bytes]:
        kind = rng.choice(("html", "jsonl", "warc", "warc.gz", "jsonl.gz", "txt"))
        if kind == "html":
            data = _html(rng, f"Truncated {i}")
        elif kind.startswith("jsonl"):
            data = "".join(json.dumps(jsonl_line(i * 100 + k)) + "\n" for k in range(3)).encode()
        elif kind.startswith("warc"):
            data = warc_record(f"https://mutant.example.com/w{i}", _html(rng, f"W {i}"), n=i)
        else:
            data = _text(rng).encode()
        if kind.endswith(".gz"):
            data = gzip.compress(data)
        return kind, _truncate(rng, data)

    def m_charset(i: int) -> tuple[str, bytes]:
        cs = rng.choice(CHARSETS)
        page = _html(rng, f"Charset {cs!r} caf\u00e9 {i}", charset=cs)
        return "html", page

    def m_surrogate(i: int) -> tuple[str, bytes]:
        key = rng.choice(("text", "title", "url", "authors", "source", "date", "html"))
        rec = jsonl_line(i)
        if key == "html":
            rec["html"] = _html(rng, "H").decode()
        return "jsonl", (_surrogate_json(rec, key) + "\n").encode()

    def m_nesting(i: int) -> tuple[str, bytes]:
        depth = rng.choice((1_000, 10_000, 100_000))
        shape = rng.choice(("[" * depth, '{"a":' * depth, "[" * depth + "]" * depth))
        rec = jsonl_line(i)
        if rng.random() < 0.5:  # nesting inside an otherwise good record
            line = json.dumps(rec)[:-1] + ', "extra": ' + "[" * 900 + "]" * 900 + "}"
            return "jsonl", (line + "\n" + shape + "\n").encode()
        return "jsonl", (shape + "\n").encode()

    def m_warc_headers(i: int) -> tuple[str, bytes]:
        body = _html(rng, f"Headers {i}")
        choice = rng.randrange(5)
        if choice == 0:
            data = warc_record(None, body, n=i)
        elif choice == 1:
            data = warc_record(f"https://mutant.example.com/h{i}", body, n=i, headers=False)
        elif choice == 2:
            data = warc_record(f"https://mutant.example.com/h{i}", body, n=i).replace(
                b"Content-Length", b"Content-Lenght"
            )
        elif choice == 3:
            data = warc_record(f"https://mutant.example.com/h{i}", body, n=i).replace(
                b"Content-Length: ", b"Content-Length: 9"
            )
        else:
            data = warc_record(f"https://mutant.example.com/h{i}", body, n=i).replace(
                b"HTTP/1.1 200 OK", b"HTTP/1.1 OK"
            )
        return rng.choice(("warc", "warc.gz")), data

    def m_binary(i: int) -> tuple[str, bytes]:
        kind = rng.choice(("html", "txt", "jsonl", "warc", "arc", "warc.gz", "jsonl.gz"))
        junk = rng.randbytes(rng.randrange(1, 5000))
        head = {"warc": b"WARC/1.0\r\n", "arc": b"filedesc://x 0.0.0.0 2026 text/plain 9\n"}
        return kind, head.get(kind, b"") + junk

    def m_flipped(i: int) -> tuple[str, bytes]:
        kind = rng.choice(("html", "jsonl", "warc", "warc.gz", "jsonl.gz"))
        if kind == "html":
            data = _html(rng, f"Flipped {i}")
        elif kind.startswith("jsonl"):
            data = "".join(json.dumps(jsonl_line(i * 100 + k)) + "\n" for k in range(3)).encode()
        else:
            data = b"".join(
                warc_record(f"https://mutant.example.com/f{i}-{k}", _html(rng, "F"), n=k)
                for k in range(3)
            )
        if kind.endswith(".gz"):
            data = gzip.compress(data)
        return kind, _flip(rng, data, rng.randrange(1, 30))

    def m_overlong(i: int) -> tuple[str, bytes]:
        rec = jsonl_line(i)
        key = rng.choice(("title", "url", "authors", "source"))
        size = rng.choice((10_000, 1_000_000))
        rec[key] = ["x" * size] * 3 if key == "authors" else "https://x.example/" + "y" * size
        return "jsonl", (json.dumps(rec) + "\n").encode()

    templates = [
        ("truncated", m_truncated),
        ("charset", m_charset),
        ("surrogate", m_surrogate),
        ("nesting", m_nesting),
        ("warc-headers", m_warc_headers),
        ("binary", m_binary),
        ("flipped", m_flipped),
        ("overlong", m_overlong),
    ]
    for i in range(mutants):
        name, make = templates[i % len(templates)]
        kind, data = make(i)
        if kind.endswith(".gz") and not data.startswith(b"\x1f\x8b") and name != "binary":
            data = gzip.compress(data)
        path = folder / f"mutant-{i:05d}-{name}.{kind}"
        path.write_bytes(data)
        camp.mutant_files.append(path)
        camp.kinds[name] = camp.kinds.get(name, 0) + 1
    return camp


@dataclass
class Outcome:
    lost: list[str]  # good items not stored
    silent: list[Path]  # mutant files with neither a stored document nor a recorded error
    errors: int


def check(db: Path, camp: Campaign) -> Outcome:
    with sqlite3.connect(db) as c:
        stored = {r[0] for r in c.execute("SELECT url FROM articles")}
        origins = [r[0] for r in c.execute("SELECT origin FROM documents")]
        errors = [r[0] + " " + r[1] for r in c.execute("SELECT item, message FROM errors")]
    lost = sorted(camp.good_urls - stored)
    seen = {o.split("#")[0].rsplit(":", 1)[0] for o in origins} | {o.split("#")[0] for o in origins}
    silent = [
        p for p in camp.mutant_files if str(p) not in seen and not any(str(p) in e for e in errors)
    ]
    return Outcome(lost, silent, len(errors))


def feeds(seed: int, n: int) -> list[tuple[str, bytes, int]]:
    """(mutation, feed bytes, items that must survive: -1 when any number may)."""
    rng = random.Random(seed)
    out: list[tuple[str, bytes, int]] = []
    for i in range(n):
        items = "".join(
            f"<item><title>Item {k} caf\u00e9</title><link>https://f.example.com/{i}/{k}</link>"
            f"<pubDate>Tue, 24 Nov 2026 1{k}:00:00 GMT</pubDate></item>"
            for k in range(4)
        )
        rss = f'<rss version="2.0"><channel><title>F{i}</title>{items}</channel></rss>'
        choice = i % 6
        if choice == 0:
            cs = rng.choice(CHARSETS)
            out.append(("charset", f'<?xml version="1.0" encoding="{cs}"?>{rss}'.encode(), 4))
        elif choice == 1:
            out.append(("truncated", _truncate(rng, rss.encode()), -1))
        elif choice == 2:
            deep = "<x>" * rng.choice((1000, 100_000))
            out.append(("nesting", rss.replace("</channel>", deep + "</channel>").encode(), -1))
        elif choice == 3:
            out.append(("binary", rng.randbytes(rng.randrange(1, 3000)), -1))
        elif choice == 4:
            out.append(("flipped", _flip(rng, rss.encode(), rng.randrange(1, 20)), -1))
        else:
            data = gzip.compress(rss.encode())
            out.append(("gzip", _truncate(rng, data) if rng.random() < 0.5 else data, -1))
    return out

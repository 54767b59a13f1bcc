"""End to end: feeds on 127.0.0.1 → `manysides brief` → email (aiosmtpd) → web app in Chromium.

Five outlets across the spectrum publish RSS feeds and article pages on a local HTTP
server; two stories are covered by several outlets, one by a single outlet, and one
article carries hostile markup. The whole job runs through the CLI, the briefing is
mailed to a local SMTP server, and the web app (uvicorn in a thread) is loaded in
headless Chromium (skipped when Debian's chromium is absent). The screenshot in the docs
is of the sample briefing (``tests/test_sample_briefing.py``).
"""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from browser import axe_runner, chromium, serious_violations
from clitools import run_cli
from httpserver import LocalServer, Reply
from smtpinbox import Inbox, free_port
from webserver import WebServer

OUTLETS = {
    "left-news": ("Left News", "left"),
    "leanleft-daily": ("Lean Left Daily", "lean-left"),
    "center-wire": ("Center Wire", "center"),
    "leanright-post": ("Lean Right Post", "lean-right"),
    "right-times": ("Right Times", "right"),
}
HOSTILE_TITLE = (
    '<script>alert(1)</script> Council " onmouseover="alert(2) approves costly rail line'
)

# Each outlet writes its own copy of a story (shared facts, different words), so the
# near-duplicate detector must not fold them into one syndicated report.
TRANSIT = [
    "The city council voted 7 to 2 on Tuesday to approve a 4.5 billion dollar light rail line "
    'linking the airport with downtown. Mayor Jane Smith said, "This line will change how '
    'working people get to their jobs." Construction starts next spring.',
    "After a long debate, council members backed the airport rail plan by a 7-2 margin. "
    "Progressive groups hailed the transit vote as a win for climate goals and for riders "
    "without cars, and said twelve stations would serve poorer neighborhoods first.",
    "Tuesday's council session ended with approval of the light rail project, estimated at "
    "4.5 billion dollars. The transportation department expects work on the twelve stations "
    "to begin in spring and the first trains to run to the airport in 2030.",
    "The rail plan passed the council 7-2, but critics warned the transit budget could push "
    'property taxes higher. Council member Robert Jones said, "Families cannot afford another '
    'tax increase for a train few of them will ride."',
    "Taxpayers will be on the hook for a 4.5 billion dollar boondoggle after the council rammed "
    "through its airport rail scheme on Tuesday. Opponents vowed to fight the costly light "
    "rail spending at the ballot box next year.",
]
STORM = [
    "A powerful storm battered the northern coast on Monday night, knocking out power to more "
    'than 80,000 homes. Governor Maria Lopez said, "Crews are working around the clock to '
    'restore power." Shelters opened in three counties.',
    "Flood water poured over sea walls as the coastal storm hit the harbor overnight, damaging "
    "fishing boats and closing streets. Utility officials said about 80,000 customers lost "
    "power and repairs could take days.",
    "Heavy rain and strong winds from the storm will continue along the northern coast through "
    "Wednesday, the weather service warned. Emergency shelters are open and the governor urged "
    "residents of river towns to prepare for flooding.",
]
TRANSIT_FACTS = [
    "The city council voted 7 to 2 on Tuesday to approve a 4.5 billion dollar light rail line "
    "that will link the airport with downtown by 2030",
    "Construction of the airport rail line is expected to begin next spring, with twelve new "
    "light rail stations planned along the route through downtown",
    "The transit budget vote followed months of council hearings on the cost of the rail line "
    "and on property taxes",
    "Mayor Jane Smith has championed the airport light rail line since her election, calling "
    "the rail project the biggest transit investment in the city's history",
    "The council approved the rail line budget after Council member Robert Jones failed to "
    "delay the vote on the airport light rail plan",
]
STORM_FACTS = [
    "A powerful storm battered the northern coast on Monday night, knocking out power to more "
    "than 80,000 homes and flooding streets near the harbor",
    "Emergency shelters opened in three coastal counties as the storm pushed flood water over "
    "sea walls, the governor said",
    "The weather service warned that heavy rain and strong winds from the storm would continue "
    "along the coast through Wednesday",
]
LONER = [
    "A local bakery won a regional award for its sourdough bread on Sunday, the owners said, "
    "after twenty years of baking in the same small shop near the river. They plan to train "
    "two new apprentice bakers with the prize money.",
]

# Other news each outlet runs the same day (unrelated stories give the clusterer's
# running document frequencies a realistic background).
FILLER_TOPICS = [
    (
        "football",
        "The home team won the football match after a late goal from the young striker, "
        "and the coach praised the defense for holding the league leaders scoreless",
    ),
    (
        "museum",
        "The art museum reopened its renovated east wing with a painting exhibition, and "
        "curators said visitors can see rare portraits lent by collectors abroad",
    ),
    (
        "vaccine",
        "Researchers reported that a new vaccine trial showed strong immune responses in "
        "older volunteers, and regulators will review the clinical data this winter",
    ),
    (
        "chip",
        "The semiconductor maker announced a chip factory expansion that will hire engineers "
        "and technicians, and analysts expect smartphone demand to recover next year",
    ),
    (
        "wildfire",
        "Firefighters contained a wildfire in the mountain forest after dry winds eased, "
        "and hikers were told to avoid the burned trails until rangers inspect them",
    ),
    (
        "election",
        "Voters in the neighboring state will choose a new senator in a special election "
        "after the incumbent resigned, and turnout in early voting has been heavy",
    ),
]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title_attr} | {outlet}</title>
<meta property="og:title" content="{title_attr}"></head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sports">Sports</a></nav>
<div class="promo">Subscribe to our newsletter for the best stories every morning!</div>
<article><h1>{title}</h1><p class="byline">By Staff Reporter, {outlet}</p>
{paragraphs}
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/other-1">Other story one</a></li>
<li><a href="/other-2">Other story two</a></li></ul></aside>
<footer>Copyright {outlet}. All rights reserved.</footer></body></html>"""


def _article(outlet: str, title: str, text: str, facts: list[str] = ()) -> str:
    own = [s.strip() for s in text.split(". ") if s.strip()]
    # Shared facts, each with an outlet-specific ending (so no paragraph repeats verbatim
    # across pages of the one test host, which template removal would strip).
    shared = [f"{fact}, {outlet} has learned" for fact in facts]
    body = shared[:3] + own + shared[3:]
    paragraphs = "\n".join(f"<p>{escape(s.rstrip('.'))}.</p>" for s in body)
    return PAGE.format(
        title=escape(title),
        title_attr=escape(title, quote=True),
        outlet=escape(outlet),
        paragraphs=paragraphs,
    )


def _feed(base: str, sid: str, name: str, items: list[tuple[str, str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{base}/{sid}/{slug}.html</link>"
        f"<guid>{base}/{sid}/{slug}.html</guid><pubDate>{format_datetime(when)}</pubDate></item>"
        for slug, t, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>{base}/{sid}/</link><description>news</description>"
        f"{entries}</channel></rss>"
    )


def serve_outlets(server: LocalServer, now: datetime) -> None:
    base = server.base.rstrip("/")
    titles = {
        "transit": [
            "Council approves airport light rail line",
            "City council approves $4.5 billion airport rail line",
            "Council votes 7-2 to approve airport light rail line",
            "Council approves airport rail line despite tax worries",
            "Council approves costly airport rail line",
        ],
        "storm": [
            "Coastal storm knocks out power to 80,000 homes",
            "Storm floods northern coast, knocks out power",
            "Storm batters northern coast, power out for 80,000 homes",
        ],
    }
    for i, (sid, (name, _leaning)) in enumerate(OUTLETS.items()):
        items: list[tuple[str, str, datetime]] = []
        title = titles["transit"][i] if sid != "right-times" else HOSTILE_TITLE
        items.append(("transit", title, now - timedelta(hours=2 + i)))
        server.route(
            f"/{sid}/transit.html", Reply(body=_article(name, title, TRANSIT[i], TRANSIT_FACTS))
        )
        if i < 3:
            t = titles["storm"][i]
            items.append(("storm", t, now - timedelta(hours=1 + i)))
            server.route(f"/{sid}/storm.html", Reply(body=_article(name, t, STORM[i], STORM_FACTS)))
        for k in range(3):
            topic, text = FILLER_TOPICS[(i + k) % len(FILLER_TOPICS)]
            t = f"{name} on {topic}: part {k + 1}"
            items.append((f"{topic}-{k}", t, now - timedelta(hours=4 + k)))
            body = f"{text}. {name} covered the {topic} news in report number {k + 1} today"
            server.route(f"/{sid}/{topic}-{k}.html", Reply(body=_article(name, t, body)))
        if sid == "center-wire":
            t = "Bakery wins regional sourdough award"
            items.append(("bakery", t, now - timedelta(hours=3)))
            server.route(f"/{sid}/bakery.html", Reply(body=_article(name, t, LONER[0])))
        server.route(
            f"/{sid}/feed.xml",
            Reply(body=_feed(base, sid, name, items), content_type="application/rss+xml"),
        )


@pytest.fixture()
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port  # type: ignore[attr-defined]
    try:
        yield inbox
    finally:
        controller.stop()


def write_config(tmp: Path, server: LocalServer, smtp_port: int, web_port: int) -> Path:
    catalog = tmp / "sources.toml"
    catalog.write_text(
        "".join(
            f'[sources.{sid}]\nname = "{name}"\ndomains = ["{sid}.example"]\n'
            f'feeds = ["{server.url(f"/{sid}/feed.xml")}"]\ncountry = "US"\n'
            f'ownership = "private"\nkind = "newspaper"\nleaning = "{leaning}"\n'
            'leaning_provenance = "test fixture"\n\n'
            for sid, (name, leaning) in OUTLETS.items()
        )
    )
    config = tmp / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp / "db.sqlite"}"\n'
        f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nper_host_delay = 0.0\nper_host_concurrency = 8\n'
        "retries = 0\n"
        f'[briefing]\noutput_dir = "{tmp / "out"}"\nbase_url = "http://127.0.0.1:{web_port}"\n'
        'title = "Test briefing"\n'
        f'[email]\nhost = "127.0.0.1"\nport = {smtp_port}\nstarttls = false\n'
        'sender = "Briefing <bot@news.example>"\n'
    )
    return config


def web_app(config_path: Path) -> Any:
    from manysides.config import db_path, load_config
    from manysides.web import create_app

    cfg = load_config(config_path)
    return create_app(cfg, db_path(cfg))


def test_whole_job(tmp_path: Path, smtp: Inbox) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    web_port = free_port()
    with LocalServer() as server:
        serve_outlets(server, now)
        config = write_config(tmp_path, server, smtp.port, web_port)  # type: ignore[attr-defined]
        code = run_cli(["--config", str(config), "--quiet", "brief"])
        assert code in (0, 1), code  # 1: some item failed (recorded), the run went on
        assert server.hits("/left-news/feed.xml") == 1

    # The files of the day.
    out = tmp_path / "out"
    day = out / now.date().isoformat()
    data = json.loads((day / "briefing.json").read_text())
    items = [i for s in data["sections"] for i in s["items"]]
    assert items, "the briefing has no stories"
    transit = next(
        i
        for i in items
        if "rail" in json.dumps(i["perspective"]["summary"]).lower()
        or "transit" in i["perspective"]["headline"].lower()
    )
    cov = transit["perspective"]["coverage"]
    assert cov["n_outlets"] >= 4, cov
    assert all("bakery" not in i["perspective"]["headline"].lower() for i in items)
    html = (day / "index.html").read_text()
    assert 'class="bar"' in html and "<script>alert" not in html
    assert (out / "feed.atom").exists() and (out / "index.html").exists()
    assert "<script>alert" not in (day / "email.html").read_text()

    # The email.
    assert (
        run_cli(["--config", str(config), "send", "--to", "a@x.example", "--to", "b@y.example"])
        == 0
    )
    [(rcpts, raw)] = smtp.messages
    assert rcpts == ["a@x.example", "b@y.example"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == f"Test briefing: {now.date().isoformat()}"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    body = msg.get_body(("html",)).get_content()
    assert "Coverage:" in text and "Sources:" in text
    assert f"http://127.0.0.1:{web_port}/story/{transit['perspective']['story_id']}" in body
    assert "<script>alert" not in body
    # What mail clients and providers look at: list headers, doctype, main landmark.
    assert msg["List-Unsubscribe"] == "<mailto:bot@news.example?subject=unsubscribe>"
    assert msg["List-Id"] == "<test-briefing.news.example>"
    assert body.startswith("<!doctype html>") and 'role="main"' in body
    assert "Unsubscribe" in body and "Unsubscribe: mailto:bot@news.example" in text
    assert f"Read on the web: http://127.0.0.1:{web_port}/briefing/{now.date()}" in text

    # The web app in a real browser.
    shot = tmp_path / "briefing.png"  # the docs screenshot is of the sample briefing
    with WebServer(web_app(config), web_port), chromium() as browser:
        page = browser.new_context(
            java_script_enabled=False, viewport={"width": 1100, "height": 1400}
        ).new_page()
        csp_errors: list[str] = []
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
        )
        response = page.goto(f"http://127.0.0.1:{web_port}/")
        assert response is not None and response.status == 200
        assert page.locator("h1").first.inner_text().startswith("Test briefing")
        assert page.locator("table.bar").count() >= 1
        segs = page.locator("table.bar td.seg")
        assert segs.count() >= 4
        # The stylesheet loaded under the strict CSP: segments are coloured.
        color = segs.first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert color not in ("rgba(0, 0, 0, 0)", "transparent"), color
        links = page.locator("ol.articles a[href^='http://127.0.0.1']")
        assert links.count() >= 4
        assert page.locator("script").count() == 0
        page.screenshot(path=str(shot))
        # Story page, then a search through the form (no JavaScript needed).
        page.click(f"a[href='/story/{transit['perspective']['story_id']}']")
        assert page.locator("section.sources li").count() >= 4
        page.fill("input[name=q]", "rail council")
        page.press("input[name=q]", "Enter")
        page.wait_for_url("**/search?q=*")
        assert page.locator("ul.results-stories a, ul.results-articles a").count() >= 1
        assert not csp_errors, csp_errors
        # axe-core on the pages the reader went through, and on the email as received.
        axe = axe_runner()
        checker = browser.new_context().new_page()  # axe needs JavaScript
        for url in (
            f"http://127.0.0.1:{web_port}/",
            f"http://127.0.0.1:{web_port}/story/{transit['perspective']['story_id']}",
            f"http://127.0.0.1:{web_port}/search?q=rail+council",
        ):
            checker.goto(url)
            assert not serious_violations(axe, checker), url
        checker.set_content(body)
        assert not serious_violations(axe, checker), "email"
    assert shot.stat().st_size > 10_000

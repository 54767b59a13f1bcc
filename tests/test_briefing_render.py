"""Every output format renders the story and neutralises hostile article content."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from briefing_data import (
    ALL_SOURCES,
    NOW,
    XSS,
    assert_safe_html,
    perspective,
)

from manysides.briefing import Briefing, Candidate, RankOptions, build_briefing
from manysides.briefing.render import (
    Links,
    render_atom,
    render_email_html,
    render_files,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from manysides.briefing.view import RenderOptions, md_escape, one_line, safe_url
from manysides.config import BriefingConfig

OPTS = RenderOptions.from_config(BriefingConfig(base_url="https://news.example.org"))


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    cands = [
        Candidate(perspective(1, ALL_SOURCES, headline="Budget deal passes Senate")),
        Candidate(perspective(2, ALL_SOURCES[:3], section="World", hostile=True)),
        Candidate(perspective(3, ALL_SOURCES[:3], blindspot="right", headline="Quiet story")),
    ]
    return build_briefing(
        "2026-03-10", "Morning <b>brief</b>", cands, NOW, RankOptions.from_config(BriefingConfig())
    )


def test_safe_url_and_escapers() -> None:
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "data:text/html,x",
        "//a.example",
        "https://a.example/\r\nx",
        " vbscript:x",
        "ftp://a",
        "",
        None,
        5,
    ):
        assert safe_url(bad) == ""
    assert one_line("a\r\nb\u2028c\x00d\u202ee") == "a b c de"
    assert md_escape("[x](javascript:y)") == "\\[x\\](javascript:y)"


def test_markdown_escapes_only_what_markdown_reads() -> None:
    assert (
        md_escape("Susan Rice's plan (R-Wis.) costs $5.") == "Susan Rice's plan (R-Wis.) costs $5."
    )
    assert (
        md_escape("*bold* _it_ `code` <b> ~~x~~")
        == "\\*bold\\* \\_it\\_ \\`code\\` \\<b\\> \\~\\~x\\~\\~"
    )
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("- not a list") == "\\- not a list"
    assert md_escape("2020. Not a list") == "2020\\. Not a list"
    assert md_escape("AT&T &amp; co") == "AT&T \\&amp; co"
    # Each escaped string renders back to exactly its text.
    import markdown_it

    md = markdown_it.MarkdownIt("commonmark")
    for text in ("# x", "- y", "1) z", "a *b* _c_ [d](e) <f> `g` &amp; ~h~", "==="):
        html = md.render(md_escape(text))
        assert html.startswith("<p>") and html.count("<") == 2, (text, html)


def test_html_has_story_parts(briefing: Briefing) -> None:
    html = render_html(briefing, OPTS)
    assert_safe_html(html)
    assert "Budget deal passes Senate" in html
    assert 'class="bar"' in html and "lean-left" in html and "lean-right" in html
    assert "Blindspot" in html and "Key facts" in html and "Who said what" in html
    assert "How each side frames it" in html and "https://right-times.example/104" in html
    assert 'href="../manysides.css"' in html
    assert 'name="viewport"' in html
    assert "Morning &lt;b&gt;brief&lt;/b&gt;" in html


def test_hostile_content_is_escaped_everywhere(briefing: Briefing) -> None:
    for html in (
        render_html(briefing, OPTS),
        render_html(briefing, OPTS, Links(mode="web")),
        render_email_html(briefing, OPTS),
    ):
        assert_safe_html(html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Jinja escapes quotes too; premailer's serializer leaves '"' in text nodes (harmless,
    # and assert_safe_html above proves no attribute was injected).
    assert 'onmouseover="alert' not in render_html(briefing, OPTS)
    text = render_text(briefing, OPTS)
    assert "\r" not in text and "\nBcc:" not in text and "Title Bcc: victim" in text
    md = render_markdown(briefing, OPTS)
    assert not re.search(r"(?<![\\(])<", md)  # every '<' escaped, or opens a link target
    assert re.search(r"\\<script\\>", md)
    assert not re.search(r"(?<!\\)\]\(javascript", md) and "\\[click\\]" in md
    import markdown_it

    # Rendered by a Markdown engine that passes raw HTML through, it is still safe.
    assert_safe_html(markdown_it.MarkdownIt("commonmark").render(md))
    data = json.loads(render_json(briefing))
    raw = render_json(briefing)
    assert "<" not in raw and data["schema_version"] == 1
    assert data["sections"][1]["items"][0]["perspective"]["headline"].startswith(XSS)


def test_email_html_is_compact_and_links_absolute(briefing: Briefing) -> None:
    html = render_email_html(briefing, OPTS)
    # One small class-less <style> block; inline styles only where colour is meaning.
    [css] = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(css) < 1500 and "." not in re.sub(r"[\d.]+px|\d+\.\d+", "", css)
    assert 'class="' not in html
    assert re.search(r'<td style="width:\d+%;background:#1f5fbf;color:#fff">', html)  # left
    assert html.count('style="') <= 2 + 6 * len(briefing.items)
    assert "https://news.example.org/story/1" in html
    assert 'href="/' not in html and 'href="#' not in html


def test_atom_feed_one_entry_per_day(briefing: Briefing) -> None:
    older = Briefing.from_dict(briefing.to_dict() | {"date": "2026-03-09"})
    xml = render_atom([older, briefing], OPTS, "https://news.example.org/feed.atom")
    root = ET.fromstring(xml)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [
        "tag:manysides,2026-03-10:briefing/2026-03-10",
        "tag:manysides,2026-03-09:briefing/2026-03-09",
    ]
    content = entries[0].find("a:content", ns).text or ""
    assert "Budget deal passes Senate" in content
    assert "Officials confirmed event 1 on Monday." in content  # each story's summary
    assert_safe_html(content)  # the HTML inside the entry is itself safe
    assert "<script" not in xml


def test_json_roundtrip(briefing: Briefing) -> None:
    again = Briefing.from_dict(json.loads(render_json(briefing)))
    assert again == briefing


def test_render_files_layout_and_empty_briefing() -> None:
    empty = build_briefing("2026-03-11", "T", [], NOW, RankOptions.from_config(BriefingConfig()))
    files = render_files(empty, [], OPTS)
    assert set(files) == {
        "2026-03-11/index.html",
        "2026-03-11/email.html",
        "2026-03-11/briefing.txt",
        "2026-03-11/briefing.md",
        "2026-03-11/briefing.json",
        "index.html",
        "feed.atom",
        "manysides.css",
    }
    for name in (
        "2026-03-11/index.html",
        "2026-03-11/email.html",
        "2026-03-11/briefing.txt",
        "2026-03-11/briefing.md",
    ):
        assert "No stories yet" in files[name]
    assert "2026-03-11/index.html" in files["index.html"]


def test_display_quotes_skip_fragments_and_put_direct_first() -> None:
    from manysides.briefing.view import display_quotes, quote_text
    from manysides.perspectives.records import StoryQuoteRef

    def ref(text: str, speaker: str | None, direct: bool) -> StoryQuoteRef:
        return StoryQuoteRef(text=text, speaker=speaker, cue="said", direct=direct, carriers=[])

    reported = ref("that the bill would ban chokeholds nationwide", "Nancy Pelosi", False)
    direct = ref("“We cannot settle for anything less than real change,”", "Nancy Pelosi", True)
    junk = [
        ref("Wednesday", "The mayor", False),  # too short
        ref("that the bill is a “first step” and", "Pelosi", False),  # cut off
        ref('that the bill is a "first step and more', "Pelosi", False),  # unbalanced marks
        ref("“This is what the people of the city want,”", None, True),  # no speaker
        ref("“Sorry, I want law and order right now!”", "Monday", True),  # a date, no speaker
        ref("stiffened up, fell to the ground, and said he was scared.", "At this", False),
        # a name span that ran across a sentence or into a list
        ref("“he’s taking hydroxychloroquine to help prevent it,”", "COVID-19. Trump", True),
        ref("“I watched, he fell harder than was pushed,”", "John TrumpMcBath,", True),
    ]
    titled = ref(
        "“We are better than this, and Georgia is better than this,”", "Sen. Jon Ossoff Jr.", True
    )
    shown = display_quotes([reported, *junk, direct, titled])
    assert shown == [direct, titled, reported]
    assert quote_text(direct) == "We cannot settle for anything less than real change,"
    assert quote_text(reported) == "the bill would ban chokeholds nationwide"


def test_every_format_carries_the_wording_note_and_the_label() -> None:
    p = perspective(7, ALL_SOURCES, headline="Court rules on the map")
    p.quotes[0].wording_differs = True
    b = build_briefing(
        "2026-03-10",
        "T",
        [Candidate(p)],
        NOW,
        RankOptions.from_config(BriefingConfig()),
        "Sample: not today",
    )
    outputs = {
        "html": render_html(b, OPTS),
        "email": render_email_html(b, OPTS),
        "text": render_text(b, OPTS),
        "markdown": render_markdown(b, OPTS),
    }
    for name, out in outputs.items():
        assert "wording differs between outlets" in out, name
        assert "Sample: not today" in out, name
    atom = render_atom([b], OPTS)
    assert "Sample: not today" in atom
    assert json.loads(render_json(b))["label"] == "Sample: not today"


def test_text_and_markdown_walk_the_same_story_parts(briefing: Briefing) -> None:
    text, md = render_text(briefing, OPTS), render_markdown(briefing, OPTS)
    for part in ("Coverage:", "Key facts", "Who said what", "Where reports differ", "Sources"):
        assert text.count(part) == md.count(part), part
    assert "Budget deal passes Senate" in text and "Budget deal passes Senate" in md

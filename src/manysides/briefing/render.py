"""Render a ``Briefing`` as HTML, email HTML, plain text, Markdown, JSON and Atom.

Every format comes from Jinja2 templates over the same ``StoryView`` walk: HTML, email and
Atom with autoescape on; text and Markdown from one template, ``briefing.plain``, written
through a format object (``PlainText``, ``MarkdownText``) that escapes for its format. Nothing from an article is ever emitted as markup,
and only http(s) URLs become links (``safe_url``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import jinja2

from .records import Briefing
from .view import (
    LEANING_LABELS,
    Cite,
    ContinuingView,
    DiscrepancyView,
    FramingView,
    LinkView,
    QuoteView,
    RenderOptions,
    StoryView,
    continuing_views,
    leaning_label,
    machine_time,
    md_escape,
    md_url,
    one_line,
    safe_url,
    short_time,
    story_view,
)

CSS_NAME = "manysides.css"
# The email is compact (clients clip long messages): framing and the full source list are
# one link away on the story page.
EMAIL_ARTICLES = 5
EMAIL_FACTS = 3
EMAIL_QUOTES = 2
EMAIL_CSS_NAME = "email.css"
# The coverage bar's (background, text) colours by leaning, inline in the email (as in
# manysides.css): a client that drops the <style> block still shows who covered a story.
EMAIL_COLOURS: dict[str, tuple[str, str]] = {
    "left": ("#1f5fbf", "#fff"),
    "lean-left": ("#7fa7e0", "#1d1d1f"),
    "center": ("#6e6e6e", "#fff"),
    "lean-right": ("#e0877f", "#1d1d1f"),
    "right": ("#b8322a", "#fff"),
    "unrated": ("#c9c4b8", "#1d1d1f"),
}
_INDENT = re.compile(r"\n[ \t]+")
# The coverage bar's segment widths (.p0 … .p100; CSP forbids inline styles), appended to
# both stylesheets by ``stylesheet``.
BAR_WIDTHS_CSS_NAME = "bar-widths.css"


@dataclass(frozen=True)
class Links:
    """How pages link to each other: the web app, static files, or an email."""

    mode: str = "static"  # "web" | "static" | "email"
    base_url: str = ""  # absolute base for "email" (and feed) links
    depth: int = 0  # static pages: folders below the output root

    def _root(self) -> str:
        if self.mode == "web":
            return "/"
        if self.mode == "email":
            return f"{self.base_url}/" if self.base_url else ""
        return "../" * self.depth

    def story(self, story_id: int) -> str:
        if self.mode == "static":
            return f"#story-{story_id}"
        root = self._root()
        return f"{root}story/{int(story_id)}" if root else ""

    def outlet(self, source_id: str) -> str:
        if self.mode == "static" or not source_id:
            return ""
        from urllib.parse import quote

        root = self._root()
        return f"{root}outlet/{quote(source_id, safe='')}" if root else ""

    def continuing(self, story_id: int, since: str) -> str:
        """A continuing story: its page, or (static files) its place in the briefing it
        was last shown in."""
        if self.mode == "static":
            return f"{self.briefing(since)}#story-{int(story_id)}"
        return self.story(story_id)

    def briefing(self, date: str) -> str:
        if self.mode == "static":
            return f"{self._root()}{date}/index.html"
        root = self._root()
        return f"{root}briefing/{date}" if root else ""

    def home(self) -> str:
        return self._root() + ("index.html" if self.mode == "static" else "")

    def css(self) -> str:
        if self.mode == "web":
            return f"/static/{CSS_NAME}"
        return f"{self._root()}{CSS_NAME}"

    @property
    def web(self) -> bool:
        return self.mode == "web"


@functools.cache
def environment() -> jinja2.Environment:
    """The shared template environment (autoescape on for every template)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("manysides", "templates"),
        # HTML, email and Atom are autoescaped; ``briefing.plain`` (text and Markdown)
        # escapes through its format object instead.
        autoescape=jinja2.select_autoescape(disabled_extensions=("plain",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["safe_url"] = safe_url
    env.filters["leaning_label"] = leaning_label
    env.filters["short_time"] = short_time
    env.filters["machine_time"] = machine_time
    env.filters["one_line"] = one_line
    env.globals["LEANING_LABELS"] = LEANING_LABELS
    return env


def static_text(name: str) -> str:
    return resources.files("manysides").joinpath("static", name).read_text(encoding="utf-8")


def stylesheet(name: str) -> str:
    """A stylesheet of ``manysides/static`` followed by the shared bar widths."""
    return static_text(name) + static_text(BAR_WIDTHS_CSS_NAME)


def render_page(template: str, **context: Any) -> str:
    """Render one template of ``manysides/templates`` (used by the web app too).

    ``label`` (e.g. the sample briefing's notice) is shown on every page when set."""
    context.setdefault("label", "")
    return environment().get_template(template).render(**context)


def _views(briefing: Briefing, opts: RenderOptions) -> list[tuple[str, list[StoryView]]]:
    return [
        (
            one_line(section.name),
            [
                story_view(i.perspective, opts, whats_new=i.whats_new, rank=i.rank)
                for i in section.items
            ],
        )
        for section in briefing.sections
    ]


def render_html(briefing: Briefing, opts: RenderOptions, links: Links | None = None) -> str:
    """The briefing as a responsive HTML page (no JavaScript)."""
    links = links or Links(mode="static", depth=1)
    return render_page(
        "briefing.html",
        briefing=briefing,
        title=one_line(briefing.title),
        sections=_views(briefing, opts),
        continuing=continuing_views(briefing.continuing),
        links=links,
        opts=opts,
        label=briefing.label or opts.label,
    )


def render_email_html(briefing: Briefing, opts: RenderOptions) -> str:
    """Email-safe HTML, compact: class-less markup styled by one small ``<style>`` block
    (``static/email.css``), inline styles only where the colour carries meaning (the
    coverage bar) or clients that drop ``<style>`` would lose a notice; absolute links only.
    A cite links to its article only when the Sources list of the email does not."""
    links = Links(mode="email", base_url=opts.base_url)
    compact = dataclasses.replace(
        opts,
        articles_per_story=min(opts.articles_per_story, EMAIL_ARTICLES),
        facts_per_story=min(opts.facts_per_story, EMAIL_FACTS),
        quotes_per_story=min(opts.quotes_per_story, EMAIL_QUOTES),
    )
    html = render_page(
        "email.html",
        briefing=briefing,
        title=one_line(briefing.title),
        sections=_views(briefing, compact),
        continuing=continuing_views(briefing.continuing),
        links=links,
        opts=opts,
        label=briefing.label or opts.label,
        css=static_text(EMAIL_CSS_NAME).strip(),
        colours=EMAIL_COLOURS,
    )
    return _INDENT.sub("\n", html)


class PlainText:
    """How ``briefing.plain`` writes plain text (the email's text/plain alternative)."""

    indent = "   "

    def esc(self, value: object) -> str:
        return one_line(value)

    def title(self, title: str, date: str) -> str:
        head = f"{one_line(title)} — {date}"
        return f"{head}\n{'=' * min(72, len(head))}"

    def section(self, name: str) -> str:
        return f"{one_line(name).upper()}\n{'-' * len(one_line(name))}"

    def headline(self, rank: int, text: str, url: str) -> str:
        return f"{rank}. {one_line(text)}"

    def strong(self, text: str) -> str:
        return text

    def heading(self, text: str) -> str:
        return f"{self.indent}{text}:"

    def note(self, text: str) -> str:
        return one_line(text)

    def link(self, text: str, url: str) -> str:
        return one_line(text)

    def cites(self, cites: Sequence[Cite]) -> str:
        return "".join(f"[{c.n}]" for c in cites)

    def item(self, text: str) -> str:
        return f"{self.indent}- {text}"

    def source(self, a: LinkView) -> str:
        kind = f"[{a.kind}] " if a.kind else ""
        line = f"{self.indent}[{a.n}] {one_line(a.outlet)} ({a.leaning_label}): {kind}{one_line(a.title)}"
        return line + (f"\n{self.indent}    {a.url}" if a.url else "")

    def quote(self, q: QuoteView) -> str:
        body = (
            f'"{one_line(q.text)}" — {one_line(q.speaker)}'
            if q.direct
            else (f"{one_line(q.speaker)}: {one_line(q.text)}")
        )
        return self.item(body + self.via(q))

    def join(self, values: Sequence[str]) -> str:
        return ", ".join(self.esc(v) for v in values)

    def discrepancy(self, d: DiscrepancyView) -> str:
        values = "; ".join(
            f"{self.strong(self.esc(v))} ({self.join(outs)})" for v, outs in d.values
        )
        return self.item(f"{self.esc(d.context)}: {values}")

    def framing(self, side: FramingView) -> str:
        line = f"{self.strong(self.esc(side.label))}: {self.join(side.terms)}"
        heads = "; ".join(
            self.link(f"{h.outlet}: {h.kind + ': ' if h.kind else ''}{h.title}", h.url)
            for h in side.headlines
        )
        return self.item(line + (f" — {heads}" if heads else ""))

    def more(self, url: str) -> str:
        return f"{self.indent}More: {url}"

    def continuing(self, c: ContinuingView, url: str) -> str:
        line = self.item(f"{self.esc(c.headline)} — {self.esc(c.remark)}")
        return line + (f"\n{self.indent}    {one_line(url)}" if url else "")

    def web(self, url: str) -> str:
        return f"Read on the web: {url}"

    def unsubscribe(self, url: str) -> str:
        return f"--\nUnsubscribe: {one_line(url)}"

    def via(self, q: QuoteView) -> str:
        if not q.carriers:
            return ""
        carriers = ", ".join(self.esc(o) for o, _ in q.carriers)
        differs = "; wording differs between outlets" if q.wording_differs else ""
        return f" (via {carriers}{differs})"


class MarkdownText(PlainText):
    """How ``briefing.plain`` writes Markdown: escapes only what Markdown reads as syntax,
    links only http(s) URLs."""

    indent = ""

    def esc(self, value: object) -> str:
        return md_escape(value)

    def title(self, title: str, date: str) -> str:
        return f"# {md_escape(title)} — {date}"

    def section(self, name: str) -> str:
        return f"## {md_escape(name)}"

    def headline(self, rank: int, text: str, url: str) -> str:
        return f"### {rank}\\. {self.link(text, url)}"

    def strong(self, text: str) -> str:
        return f"**{text}**"

    def heading(self, text: str) -> str:
        return f"**{text}**"

    def note(self, text: str) -> str:
        return f"_{md_escape(text)}_"

    def link(self, text: str, url: str) -> str:
        target = md_url(url)
        return f"[{md_escape(text)}](<{target}>)" if target else md_escape(text)

    def cites(self, cites: Sequence[Cite]) -> str:
        return "".join(
            f"[\\[{c.n}\\]](<{md_url(c.url)}>)" if md_url(c.url) else f"\\[{c.n}\\]" for c in cites
        )

    def item(self, text: str) -> str:
        return f"- {text}"

    def source(self, a: LinkView) -> str:
        kind = f"*{a.kind}:* " if a.kind else ""
        return f"{a.n}. {md_escape(a.outlet)} ({md_escape(a.leaning_label)}): {kind}{self.link(a.title, a.url)}"

    def quote(self, q: QuoteView) -> str:
        text = f"“{md_escape(q.text)}”" if q.direct else md_escape(q.text)
        return f"> {text} — *{md_escape(q.speaker)}*{self.via(q)}\n"

    def more(self, url: str) -> str:
        return self.link("Full coverage on the web", url)

    def continuing(self, c: ContinuingView, url: str) -> str:
        return self.item(f"{self.link(c.headline, url)} — {self.esc(c.remark)}")

    def web(self, url: str) -> str:
        return self.link("Read on the web", url)


_BLANK_RUNS = re.compile(r"\n{3,}")


def _render_plain(briefing: Briefing, opts: RenderOptions, fmt: PlainText) -> str:
    text = render_page(
        "briefing.plain",
        f=fmt,
        briefing=briefing,
        title=briefing.title,
        label=briefing.label or opts.label,
        sections=_views(briefing, opts),
        continuing=continuing_views(briefing.continuing),
        links=Links(mode="email", base_url=opts.base_url),
        unsubscribe=opts.unsubscribe,
    )
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_RUNS.sub("\n\n", lines).strip() + "\n"


def render_text(briefing: Briefing, opts: RenderOptions) -> str:
    """Plain-text briefing (the email's text/plain alternative)."""
    return _render_plain(briefing, opts, PlainText())


def render_markdown(briefing: Briefing, opts: RenderOptions) -> str:
    """Markdown briefing from the same template as the text; links are http(s) only."""
    return _render_plain(briefing, opts, MarkdownText())


def render_json(briefing: Briefing) -> str:
    """JSON per ``docs/briefing-schema.md``; ``<``, ``>`` and ``&`` are \\u-escaped."""
    text = json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


@dataclass(frozen=True)
class ArchiveEntry:
    date: str
    n_stories: int
    headlines: tuple[str, ...]

    @classmethod
    def of(cls, briefing: Briefing) -> ArchiveEntry:
        return cls(
            date=briefing.date,
            n_stories=len(briefing.items),
            headlines=tuple(one_line(i.perspective.headline) for i in briefing.items[:5]),
        )


def render_archive(
    entries: Sequence[ArchiveEntry], title: str, links: Links, label: str = ""
) -> str:
    return render_page(
        "archive.html", entries=entries, title=one_line(title), links=links, label=label
    )


def render_atom(
    briefings: Sequence[Briefing],
    opts: RenderOptions,
    feed_url: str = "",
    links: Links | None = None,
) -> str:
    """Atom feed with one entry per briefing (newest first)."""
    links = links or Links(mode="email", base_url=opts.base_url)
    ordered = sorted(briefings, key=lambda b: b.date, reverse=True)
    entries = []
    for b in ordered:
        content = render_page(
            "feed_entry.html",
            sections=_views(b, opts),
            continuing=continuing_views(b.continuing),
            links=links,
            briefing=b,
            label=b.label or opts.label,
        )
        entries.append(
            {
                "date": b.date,
                "title": f"{one_line(b.title)} — {b.date}"
                + (f" ({one_line(b.label)})" if b.label else ""),
                "updated": b.generated_at,
                "link": links.briefing(b.date),
                "id": f"tag:manysides,{b.date}:briefing/{b.date}",
                "content": str(content),
            }
        )
    title = one_line(ordered[0].title) if ordered else "manysides daily briefing"
    updated = (
        ordered[0].generated_at if ordered else datetime.now(UTC).isoformat(timespec="seconds")
    )
    return render_page(
        "feed.atom",
        title=title,
        updated=updated,
        feed_url=safe_url(feed_url),
        home=safe_url(opts.base_url + "/") if opts.base_url else "",
        entries=entries,
    )


def render_files(
    briefing: Briefing,
    history: Sequence[Briefing],
    opts: RenderOptions,
    archive: Sequence[ArchiveEntry] | None = None,
    *,
    feed_path: str = "feed.atom",
) -> dict[str, str]:
    """Every file of the output folder, by relative path.

    ``history`` holds recent briefings for the feed; ``archive`` lists every briefing for
    the root ``index.html`` (default: built from ``history``); ``feed_path`` is where the
    feed is published under ``opts.base_url`` (its self link).
    """
    day = briefing.date
    others = [b for b in history if b.date != day]
    everything = sorted([briefing, *others], key=lambda b: b.date, reverse=True)
    root_links = Links(mode="static", depth=0)
    feed_links = Links(mode="email", base_url=opts.base_url) if opts.base_url else root_links
    return {
        f"{day}/index.html": render_html(briefing, opts, Links(mode="static", depth=1)),
        f"{day}/email.html": render_email_html(briefing, opts),
        f"{day}/briefing.txt": render_text(briefing, opts),
        f"{day}/briefing.md": render_markdown(briefing, opts),
        f"{day}/briefing.json": render_json(briefing),
        "index.html": render_archive(
            list(archive) if archive is not None else [ArchiveEntry.of(b) for b in everything],
            briefing.title,
            root_links,
            briefing.label or opts.label,
        ),
        "feed.atom": render_atom(
            everything[:30],
            opts,
            f"{opts.base_url}/{feed_path}" if opts.base_url else "",
            feed_links,
        ),
        CSS_NAME: stylesheet(CSS_NAME),
    }

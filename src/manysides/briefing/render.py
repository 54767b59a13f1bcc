"""Render a ``Briefing`` as HTML, email HTML, plain text, Markdown, JSON and Atom.

HTML and Atom come from Jinja2 templates with autoescape on; text and Markdown are
built here with their own escaping. Nothing from an article is ever emitted as markup,
and only http(s) URLs become links (``safe_url``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import jinja2

from .records import Briefing
from .view import (
    LEANING_LABELS,
    RenderOptions,
    StoryView,
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
        autoescape=True,
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
    """Render one template of ``manysides/templates`` (used by the web app too)."""
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
        links=links,
        opts=opts,
    )


def render_email_html(briefing: Briefing, opts: RenderOptions) -> str:
    """Email-safe HTML: tables, CSS inlined by premailer, absolute links only."""
    import premailer

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
        links=links,
        opts=opts,
        css=stylesheet(EMAIL_CSS_NAME),
    )
    logging.getLogger("cssutils").setLevel(logging.CRITICAL)
    inlined = premailer.transform(
        html,
        remove_classes=True,
        keep_style_tags=False,
        disable_validation=True,
        cssutils_logging_level=logging.CRITICAL,
        allow_network=False,
        # The inlined CSS is enough: no width/align/bgcolor copies (obsolete in HTML).
        disable_basic_attributes=["align", "valign", "bgcolor", "width", "height"],
    )
    # lxml drops the doctype; without it clients render in quirks mode.
    return "<!doctype html>\n" + inlined.removeprefix("<!DOCTYPE html>").lstrip()


def render_text(briefing: Briefing, opts: RenderOptions) -> str:
    """Plain-text briefing (the email's text/plain alternative)."""
    title = one_line(briefing.title)
    out = [f"{title} — {briefing.date}", "=" * min(72, len(title) + 13), ""]
    links = Links(mode="email", base_url=opts.base_url)
    if links.briefing(briefing.date):
        out += [f"Read on the web: {links.briefing(briefing.date)}", ""]
    sections = _views(briefing, opts)
    if not sections:
        out += ["No stories yet: nothing was reported by enough outlets for this briefing.", ""]
    for name, views in sections:
        out += [name.upper(), "-" * len(name), ""]
        for v in views:
            out.append(f"{v.rank}. {v.headline}")
            out.append(
                f"   Coverage: {v.n_outlets} outlets, {v.n_reports} reports ({v.coverage_text})"
            )
            if v.blindspot:
                out.append(f"   {v.blindspot}")
            if v.whats_new:
                new_outlets = ", ".join(one_line(o) for o in v.whats_new.new_outlets) or "none"
                out.append(
                    f"   New since {v.whats_new.since}: {len(v.whats_new.new_articles)} articles;"
                    f" new outlets: {new_outlets}"
                )
            for line in v.summary:
                cites = "".join(f"[{c.n}]" for c in line.cites)
                out.append(f"   {line.text} {cites}".rstrip())
            if v.facts:
                out.append("   Key facts:")
                out += [f"   - {f.text}" for f in v.facts]
            if v.quotes:
                out.append("   Quotes:")
                for q in v.quotes:
                    carriers = ", ".join(o for o, _ in q.carriers)
                    out.append(
                        (
                            f'   - "{q.text}" — {q.speaker}'
                            if q.direct
                            else f"   - {q.speaker}: {q.text}"
                        )
                        + (f" (via {carriers})" if carriers else "")
                    )
            for f in v.framing:
                terms = ", ".join(f.terms)
                out.append(f"   {f.label} framing: {terms}")
                out += [f"     · {h.outlet}: {h.title}" for h in f.headlines]
            out.append("   Sources:")
            for a in v.articles:
                out.append(f"   [{a.n}] {a.outlet} ({a.leaning_label}): {a.title}")
                if a.url:
                    out.append(f"       {a.url}")
            story_link = links.story(v.story_id)
            if story_link:
                out.append(f"   More: {story_link}")
            out.append("")
    if opts.unsubscribe:
        out += ["--", f"Unsubscribe: {one_line(opts.unsubscribe)}"]
    return "\n".join(out).rstrip() + "\n"


def render_markdown(briefing: Briefing, opts: RenderOptions) -> str:
    """Markdown briefing; every article-derived string is escaped, links are http(s) only."""

    def link(text: str, url: str) -> str:
        target = md_url(url)
        return f"[{md_escape(text)}](<{target}>)" if target else md_escape(text)

    out = [f"# {md_escape(briefing.title)} — {briefing.date}", ""]
    sections = _views(briefing, opts)
    if not sections:
        out += ["_No stories yet: nothing was reported by enough outlets for this briefing._", ""]
    links = Links(mode="email", base_url=opts.base_url)
    for name, views in sections:
        out += [f"## {md_escape(name)}", ""]
        for v in views:
            out.append(f"### {v.rank}\\. {link(v.headline, links.story(v.story_id))}")
            out.append("")
            out.append(
                f"**Coverage:** {v.n_outlets} outlets, {v.n_reports} reports"
                f" ({md_escape(v.coverage_text)})"
            )
            if v.blindspot:
                out.append(f"\n**{md_escape(v.blindspot)}**")
            if v.whats_new:
                outlets = ", ".join(md_escape(o) for o in v.whats_new.new_outlets) or "none"
                out.append(
                    f"\n**New since {v.whats_new.since}:** {len(v.whats_new.new_articles)} articles;"
                    f" new outlets: {outlets}"
                )
            out.append("")
            for line in v.summary:
                cites = "".join(
                    f"[\\[{c.n}\\]](<{md_url(c.url)}>)" if md_url(c.url) else f"\\[{c.n}\\]"
                    for c in line.cites
                )
                out.append(f"{md_escape(line.text)} {cites}".rstrip())
            out.append("")
            if v.facts:
                out += ["**Key facts**", ""] + [f"- {md_escape(f.text)}" for f in v.facts] + [""]
            if v.quotes:
                out += ["**Quotes**", ""]
                for q in v.quotes:
                    via = ", ".join(md_escape(o) for o, _ in q.carriers)
                    out.append(
                        f"> {md_escape(q.text)} — *{md_escape(q.speaker)}*"
                        + (f" (via {via})" if via else "")
                    )
                    out.append("")
            if v.framing:
                out += ["**How each side frames it**", ""]
                for f in v.framing:
                    heads = "; ".join(link(f"{h.outlet}: {h.title}", h.url) for h in f.headlines)
                    terms = ", ".join(md_escape(t) for t in f.terms)
                    out.append(
                        f"- **{md_escape(f.label)}**: {terms}" + (f" — {heads}" if heads else "")
                    )
                out.append("")
            out += ["**Sources**", ""]
            for a in v.articles:
                out.append(
                    f"{a.n}. {md_escape(a.outlet)} ({md_escape(a.leaning_label)}): {link(a.title, a.url)}"
                )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


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


def render_archive(entries: Sequence[ArchiveEntry], title: str, links: Links) -> str:
    return render_page("archive.html", entries=entries, title=one_line(title), links=links)


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
        content = render_page("feed_entry.html", sections=_views(b, opts), links=links, briefing=b)
        entries.append(
            {
                "date": b.date,
                "title": f"{one_line(b.title)} — {b.date}",
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
) -> dict[str, str]:
    """Every file of the output folder, by relative path.

    ``history`` holds recent briefings for the feed; ``archive`` lists every briefing for
    the root ``index.html`` (default: built from ``history``).
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
        ),
        "feed.atom": render_atom(
            everything[:30], opts, f"{opts.base_url}/feed.atom" if opts.base_url else "", feed_links
        ),
        CSS_NAME: stylesheet(CSS_NAME),
    }

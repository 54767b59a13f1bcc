"""Display-ready views of a story, shared by every output format.

Everything here is computed from untrusted, article-derived text; nothing is escaped
here. Each renderer escapes for its own format (Jinja autoescape for HTML/Atom,
``md_escape`` for Markdown, ``one_line`` for text). URLs are filtered by ``safe_url``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..config import BriefingConfig
from ..nlp.text import ABBREVIATIONS
from ..perspectives.records import SIDE_OF, ArticleRef, Perspective, StoryQuoteRef
from ..records import LEANINGS
from ..times import parse as parse_time
from .records import ContinuingItem, WhatsNew

if TYPE_CHECKING:
    from ..stories.explain import StoryWhy

LEANING_ORDER: tuple[str, ...] = LEANINGS
LEANING_LABELS: dict[str, str] = {
    "left": "Left",
    "lean-left": "Lean left",
    "center": "Center",
    "lean-right": "Lean right",
    "right": "Right",
    "unrated": "Unrated",
}
SIDE_LABELS: dict[str, str] = {"left": "Left", "center": "Center", "right": "Right"}
KIND_LABELS: dict[str, str] = {"opinion": "Opinion", "analysis": "Analysis"}
ABSENT_WORDS: dict[str, str] = {
    "left": "left-leaning",
    "center": "center",
    "right": "right-leaning",
}
QUOTE_MARKS = "\"'“”‘’«»„ "


@dataclass(frozen=True)
class RenderOptions:
    """What one story shows, always taken from ``BriefingConfig`` (which owns the defaults);
    a story's own page (``full``) shows every quote, fact and article."""

    base_url: str
    quotes_per_story: int
    facts_per_story: int
    articles_per_story: int
    framing_terms: int
    full_framing_terms: int
    headlines_per_side: int
    discrepancies: int
    full_discrepancies: int
    new_articles: int
    label: str
    quote_min_confidence: float
    unsubscribe: str = ""  # the email's unsubscribe link (URL or mailto:), if any

    @classmethod
    def from_config(cls, cfg: BriefingConfig, base_url: str | None = None) -> RenderOptions:
        """Options of ``cfg``; ``base_url`` (``config.public_url``) overrides its own."""
        return cls(
            base_url=safe_url(cfg.base_url if base_url is None else base_url).rstrip("/"),
            quotes_per_story=cfg.quotes_per_story,
            facts_per_story=cfg.facts_per_story,
            articles_per_story=cfg.articles_per_story,
            framing_terms=cfg.framing_terms_per_side,
            full_framing_terms=cfg.story_page_framing_terms,
            headlines_per_side=cfg.headlines_per_side,
            discrepancies=cfg.discrepancies_per_story,
            full_discrepancies=cfg.story_page_discrepancies,
            new_articles=cfg.new_articles_per_story,
            label=cfg.label,
            quote_min_confidence=cfg.quote_min_confidence,
        )


# -- sanitising helpers ---------------------------------------------------------------
def one_line(value: object) -> str:
    """Collapse whitespace (CR/LF included) and drop control/format characters."""
    text = "" if value is None else str(value)
    if text.isprintable():  # no Cc, Cf, Zl or Zp character: only spaces to collapse
        return " ".join(text.split())
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) != "Cf" or ch == "\u200d"
    )
    return " ".join(text.split())


_URL_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_url(value: object) -> str:
    """The URL if it is an absolute http(s) URL without control characters, else ``""``."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if not url or _URL_CONTROL.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url


# Markdown escaping, only where Markdown would read syntax: emphasis, code, links, raw
# HTML and entities anywhere; block markers (headings, lists, quotes, rules) at the start.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>~])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_BLOCK = re.compile(r"^(#{1,6}(?=\s|$)|[>+-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$)")


def md_escape(value: object) -> str:
    """Text safe inside Markdown: one line; only characters Markdown would read as syntax
    are backslash-escaped (``Susan Rice's (R-Wis.)`` stays as it is)."""
    text = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", one_line(value)))
    match = _MD_BLOCK.match(text)
    if match:
        marker = match.group(1)
        text = marker + "\\" + text[len(marker) :] if marker[0].isdigit() else "\\" + text
    return text


def md_url(value: object) -> str:
    """A safe URL for ``[text](<url>)``; ``""`` if the URL is not http(s)."""
    url = safe_url(value)
    return url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")


def leaning_label(leaning: str | None) -> str:
    return LEANING_LABELS.get(leaning or "unrated", "Unrated")


def side_of(leaning: str | None) -> str:
    return SIDE_OF.get(leaning or "", "unrated")


SHORT_TIME = "%Y-%m-%d %H:%M UTC"


def short_time(value: str | None) -> str:
    dt = parse_time(value)
    return dt.strftime(SHORT_TIME) if dt else ""


def machine_time(value: str | None) -> str:
    """``<time datetime>`` value (``2020-05-19T08:00Z``) of an ISO or ``short_time``
    string; "" if it is neither."""
    dt = parse_time(value) if value else None
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ") if dt else ""


# -- views --------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    leaning: str
    label: str
    outlets: tuple[str, ...]
    n_outlets: int
    articles: int
    percent: int


@dataclass(frozen=True)
class Cite:
    n: int
    url: str
    outlet: str
    title: str


@dataclass(frozen=True)
class SummaryLine:
    text: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class LinkView:
    n: int
    outlet: str
    source_id: str
    title: str
    url: str
    leaning: str
    leaning_label: str
    published: str
    carriers: tuple[str, ...] = ()
    kind: str = ""  # "Opinion" | "Analysis" | "" (news)


@dataclass(frozen=True)
class QuoteView:
    text: str
    speaker: str
    direct: bool
    carriers: tuple[tuple[str, str], ...]  # (outlet, leaning label)
    wording_differs: bool


@dataclass(frozen=True)
class FramingView:
    side: str
    label: str
    terms: tuple[str, ...]
    headlines: tuple[LinkView, ...]
    loaded_language: float


@dataclass(frozen=True)
class FactView:
    text: str
    outlets: tuple[str, ...]
    sides: tuple[str, ...]


@dataclass(frozen=True)
class DiscrepancyView:
    context: str
    values: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class StoryView:
    story_id: int
    headline: str
    section: str
    n_outlets: int
    n_reports: int
    n_articles: int
    first_report: str
    latest_report: str
    blindspot: str  # "" or a sentence for the badge
    absent: str  # "" or "No right-leaning outlet covered this"
    n_opinion: int
    segments: tuple[Segment, ...]
    summary: tuple[SummaryLine, ...]
    summary_method: str
    facts: tuple[FactView, ...]
    discrepancies: tuple[DiscrepancyView, ...]
    quotes: tuple[QuoteView, ...]
    framing: tuple[FramingView, ...]
    articles: tuple[LinkView, ...]
    more_articles: int
    whats_new: WhatsNew | None = None
    new_links: tuple[LinkView, ...] = field(default_factory=tuple)
    rank: int = 0

    @property
    def coverage_text(self) -> str:
        return ", ".join(f"{s.label} {s.n_outlets}" for s in self.segments)


@dataclass(frozen=True)
class ContinuingView:
    """One "continuing" line: a story of the previous briefing without new reporting."""

    story_id: int
    headline: str
    since: str
    n_outlets: int
    n_articles: int

    @property
    def remark(self) -> str:
        return (
            f"in the {self.since} briefing; no new reporting since"
            f" ({self.n_outlets} outlet{'s' if self.n_outlets != 1 else ''},"
            f" {self.n_articles} article{'s' if self.n_articles != 1 else ''})"
        )


def continuing_views(items: Sequence[ContinuingItem]) -> list[ContinuingView]:
    return [
        ContinuingView(
            story_id=c.story_id,
            headline=one_line(c.headline) or "(untitled story)",
            since=one_line(c.since),
            n_outlets=c.n_outlets,
            n_articles=c.n_articles,
        )
        for c in items
    ]


@dataclass(frozen=True)
class WhyMemberView:
    id: int | str
    title: str
    url: str
    outlet: str
    source_id: str
    similarity: str  # "0.93", or "" for a one-article story


@dataclass(frozen=True)
class WhyView:
    """Why a story's articles are one story (``stories.explain``), for its page."""

    n_articles: int
    entities: tuple[tuple[str, int], ...]  # (name, members that contain it)
    terms: tuple[tuple[str, int], ...]
    members: tuple[WhyMemberView, ...]  # least similar first: where a wrong grouping shows


def why_view(why: StoryWhy, articles: Sequence[ArticleRef]) -> WhyView:
    """The page view of a story's explanation; titles and outlets come from the
    perspective's articles (a member it does not list is shown by its number)."""
    refs = {a.id: a for a in articles}
    members = []
    for m in sorted(why.members, key=lambda m: (m.similarity or 0.0, str(m.id))):
        a = refs.get(m.id) if isinstance(m.id, int) else None
        members.append(
            WhyMemberView(
                id=m.id,
                title=(one_line(a.title) if a else "") or f"article {one_line(m.id)}",
                url=safe_url(a.url) if a else "",
                outlet=one_line(a.outlet) if a else "",
                source_id=(a.source_id or "") if a else "",
                similarity="" if m.similarity is None else f"{m.similarity:.2f}",
            )
        )
    return WhyView(
        n_articles=why.n_articles,
        entities=tuple((one_line(e.term), e.members) for e in why.entities),
        terms=tuple((one_line(t.term), t.members) for t in why.terms),
        members=tuple(members),
    )


def _link(n: int, a: ArticleRef) -> LinkView:
    return LinkView(
        n=n,
        outlet=one_line(a.outlet) or "unknown outlet",
        source_id=a.source_id or "",
        title=one_line(a.title) or "(untitled)",
        url=safe_url(a.url),
        leaning=a.leaning if a.leaning in LEANING_LABELS else "unrated",
        leaning_label=leaning_label(a.leaning),
        published=short_time(a.published),
        carriers=tuple(one_line(c) for c in a.carriers),
        kind=KIND_LABELS.get(a.kind, ""),
    )


def _segments(p: Perspective) -> tuple[Segment, ...]:
    raw: list[tuple[str, list[str], int]] = []
    for leaning in LEANING_ORDER:
        entry = p.coverage.by_leaning.get(leaning)
        if not entry:
            continue
        outlets = [one_line(o) for o in entry.get("outlets", [])]
        if outlets or entry.get("articles"):
            raw.append((leaning, outlets, int(entry.get("articles", 0) or 0)))
    total = sum(max(len(o), 1) for _, o, _ in raw) or 1
    return tuple(
        Segment(
            leaning=leaning,
            label=leaning_label(leaning),
            outlets=tuple(outlets),
            n_outlets=len(outlets),
            articles=articles,
            percent=max(1, round(100 * max(len(outlets), 1) / total)),
        )
        for leaning, outlets, articles in raw
    )


def _blindspot(p: Perspective) -> str:
    side = p.coverage.blindspot
    if not side:
        return ""
    label = SIDE_LABELS.get(side, one_line(side)).lower()
    dominant = p.coverage.dominant_side
    if dominant:
        return f"Blindspot: covered mostly by the {SIDE_LABELS.get(dominant, one_line(dominant)).lower()}, little from the {label}"
    return f"Blindspot: little coverage from the {label}"


def absent_remark(p: Perspective) -> str:
    """ "No right-leaning outlet covered this" for the sides no rated outlet covered."""
    words = [ABSENT_WORDS[s] for s in p.coverage.absent_sides if s in ABSENT_WORDS]
    if not words:
        return ""
    if len(words) == 2 and words[0].endswith("-leaning") and words[1].endswith("-leaning"):
        joined = f"{words[0].removesuffix('-leaning')}- or {words[1]}"
    else:
        joined = " or ".join(words)
    return f"No {joined} outlet covered this"


def story_view(
    p: Perspective,
    opts: RenderOptions,
    *,
    full: bool = False,
    whats_new: WhatsNew | None = None,
    rank: int = 0,
) -> StoryView:
    """The display view of one story; ``full`` keeps every quote, fact and article."""
    numbered = {a.id: (i, a) for i, a in enumerate(p.articles, start=1)}
    summary = tuple(
        SummaryLine(
            text=one_line(s.text),
            cites=tuple(
                Cite(
                    n=numbered[aid][0],
                    url=safe_url(numbered[aid][1].url),
                    outlet=one_line(numbered[aid][1].outlet),
                    title=one_line(numbered[aid][1].title),
                )
                for aid in s.articles
                if aid in numbered
            ),
        )
        for s in p.summary.sentences
        if one_line(s.text)
    )
    if not summary and one_line(p.summary.text):
        summary = (SummaryLine(text=one_line(p.summary.text), cites=()),)
    n_articles = len(p.articles) if full else opts.articles_per_story
    n_quotes = len(p.quotes) if full else opts.quotes_per_story
    n_facts = len(p.facts) if full else opts.facts_per_story
    n_terms = opts.full_framing_terms if full else opts.framing_terms
    n_discrepancies = opts.full_discrepancies if full else opts.discrepancies
    framing = tuple(
        FramingView(
            side=side,
            label=SIDE_LABELS.get(side, one_line(side)),
            terms=tuple(one_line(t) for t, _z in f.terms[:n_terms]),
            headlines=tuple(
                _link(numbered.get(h.id, (0, h))[0], h)
                for h in f.headlines[: opts.headlines_per_side]
            ),
            loaded_language=float(f.loaded_language),
        )
        for side, f in sorted(p.framing.items(), key=lambda kv: _side_key(kv[0]))
        if f.terms or f.headlines
    )
    return StoryView(
        story_id=p.story_id,
        headline=one_line(p.headline) or "(untitled story)",
        section=one_line(p.section),
        n_outlets=p.coverage.n_outlets,
        n_reports=p.coverage.n_reports,
        n_articles=p.coverage.n_articles,
        first_report=short_time(p.coverage.first_report),
        latest_report=short_time(p.coverage.latest_report),
        blindspot=_blindspot(p),
        absent=absent_remark(p),
        n_opinion=p.coverage.n_opinion,
        segments=_segments(p),
        summary=summary,
        summary_method=one_line(p.summary.method),
        facts=tuple(
            FactView(
                one_line(f.text),
                tuple(one_line(o) for o in f.outlets),
                tuple(one_line(s) for s in f.sides),
            )
            for f in p.facts[:n_facts]
            if one_line(f.text)
        ),
        discrepancies=tuple(
            DiscrepancyView(
                one_line(d.context),
                tuple(
                    (one_line(v), tuple(one_line(o) for o in outs)) for v, outs in d.values.items()
                ),
            )
            for d in p.discrepancies[:n_discrepancies]
        ),
        quotes=tuple(
            QuoteView(
                text=quote_text(q),
                speaker=one_line(q.speaker) or "unattributed",
                direct=q.direct,
                carriers=tuple(
                    (one_line(c.get("outlet", "")), leaning_label(c.get("leaning")))
                    for c in q.carriers
                ),
                wording_differs=q.wording_differs,
            )
            for q in display_quotes(
                p.quotes,
                named_in=None if full else story_text(p),
                min_confidence=opts.quote_min_confidence,
            )[:n_quotes]
        ),
        framing=framing,
        articles=tuple(_link(i, a) for i, a in enumerate(p.articles[:n_articles], start=1)),
        more_articles=max(0, len(p.articles) - n_articles),
        whats_new=whats_new,
        new_links=tuple(
            _link(numbered.get(a.id, (0, a))[0], a)
            for a in (whats_new.new_articles if whats_new else [])
        )[: opts.new_articles],
        rank=rank,
    )


_THAT = re.compile(r"^(?:that|whether|how)\s+", re.IGNORECASE)
MIN_QUOTE_WORDS = 5
# A quote ending on one of these words was cut off mid-sentence.
_DANGLING = frozenset(
    "and or but nor to of the a an that with for in on at by as from than".split()
)


_NOT_SPEAKERS = frozenset(
    (
        "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
        "january february march april may june july august september october november "
        "december at in on this that it there here"
    ).split()
)


def _plausible_speaker(speaker: str | None) -> bool:
    """A speaker that reads like a person or body, not a date, a stray phrase or a span
    that ran across a sentence ("COVID-19. Trump") or into a list ("McBath,"): a word may
    end in a full stop only as an initial ("F."), an acronym ("U.S.") or an abbreviation
    (``nlp.text.ABBREVIATIONS``: "Jr.", "Sen.")."""
    words = (speaker or "").split()
    if not words or words[0].lower() in _NOT_SPEAKERS:
        return False

    def cut(word: str) -> bool:
        if word.endswith((",", ";", ":")):
            return True
        bare = word[:-1]
        return word.endswith(".") and not (
            len(bare) == 1 or "." in bare or bare.lower() in ABBREVIATIONS
        )

    return not any(cut(w) for w in words)


def quote_text(q: StoryQuoteRef) -> str:
    """The quote as shown: direct quotes without their own marks (the view adds them),
    reported speech without its leading "that"."""
    text = one_line(q.text)
    return text.strip(QUOTE_MARKS) if q.direct else _THAT.sub("", text).strip(" ,;")


_PARTICLES = frozenset("of the for and de da del van von der bin al la le du st".split())
_UNNAMED_LEADS = frozenset(
    (
        "a an the his her their its our my your this that these those but and or so then "
        "when while after before usually also still even just only glancing speaking asked "
        "he she they we i it there here one some many officials critics"
    ).split()
)


def story_text(p: Perspective) -> str:
    """Where a story names its people: headline, outlet headlines, summary, key facts."""
    return " ".join(
        [p.headline, p.summary.text, *(a.title for a in p.articles), *(f.text for f in p.facts)]
    )


def named_speaker(speaker: str | None, context: str, others: Sequence[str] = ()) -> bool:
    """A speaker that is a name (a person or organisation) rather than a pronoun, a stray
    phrase or a lone place: capitalised words (particles such as "of" aside), not opening
    with a determiner, conjunction or gerund; a single word only when the story also
    names it with a first name or title ("Trump" after "Donald Trump")."""
    words = (speaker or "").split()
    if not words or len(words) > 6:
        return False
    first = words[0].strip(".,").lower()
    if first in _UNNAMED_LEADS or first in _NOT_SPEAKERS or first.endswith("ing"):
        return False
    if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        return False
    if len(words) > 1:
        return True
    word = re.escape(words[0])
    pool = " ".join([context, *others])
    return re.search(rf"\b[A-Z][\w.'’-]+ {word}\b", pool) is not None


def display_quotes(
    quotes: Sequence[StoryQuoteRef], named_in: str | None = None, min_confidence: float = 0.9
) -> list[StoryQuoteRef]:
    """The quotes worth showing, best first: attributed ones with at least
    ``MIN_QUOTE_WORDS`` words and balanced quotation marks; direct quotes before reported
    speech, then by how many outlets carried them (the stored order).

    With ``named_in`` (the front page: the story's text), only quotes whose speaker is a
    name (``named_speaker``) and whose attribution confidence (the quotes stage's calibrated
    estimate) is at least ``min_confidence``; the story page shows the rest."""

    def worth(q: StoryQuoteRef) -> bool:
        text = quote_text(q)
        words = text.split()
        balanced = text.count('"') % 2 == 0 and text.count("“") == text.count("”")
        cut_off = bool(words) and words[-1].strip(QUOTE_MARKS + ",;:").lower() in _DANGLING
        return (
            _plausible_speaker(q.speaker)
            and len(words) >= MIN_QUOTE_WORDS
            and balanced
            and (not cut_off)
        )

    kept = [q for q in quotes if worth(q)]
    if named_in is not None:
        speakers = [q.speaker or "" for q in quotes if len((q.speaker or "").split()) > 1]
        kept = [
            q
            for q in kept
            if named_speaker(q.speaker, named_in, speakers) and q.confidence >= min_confidence
        ]
    return sorted(kept, key=lambda q: not q.direct)


def _side_key(side: str) -> int:
    order = ("left", "center", "right")
    return order.index(side) if side in order else len(order)

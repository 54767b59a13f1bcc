"""Opinion, analysis and editorial pieces: recognised, labelled, and kept apart from news.

``article_kind`` looks at what an article says about itself, most specific first:

1. its URL path: a segment such as ``/opinion/``, ``/opinions/``, ``/columnists/``,
   ``/commentary/``, ``/editorials/``, ``/ideas/``, ``/outlook/`` (opinion) or
   ``/analysis/`` (analysis);
2. its metadata: the section the page declares (``article:section``, JSON-LD
   ``articleSection``: "Opinion", "Commentary", "Op-Ed", "Editorials", "Columnists",
   "Analysis", ...) and its type (``og:type`` "opinion", schema.org
   ``OpinionNewsArticle``, ``AnalysisNewsArticle``, ``ReviewNewsArticle``);
3. its title: a leading ``Opinion:``, ``Analysis:``, ``Editorial:``, ``Op-Ed:``,
   ``Commentary:`` or ``Column:`` marker, or a trailing ``| Opinion``;
4. its byline: an author field that starts with "Opinion" or "Analysis" (as CNN and the
   Washington Post print them) or names a columnist's role (columnist, guest or
   contributing columnist, opinion writer or contributor, op-ed contributor, editorial
   board, "Commentary by");
5. the opening and closing lines of its text: a syndication credit (King Features, Creators,
   Tribune Content Agency, Washington Post Writers Group, Andrews McMeel), a disclaimer
   ("The opinions expressed by columnists ..."), a bio line ("X is a ... columnist") or a
   columnist's sign-off as the last line ("Twitter: @RichLowry").

``story_kinds`` then applies the byline rule within a story: a piece by the same first author
as a recognised column is that column too (Rich Lowry's column in the New York Post ends with
his sign-off; the same column in National Review, whose syndication credit extraction drops,
carries no marker of its own). The same byline alone is not enough: wire reporters and
"Staff" bylines appear in many outlets. ``opinion_groups`` counts a column carried by several
outlets once.

Each kind comes with its reason, so a label can always be explained.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .records import StoryArticle

OPINION = "opinion"
ANALYSIS = "analysis"
KINDS = (OPINION, ANALYSIS)

_OPINION_SEGMENTS = frozenset(
    "opinion opinions op-ed oped op-eds commentary editorial editorials columnist columnists"
    " column columns ideas outlook political-commentary perspective perspectives voices"
    " letters".split()
)
_ANALYSIS_SEGMENTS = frozenset("analysis news-analysis".split())
# A declared section (article:section) is a short name: one of these words, alone or
# with a qualifier ("Opinion / Columnists", "Editorials and Op-Eds", "News Analysis").
_SECTION_OPINION = re.compile(
    r"\b(opinions?|op-?eds?|commentary|editorials?|columnists?|columns?|letters"
    r"|perspectives?|viewpoints?|ideas)\b",
    re.I,
)
_SECTION_ANALYSIS = re.compile(r"\banalysis\b", re.I)
_TYPE_KINDS = {
    "opinion": OPINION,
    "opinionnewsarticle": OPINION,
    "reviewnewsarticle": OPINION,
    "analysisnewsarticle": ANALYSIS,
    "article:opinion": OPINION,
}
_TITLE_LEAD = re.compile(
    r"^\s*(opinion|op-ed|analysis|editorial|commentary|column|perspective)\s*[:|–—]\s*", re.I
)
_TITLE_TAIL = re.compile(r"[|–—]\s*(opinion|op-ed|editorial|commentary)\s*$", re.I)
_BYLINE_LEAD = re.compile(r"^\s*(opinion|analysis)\b", re.I)
_BYLINE_ROLE = re.compile(
    r"\b((?:guest |contributing |syndicated )?columnist|opinion (?:writer|contributor|columnist)"
    r"|op-ed contributor|(?:the )?editorial board|commentary by)\b",
    re.I,
)
_TEXT_MARKER = re.compile(
    r"King Features Syndicate|Creators Syndicate|Creators\.com|Tribune Content Agency"
    r"|Washington Post Writers Group|Andrews McMeel Syndication"
    r"|opinions expressed (?:by|in) (?:columnists|this)|views expressed (?:in|by) (?:this|the author)"
    r"|\bis an? (?:[\w-]+ ){0,3}(?:columnist|opinion writer|contributing opinion writer)\b",
    re.I,
)
# A column's sign-off: its last line is the columnist's handle ("Twitter: @RichLowry").
_SIGN_OFF = re.compile(
    r"(?:^|\n)\s*(?:Twitter|Follow (?:him|her|them) on Twitter)\s*:?\s*@\w+\s*$", re.I
)
EDGE_CHARS = 600  # bios, credits and disclaimers sit at the very start or end of a column


@dataclass(frozen=True)
class Kind:
    kind: str  # "opinion" | "analysis" | "" (news)
    reason: str = ""


NEWS = Kind("")


def _authors(a: StoryArticle) -> list[str]:
    return [x.strip() for x in (a.authors or "").split(",") if x.strip()]


def article_kind(a: StoryArticle) -> Kind:
    """What one article is, from its own URL, title, byline and text edges."""
    path = urlsplit(a.url or "").path.lower()
    segments = [s for s in path.split("/") if s]
    for seg in segments[:-1] if len(segments) > 1 else segments:
        if seg in _OPINION_SEGMENTS:
            return Kind(OPINION, f"URL path /{seg}/")
        if seg in _ANALYSIS_SEGMENTS:
            return Kind(ANALYSIS, f"URL path /{seg}/")
    declared = _TYPE_KINDS.get((a.page_type or "").strip().lower())
    if declared:
        return Kind(declared, f"page type '{a.page_type.strip()}'")
    section = " ".join((a.page_section or "").split())
    if section:
        m = _SECTION_ANALYSIS.search(section)
        if m:
            return Kind(ANALYSIS, f"page section '{section}'")
        m = _SECTION_OPINION.search(section)
        if m:
            return Kind(OPINION, f"page section '{section}'")
    title = a.title or ""
    lead = _TITLE_LEAD.match(title) or _TITLE_TAIL.search(title)
    if lead:
        word = lead.group(1).lower()
        return Kind(ANALYSIS if word == "analysis" else OPINION, f"title marker '{lead.group(1)}'")
    byline = a.authors or ""
    m = _BYLINE_LEAD.match(byline)
    if m:
        word = m.group(1).lower()
        return Kind(ANALYSIS if word == "analysis" else OPINION, f"byline '{m.group(1)}'")
    m = _BYLINE_ROLE.search(byline)
    if m:
        return Kind(OPINION, f"byline '{m.group(1)}'")
    text = a.text or ""
    edges = text[:EDGE_CHARS] + "\n" + text[-EDGE_CHARS:]
    m = _TEXT_MARKER.search(edges) or _SIGN_OFF.search(text[-200:])
    if m:
        return Kind(OPINION, f"text '{m.group(0).strip()}'")
    return NEWS


def story_kinds(articles: Sequence[StoryArticle]) -> dict[int, Kind]:
    """Every article's kind in one story, with the byline rule applied (module docstring)."""
    kinds = {a.id: article_kind(a) for a in articles}
    columnists: dict[str, str] = {}
    for a in articles:
        names = _authors(a)
        if kinds[a.id].kind == OPINION and names:
            columnists.setdefault(names[0].lower(), names[0])
    for a in articles:
        names = _authors(a)
        if not kinds[a.id].kind and names and names[0].lower() in columnists:
            kinds[a.id] = Kind(OPINION, f"byline of columnist {columnists[names[0].lower()]}")
    return kinds


def opinion_groups(articles: Sequence[StoryArticle], kinds: dict[int, Kind]) -> int:
    """Distinct opinion/analysis pieces: one per first author (a column carried by several
    outlets counts once), one per syndicated report, else one per article."""
    seen: set[str] = set()
    for a in articles:
        if not kinds.get(a.id, NEWS).kind:
            continue
        names = _authors(a)
        if names:
            seen.add(f"author:{names[0].lower()}")
        elif a.report_id is not None:
            seen.add(f"report:{a.report_id}")
        else:
            seen.add(f"article:{a.id}")
    return len(seen)

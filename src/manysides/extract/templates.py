"""Learn each site's template: lines that recur across many of its pages.

A newsletter promo printed under every article of one outlet is boilerplate even if no
rule knows it. ``TemplateLearner`` counts, per site, on how many pages each normalized
line occurs; lines seen on at least ``template_min_pages`` pages and on at least
``template_min_share`` of the site's pages form the site's template.

Memory is bounded: at most ``MAX_LINES_PER_SITE`` distinct lines are tracked per site
(when full, lines seen on one page only are forgotten first) and lines longer than
``MAX_LINE_CHARS`` are ignored (templates are short; long paragraphs are content).
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..config import ExtractConfig
from ..errors import ParseError
from .text import normalize_line

__all__ = ["TemplateLearner", "page_lines", "site_key", "strip_template"]

MAX_LINES_PER_SITE = 5000
MAX_LINE_CHARS = 400
_FORMAT = 1

# Second-level labels under which registrable domains sit (bbc.co.uk, abc.net.au, ...).
_SECOND_LEVEL = frozenset(
    {"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic", "mil", "govt"}
)


def site_key(url: str) -> str:
    """The registrable domain of a URL ('https://www.bbc.co.uk/news' -> 'bbc.co.uk')."""
    raw = (url or "").strip()
    try:
        host = (urlsplit(raw if "//" in raw else "//" + raw).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    labels = [x for x in host.split(".") if x]
    if len(labels) <= 2 or all(x.isdigit() for x in labels):
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@dataclass(slots=True)
class _Site:
    pages: int = 0
    lines: Counter[str] = field(default_factory=Counter)


class TemplateLearner:
    """Per-site counts of recurring lines; ``template(site)`` is the learned boilerplate."""

    def __init__(self, config: ExtractConfig) -> None:
        self.config = config
        self._sites: dict[str, _Site] = {}
        self._journal: list[tuple[str, frozenset[str]]] = []  # observed since take_journal

    def observe(self, site: str, text: str) -> None:
        """Count the distinct lines of one page of ``site``."""
        self.observe_lines(site, page_lines(text))

    def observe_lines(self, site: str, lines: frozenset[str]) -> None:
        """Count one page given its ``page_lines`` (computed where the page was extracted)."""
        if not site:
            return
        entry = self._sites.setdefault(site, _Site())
        self._journal.append((site, lines))
        entry.pages += 1
        for line in lines:
            entry.lines[line] += 1
        if len(entry.lines) > MAX_LINES_PER_SITE:
            self._prune(entry)

    @staticmethod
    def _prune(entry: _Site) -> None:
        keep = entry.lines.most_common(MAX_LINES_PER_SITE // 2)
        entry.lines = Counter(dict(keep))

    def template(self, site: str) -> frozenset[str]:
        """Normalized lines that recur on enough of the site's pages."""
        entry = self._sites.get(site)
        if entry is None or entry.pages < self.config.template_min_pages:
            return frozenset()
        floor = max(self.config.template_min_pages, self.config.template_min_share * entry.pages)
        return frozenset(line for line, n in entry.lines.items() if n >= floor)

    def sites(self) -> list[str]:
        return sorted(self._sites)

    def take_journal(self) -> bytes:
        """The pages observed since the last call, encoded for ``replay`` (b"" if none).

        Saving this with the batch that observed the pages, and replaying it on top of the
        last ``to_bytes`` snapshot, rebuilds exactly the learner that saw those pages.
        """
        if not self._journal:
            return b""
        pages = [[site, sorted(lines)] for site, lines in self._journal]
        self._journal = []
        return zlib.compress(json.dumps(pages, ensure_ascii=False).encode("utf-8"), 1)

    def replay(self, journal: bytes) -> None:
        """Observe again the pages of a ``take_journal`` result, in order."""
        try:
            pages = json.loads(zlib.decompress(journal).decode("utf-8"))
            for site, lines in pages:
                self.observe_lines(str(site), frozenset(str(line) for line in lines))
        except (zlib.error, ValueError, TypeError) as exc:
            raise ParseError(f"template journal is not readable: {exc}") from None
        self._journal = []

    def to_bytes(self) -> bytes:
        data = {
            "format": _FORMAT,
            "sites": {s: [e.pages, dict(e.lines)] for s, e in self._sites.items()},
        }
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 1)

    @classmethod
    def from_bytes(cls, data: bytes, config: ExtractConfig) -> TemplateLearner:
        learner = cls(config)
        try:
            payload = json.loads(zlib.decompress(data).decode("utf-8"))
            if payload.get("format") != _FORMAT:
                raise ValueError(f"unknown format {payload.get('format')!r}")
            for site, (pages, lines) in payload["sites"].items():
                learner._sites[site] = _Site(
                    int(pages), Counter({k: int(v) for k, v in lines.items()})
                )
        except (zlib.error, ValueError, KeyError, TypeError) as exc:
            raise ParseError(f"template state is not readable: {exc}") from None
        return learner


def page_lines(text: str) -> frozenset[str]:
    """The distinct normalized lines of one page that a template could contain."""
    distinct = {normalize_line(line) for line in text.splitlines()}
    distinct.discard("")
    return frozenset(line for line in distinct if len(line) <= MAX_LINE_CHARS)


def strip_template(text: str, template: frozenset[str]) -> str:
    """The text without the lines that belong to the site's learned template."""
    if not template:
        return text
    return "\n".join(line for line in text.splitlines() if normalize_line(line) not in template)

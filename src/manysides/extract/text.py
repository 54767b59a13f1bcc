"""Line-by-line cleaning of article text with the named rules of ``rules.py``.

Works the same on trafilatura's output (one paragraph per line) and on plain text dumped
by a crawler. Three passes:

1. every line is checked against the ``any`` rules and the site's learned template;
2. after a related-stories heading, the list of headline-like lines that follows is
   dropped (``related-list``);
3. the trailing block (everything after the article's last long paragraph) is checked
   against the ``tail`` rules (bios, tag lists, slogans); headline-like lines and their
   teasers directly below a promotional line there (up to the first kept line) are
   dropped as a list (``tail-list``), and a short brand line right above a promo goes
   with it (``promo-context``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..nlp.text import words
from .rules import PROMO_RULES, RULES, Rule

__all__ = ["RemovedLine", "classify_lines", "clean_lines", "normalize_line"]

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!…][\"'”’)\]]*$")  # headlines may end with "?"
_BLANK = ""

# A trailing block starts after the last paragraph longer than this (in words).
TAIL_CONTENT_WORDS = 32
# Headline-like: a short line that does not end like a sentence.
HEADLINE_MAX_WORDS = 25
# A teaser under a headline in a related list.
TEASER_MAX_WORDS = 40
# A brand line directly above a promo.
BRAND_MAX_WORDS = 6
# Plain-text dumps: a menu is a run of this many lines of at most MENU_MAX_WORDS words.
MENU_MAX_WORDS = 3
MENU_MIN_RUN = 3
_TABLE_ROW = re.compile(r"^\|.*\|\|")
_MENU_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """One line the cleaner removed and the name of the rule that removed it."""

    text: str
    rule: str


def normalize_line(line: str) -> str:
    """The form in which template lines are learned and compared."""
    text = unicodedata.normalize("NFKC", line).casefold()
    return _SPACE.sub(" ", text).strip(" \t-–—|•·*>")


@dataclass(slots=True)
class _Line:
    text: str
    words: int
    rule: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def headline_like(self) -> bool:
        return 0 < self.words <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(self.text)


_ANY_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.where == "any")
_TAIL_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.where == "tail")
_LIST_STARTERS = frozenset(r.name for r in RULES if r.starts_list)
_ANY_MAX_WORDS = max(r.max_words for r in _ANY_RULES)


def _match(rules: tuple[Rule, ...], line: _Line) -> str | None:
    lower = line.text.lower()
    for rule in rules:
        if rule.applies(line.text, lower, line.words):
            return rule.name
    return None


def classify_lines(
    lines: list[str],
    template: frozenset[str] = frozenset(),
    title: str = "",
    *,
    plain: bool = False,
) -> list[str | None]:
    """The rule that removes each line, or None for lines that are kept.

    Blank lines get ``no-words`` (they are layout, never reported by ``explain``).
    ``title``, when known, is dropped where the text repeats it at the top. ``plain``:
    the text is a crawler's dump of a whole page, so runs of menu items are dropped too.
    """
    items = [_Line(t, len(words(t))) for t in (_SPACE.sub(" ", x).strip() for x in lines)]
    _title(items, title)
    for item in items:
        if item.rule is not None:
            continue
        if item.blank:
            item.rule = "no-words"
        elif template and normalize_line(item.text) in template:
            item.rule = "template"
        elif item.words <= _ANY_MAX_WORDS:
            item.rule = _match(_ANY_RULES, item)
    _related_lists(items)
    _tail(items)
    if plain:
        _menus(items)
    return [item.rule for item in items]


def _menu_item(item: _Line) -> bool:
    return 0 < item.words <= MENU_MAX_WORDS and not _MENU_END.search(item.text)


def _menus(items: list[_Line]) -> None:
    """Runs of at least MENU_MIN_RUN very short lines (blank lines between allowed), and
    table rows a crawler rendered with pipes ('|Adult: ||28 CHF |')."""
    for item in items:
        if item.rule is None and _TABLE_ROW.match(item.text):
            item.rule = "table-markup"
    i = 0
    while i < len(items):
        if not _menu_item(items[i]):
            i += 1
            continue
        j, run = i, 0
        while j < len(items) and (items[j].blank or _menu_item(items[j])):
            run += not items[j].blank
            j += 1
        if run >= MENU_MIN_RUN:
            for item in items[i:j]:
                if item.rule is None:
                    item.rule = "menu"
        i = j


def _words(text: str) -> str:
    return " ".join(words(text))


def _title(items: list[_Line], title: str) -> None:
    """The headline repeated at the top of the text (the first few lines only)."""
    key = _words(title)
    if not key:
        return
    seen = 0
    for item in items:
        if item.blank:
            continue
        line = _words(item.text)
        if line and (
            line == key
            or (len(line) >= 0.6 * len(key) and line in key)
            or (key in line and len(key) >= 0.8 * len(line))
        ):
            item.rule = "title"
            return
        seen += 1
        if seen >= 3:
            return


def _related_lists(items: list[_Line]) -> None:
    """Drop the headline list that follows a related/most-read heading."""
    in_list = False
    for item in items:
        if item.rule in _LIST_STARTERS:
            in_list = True
            continue
        if not in_list or item.blank or item.rule is not None:
            continue
        if item.headline_like:
            item.rule = "related-list"
        else:
            in_list = False


def _tail_start(items: list[_Line]) -> int:
    start = len(items)
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        if item.blank or item.rule is not None or item.words <= TAIL_CONTENT_WORDS:
            start = i
            continue
        if _match(_TAIL_RULES, item):
            start = i
            continue
        break
    return start


def _tail(items: list[_Line]) -> None:
    start = _tail_start(items)
    seen_promo = False
    prev: _Line | None = None
    for i in range(start, len(items)):
        item = items[i]
        if item.blank or item.rule == "no-words":
            continue
        if item.rule is None:
            item.rule = _match(_TAIL_RULES, item)
        if item.rule is None and seen_promo and _is_list_item(item, prev):
            item.rule = "tail-list"
        if item.rule in PROMO_RULES or item.rule in _LIST_STARTERS:
            seen_promo = True
            _brand_above(items, start, i)
        elif item.rule is None:
            seen_promo = False  # the block of boilerplate ended at a kept line
        prev = item


def _is_list_item(item: _Line, prev: _Line | None) -> bool:
    """A headline, or a teaser right under a headline that was dropped as a list item."""
    if item.headline_like:
        return True
    return (
        item.words <= TEASER_MAX_WORDS
        and prev is not None
        and prev.rule == "tail-list"
        and prev.headline_like
    )


def _brand_above(items: list[_Line], start: int, i: int) -> None:
    """A short brand line right above the first promo ('The Week') belongs to it."""
    for j in range(i - 1, start - 1, -1):
        above = items[j]
        if above.blank or above.rule == "no-words":
            continue
        if above.rule is None and above.headline_like and above.words <= BRAND_MAX_WORDS:
            above.rule = "promo-context"
        return


def clean_lines(
    lines: list[str],
    template: frozenset[str] = frozenset(),
    title: str = "",
    *,
    plain: bool = False,
) -> tuple[list[str], list[RemovedLine]]:
    """Kept non-blank lines and the removed non-blank lines with their rule."""
    rules = classify_lines(lines, template, title, plain=plain)
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for raw, rule in zip(lines, rules, strict=True):
        text = raw.strip()
        if rule is None:
            kept.append(text)
        elif text:
            removed.append(RemovedLine(text, rule))
    return kept, removed

"""What a displayed sentence may look like: datelines off, fragments out.

Summary sentences and facts are shown to readers on their own, next to their citations,
so each must read as a complete, self-contained claim. General rules, not keyed to any
outlet:

* ``strip_dateline`` removes wire datelines and bylines at the start of a sentence
  (``WASHINGTON (Reuters) -``, ``PHOENIX (AP) —``, ``Washington (CNN)``,
  ``LONDON, May 3 (Reuters) -``, ``By Jane Doe, Associated Press``) and leading page
  boilerplate (``ADVERTISEMENT``); what remains is a suffix of the sentence, so it stays
  verbatim in the cited article.
* ``flaws`` names what makes a sentence a fragment: unbalanced quotation marks, a
  lower-case or conjunction start, mostly a quotation, too short or too long, a caption or
  photo credit, no final punctuation, a question, a colon-ended lead-in.
* ``needs_context`` is true for sentences that lean on an earlier one ("He said", "It",
  "This", "But", "However", ...).
* ``checkable`` counts what a reader can check: numbers, dates and names.
"""

from __future__ import annotations

import re

from ..nlp.text import tokens, words, wordset

MIN_WORDS = 8
MAX_WORDS = 55

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "WASHINGTON", "NEW YORK", "ST. LOUIS", "AKCAKALE": all-caps place words
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
# "Washington", "New York", "Hong Kong": title-case place words (only before an outlet)
_TITLE_PLACE = r"[A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){0,2}"
# ", Turkey", ", Ala.", ", N.Y.", ", Calif."
_PLACE_TAIL = r"(?:,\s+[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,2})?"
_DATE = rf"(?:,?\s+{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?)?"
# "(Reuters)", "(AP)", "(CNN Business)" -- not a party/state tag like "(D-N.Y.)" or "(R)"
_OUTLET = r"\((?![DRI]\)|[DRI]-)[A-Z][\w&.'’/ -]{0,30}\)"
_DASH = r"(?:\s*(?:--|[—–])\s*|\s+-\s+)"  # a lone hyphen only between spaces

_DATELINES = (
    # WASHINGTON (Reuters) - | LONDON, May 3 (Reuters) - | PHOENIX (AP) — | BEIRUT—
    re.compile(rf"^{_CAPS_PLACE}{_PLACE_TAIL}{_DATE}\s*(?:{_OUTLET})?{_DASH}"),
    # Washington (CNN) | (CNN) | (Reuters) - | New York (CNN Business) —
    re.compile(rf"^(?:{_TITLE_PLACE}{_PLACE_TAIL}{_DATE}\s*)?{_OUTLET}{_DASH}?"),
    # The Latest on the storm (all times local):
    re.compile(r"^The Latest(?: on [^:]{1,120}?)?(?:\s*\(all times local\))?:\s*"),
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}"
_BYLINE = re.compile(
    rf"^By\s+{_NAME}(?:\s*(?:,|and)\s*{_NAME})*"
    rf"(?:\s*(?:,|\||[-—–])\s*(?:[A-Z][\w&.'’-]*\s*){{1,4}})?\s*"
)
_BOILERPLATE = re.compile(r"^(?:(?:ADVERTISEMENT|Advertisement|CLOSE|Story Continued Below)\s+)+")
_STARTS_WELL = re.compile(r"^[\"“‘'(\[]?[A-Z0-9]")


def _strip_once(text: str) -> str:
    for pattern in (_BOILERPLATE, *_DATELINES):
        m = pattern.match(text)
        if m and _STARTS_WELL.match(text[m.end() :].lstrip()):
            return text[m.end() :]
    m = _BYLINE.match(text)
    if m:
        rest = text[m.end() :]
        if not rest.strip():
            return ""
        # a byline runs into the next sentence without punctuation: only strip it when
        # what follows is a dateline, so "By Monday, the House ..." is left alone
        if any(p.match(rest) for p in _DATELINES[:2]):
            return rest
    return text


def strip_dateline(sentence: str) -> str:
    """The sentence without leading datelines, bylines and page boilerplate (a suffix of
    it, so still verbatim in its article); a sentence that is only a byline becomes ""."""
    text = sentence.strip()
    for _ in range(3):
        stripped = _strip_once(text).lstrip()
        if stripped == text:
            break
        text = stripped
    return text


_CONJUNCTIONS = wordset("and but or nor so yet because plus also then though although")
_CONTEXT_WORDS = _CONJUNCTIONS | wordset(
    """he she it they this that these those his her their its him them such however
    meanwhile moreover furthermore additionally instead still nevertheless nonetheless
    thus therefore hence besides likewise similarly otherwise later afterward afterwards
    earlier here there's both"""
)
_CAPTION = re.compile(
    r"\b(?:Hide Caption|toggle caption|Media caption|Image caption|Image copyright|"
    r"Media playback|Story highlights|Photos?:|Photo by|\d+ of \d+ Photos|"
    r"Getty Images|AP Photos?\b|Reuters photo|(?<=/)(?:AP|Getty|EPA|AFP|Reuters)\b|"
    r"FILE PHOTO\b|Reporting by|Editing by|Writing by|Click here|Sign up for|"
    r"Subscribe to|Follow (?:him|her|us) on|contributed to this report)|\(Photo\b|\s\|\s",
    re.IGNORECASE,
)


def _first_word(text: str) -> str:
    """The first whitespace-separated word without surrounding punctuation ("Then-President"
    stays whole, so it is not taken for "then")."""
    parts = text.lstrip("\"“‘'([ ").split(maxsplit=1)
    return parts[0].strip(".,;:!?\"'“”‘’()[]") if parts else ""


def quote_share(text: str) -> float:
    """Share of the sentence's characters inside quotation marks (curly or straight)."""
    marks = [i for i, c in enumerate(text) if c in '"“”']
    inside = sum(b - a for a, b in zip(marks[::2], marks[1::2], strict=False))
    return inside / max(1, len(text))


def unbalanced_quotes(text: str) -> bool:
    """Odd straight double quotes, or curly double quotes that do not pair up."""
    if text.count('"') % 2:
        return True
    return text.count("“") != text.count("”")


def flaws(sentence: str) -> list[str]:
    """Why the sentence is not a complete, self-contained claim ([] when it is one)."""
    text = sentence.strip()
    out: list[str] = []
    n = len(words(text))
    if n < MIN_WORDS:
        out.append("too short")
    if n > MAX_WORDS:
        out.append("too long")
    if unbalanced_quotes(text):
        out.append("unbalanced quotes")
    first = _first_word(text)
    body = text.lstrip("\"“‘'([ ")
    if body[:1].islower() and not (len(first) > 1 and any(c.isupper() for c in first[1:])):
        out.append("lower-case start")  # "iPhone" and "eBay" are fine
    if first.lower() in _CONJUNCTIONS:
        out.append("conjunction start")
    if quote_share(text) >= 0.6 or (text[:1] in '"“' and unbalanced_quotes(text)):
        out.append("mostly a quotation")
    if _CAPTION.search(text):
        out.append("caption or credit")
    end = text.rstrip("\"'”’)] ")
    if end.endswith("?"):
        out.append("question")
    elif end.endswith(":") or end.endswith(";") or end.endswith(","):
        out.append("lead-in")
    elif not end.endswith((".", "!")):
        out.append("no final punctuation")
    caps = [t for t in tokens(text) if len(t) > 1 and t.isupper() and t.isalpha()]
    if n and len(caps) > max(3, 0.4 * n):
        out.append("shouting")  # headline or label in capitals
    return out


def needs_context(sentence: str) -> bool:
    """True when the sentence leans on an earlier one ("He said", "It", "But", ...)."""
    first = _first_word(sentence)
    return first.lower() in _CONTEXT_WORDS


_DATE_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december yesterday today tonight"""
)
_NUMBER_WORDS = wordset(
    "two three four five six seven eight nine ten eleven twelve dozen dozens hundred "
    "hundreds thousand thousands million millions billion billions percent"
)


def checkable(sentence: str) -> int:
    """How many checkable details the sentence states: numbers, dates and names."""
    toks = tokens(sentence)
    numbers = sum(1 for t in toks if any(c.isdigit() for c in t) or t.lower() in _NUMBER_WORDS)
    dates = sum(1 for t in toks if t.lower() in _DATE_WORDS)
    names = sum(
        1 for i, t in enumerate(toks[1:], 1) if t[:1].isupper() and not toks[i - 1][:1].isupper()
    )
    return numbers + dates + names


def is_clean(sentence: str) -> bool:
    """A complete claim that does not lean on earlier sentences."""
    return not flaws(sentence) and not needs_context(sentence)

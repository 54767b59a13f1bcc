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
* ``never_shown`` names what is never a summary sentence or key fact: a fact-check label,
  a photo caption, an embedded post's leftovers, a quotation cut from its attribution
  (``summary.py`` and ``facts.py`` drop them).
* ``unattributed`` names a sentence that states what a person, post or document claims
  while its attribution is in another sentence: it continues a quotation opened in an
  earlier sentence (``Trump wrote: "A. B."``: B), or the next sentence is only the
  attribution ("he wrote on Twitter."). Shown alone it would state the claim as fact, so
  it is never a summary sentence or key fact; a sentence that carries its own attribution
  ("Trump wrote that ...", "Trump tweeted: ...", "according to the report") is kept.
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


# Never a sentence of the summary or a key fact, however central: a fact-check verdict
# label ("CLAIM: ...", "THE FACTS: ..."), a photo caption ("In this June 3, 2020, photo,
# protesters rally ..."), and what an embedded post leaves in the text (handles, links,
# "pic.twitter.com", "— Name (@handle) June 9, 2020").
_LABEL = re.compile(
    r"^[\"“‘'(\[]?(?:THE\s+)?(?:CLAIM|FACTS?|FACT\s+CHECK|RATING|VERDICT|BOTTOM\s+LINE|"
    r"WHAT'?S\s+TRUE|WHAT'?S\s+FALSE|AP'?S\s+ASSESSMENT|CONTEXT)\s*:",
)
_PHOTO_CAPTION = re.compile(
    r"^\s*(?:In this|This)\s+(?:[\w.,]+\s+){0,6}?(?:file\s+)?(?:photo|image|picture|"
    r"frame grab|screenshot|video still)\b|\b(?:is|are) (?:seen|pictured|shown) in this\b|"
    r"\bphoto (?:provided|released|taken) by\b|\((?:AP|Reuters|AFP|Getty)\b[^)]*\)\s*$",
    re.IGNORECASE,
)
_EMBED = re.compile(
    r"pic\.twitter\.com|https?://|\(@\w+\)|(?:^|\s)@\w{2,}|\bView this post on Instagram\b|"
    r"\bA post shared by\b|\bEmbed\b|\u2014\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+){0,3}\s*\(@",
)


_LINE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def prose(text: str) -> str:
    """The article's prose lines: a line of fewer than ``MIN_WORDS`` words that does not end
    a sentence is navigation or a related-links list ("Biden Burisma probe", "Latest
    Videos") left in the text, not something the outlet wrote about the story."""
    keep = [
        line
        for line in (text or "").splitlines()
        if line.strip() and (len(words(line)) >= MIN_WORDS or _LINE_END.search(line))
    ]
    return "\n".join(keep)


_POST_CREDIT = re.compile(r"^\s*[—–-]+\s*[^\n]{0,80}\(@\w+\)")
# "... Could be a set up? — Donald J. Trump (@realDonaldTrump) June 9, 2020" at a line's end
_INLINE_CREDIT = re.compile(r"\s[—–]\s*[^\n—–]{1,60}\(@\w+\)[^\n]{0,40}$")


def strip_embeds(text: str) -> str:
    """The text without embedded posts: a credit line ("— Donald J. Trump (@realDonaldTrump)
    June 9, 2020") and the post above it, a line that ends with such a credit (the post
    and its credit on one line), and lines carrying pic.twitter.com links. A post's
    words are the poster's claim, never the outlet's reporting; the rest stays verbatim."""
    lines = (text or "").splitlines()
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if _INLINE_CREDIT.search(line) and not _POST_CREDIT.match(line):
            drop.add(i)  # the post and its credit on one line
        elif _POST_CREDIT.match(line):
            drop.add(i)
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0:
                drop.add(j)
        elif "pic.twitter.com" in line:
            drop.add(i)
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def never_shown(sentence: str) -> str:
    """Why the sentence may never be a summary sentence or key fact ("" when it may)."""
    text = sentence.strip()
    if _LABEL.match(text):
        return "fact-check label"
    if _PHOTO_CAPTION.search(text):
        return "photo caption"
    if _EMBED.search(text):
        return "embed leftover"
    if text[:1] in '"“' and unbalanced_quotes(text) and not _SPEECH.search(text):
        return "quotation without its attribution"  # it goes on, attributed, later
    return ""


# Verbs and nouns that attribute words to someone (a person, a post, a document).
_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|wrote|writes|write|tweeted|tweets|posted|posts|told|tells"
    r"|added|adds|claimed|claims|stated|states|argued|argues|alleged|alleges|asserted"
    r"|insisted|insists|suggested|suggests|declared|declares|announced|announces"
    r"|warned|warns|reads|read|according to|statement|tweet|post|letter|memo|report"
    r"|complaint|filing|lawsuit|document|indictment)\b",
    re.IGNORECASE,
)
# The next sentence is only an attribution: "he wrote on Twitter." "the president tweeted
# Tuesday." (a speaker of up to four words, the verb, then at most a place or time).
_BARE_ATTRIBUTION = re.compile(
    r"^[\"”’]?\s*(?:[\w.'’-]+\s+){1,4}?"
    r"(?:said|says|wrote|writes|tweeted|posted|added|claimed|stated|argued|insisted|declared"
    r"|warned)"
    r"(?:\s+(?:on|in|at|to|from|via|during|after|before|late|early|earlier|later|last|this"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)\b[^.!?]{0,40})?"
    r"[.!]$",
    re.IGNORECASE,
)
MAX_ATTRIBUTION_WORDS = 12


def unattributed(sentence: str, following: str, inside_quote: bool) -> str:
    """Why ``sentence`` states a claim whose attribution is not in it ("" when it does not;
    see the module docstring). ``inside_quote``: a quotation opened in an earlier sentence
    is still open where this one starts (``quote_open``)."""
    if inside_quote:
        return "inside a quotation begun earlier"
    if _SPEECH.search(sentence):
        return ""  # it names its source itself
    nxt = following.strip()
    if nxt and len(words(nxt)) <= MAX_ATTRIBUTION_WORDS and _BARE_ATTRIBUTION.match(nxt):
        return "its attribution is the next sentence"
    return ""


def quote_open(sentence: str, was_open: bool) -> bool:
    """Whether a quotation is open after ``sentence`` (it was ``was_open`` before it)."""
    state = was_open
    for ch in sentence:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state


def flaws(sentence: str) -> list[str]:
    """Why the sentence is not a complete, self-contained claim ([] when it is one)."""
    text = sentence.strip()
    out: list[str] = []
    banned = never_shown(text)
    if banned:
        out.append(banned)
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

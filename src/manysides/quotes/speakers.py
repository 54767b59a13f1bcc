"""Resolve a source mention to the person or organisation it names, or to nobody.

A speaker is always the canonical name of a PERSON or ORG entity of the article. The
mention the text attributes a quote to may be that name ("Jane Doe said"), a pronoun
("she said": the nearest earlier person of compatible gender), a title or role noun
("the senator", "the spokesman": the nearest earlier person introduced with it), an
institution acting for someone ("Doe's office", "her campaign": Doe), a spokesperson
for an organisation ("a spokesman for the Pentagon": the Pentagon) or a document
("the letter", "the statement": the person or organisation that issued it). Anything
else ("a source", "officials", "they", a place, a date) resolves to no speaker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..nlp.text import sentence_spans, wordset
from .records import Entity

SPEAKER_LABELS = frozenset({"PERSON", "ORG"})

_FEMALE = frozenset({"she", "her", "hers", "herself"})
_MALE = frozenset({"he", "his", "him", "himself"})
_NEXT_PRONOUN = re.compile(r"\b(she|her|he|his|him)\b", re.I)
_FEMALE_TITLES = re.compile(
    r"\b(?:Mrs|Ms|Miss|Madam|Mrs\.|Ms\.|Congresswoman|Chairwoman|Spokeswoman|Queen|Lady|Dame)"
    r"\s*$"
)
_MALE_TITLES = re.compile(r"\b(?:Mr|Mr\.|Sir|Congressman|Chairman|Spokesman|King|Lord)\s*$")
TITLES = wordset(
    """president senator governor secretary candidate nominee minister chairman chairwoman
    chair speaker mayor leader director spokesman spokeswoman spokesperson congressman
    congresswoman representative judge justice attorney general chancellor premier king
    queen prince ambassador commissioner ceo founder executive manager coach sheriff chief
    official billionaire businessman businesswoman mogul pope sen. gov. rep. lawmaker
    senate-candidate strategist adviser advisor aide pollster analyst professor economist
    lawyer attorney official spokesperson press-secretary secretary-general commander
    officer prosecutor"""
)
_TITLE_ABBREVIATIONS = {
    "senator": ("sen.",),
    "governor": ("gov.",),
    "representative": ("rep.",),
    "congressman": ("rep.",),
    "congresswoman": ("rep.",),
    "president": ("pres.",),
    "general": ("gen.",),
    "secretary": ("sec.",),
    "professor": ("prof.",),
}
# Heads of a possessive phrase that speak for its owner: "Doe's office", "her campaign".
_INSTITUTIONS = wordset(
    """office campaign administration government team camp staff committee foundation
    website account feed page twitter facebook press"""
)
# Documents that keep their authors as speakers.
DOCUMENTS = wordset(
    """letter statement tweet tweets post report memo memorandum email e-mail release
    filing lawsuit complaint ad advertisement op-ed editorial column essay video
    message note motion brief transcript questionnaire survey poll petition"""
)
_DOCUMENT_WORD = re.compile(
    r"\b(letter|statement|report|memo|email|release|filing|lawsuit|complaint|editorial|"
    r"petition|message|note|post|tweet|ad)s?\b",
    re.I,
)
_SPOKES = wordset("spokesman spokeswoman spokesperson representative rep. aide official")
# Role nouns after a name that modifies them: "a Clinton aide", "Floyd's brother".
_ROLES = TITLES | wordset(
    """brother sister wife husband son daughter mother father uncle aunt cousin nephew niece
    friend supporter supporters ally allies critic critics rival opponent surrogate donor
    voter voters fan fans backer backers"""
)
# Nouns that head a source phrase naming a person by role ("the spokesman", "an aide").
ROLE_NOUNS = (
    _ROLES
    | _SPOKES
    | wordset(
        """person official officials source sources spokesman spokeswoman spokesperson aide
    aides staffer staffers adviser advisers advisor advisors manager director secretary
    chairman chairwoman president senator governor lawmaker lawmakers member members
    leader leaders"""
    )
)
_PREPOSITION = re.compile(r"\b(?:in|of|for|at|from|with|to|on|by|near|about|against)\s")
_POSSESSIVE_AFTER = re.compile(r"\s*(?:'s|’s|')\s+(?P<head>[\w-]+)")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "his", "her", "their", "its", "our"})
_POSSESSIVE_PRONOUN = {"his": "he", "her": "she", "their": "they", "its": "it"}
_WORD = re.compile(r"[\w.'’-]+")
_OPENING_SUBJECT = re.compile(
    r"[\"“”'‘’\s]*(?P<subj>(?:He|She)\b|The\s+(?:[a-z][\w-]*\s+){0,2}?(?i:"
    + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True) if "." not in t)
    + r")\b)"
)
_ISSUED = re.compile(
    r"(?:'s|’s)\s+(?:[\w-]+\s+)?$|(?:\s*,?\s+(?:and\s+)?[A-Z][\w.'’-]*)*\s+(?:\w+\s+)?"
    r"(?:issued|released|sent|signed|wrote|posted|published|tweeted|shared|put\s+out|"
    r"filed|made|delivered|read|drafted)\b"
)
_FROM_AUTHOR = re.compile(r"s?\s+(?:from|by|of)\s+(?:the\s+)?")
_PREPOSITION_BEFORE_NAME = re.compile(
    r"\b(?:in|of|for|at|from|with|to|on|by|near|about|against|than|into|over|and)\s+"
    r"(?:[A-Z][\w.'’-]*\s+){0,4}$"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A source mention located in the text and who it resolves to.

    ``kind`` says how: name | pronoun | title | institution | spokesperson | document,
    or unresolved (``speaker`` None)."""

    start: int
    end: int
    speaker: str | None
    kind: str


class SpeakerResolver:
    """Per-article resolver over its entities: names, pronouns and titled descriptions."""

    def __init__(
        self,
        text: str,
        entities: Sequence[Entity],
        quotes: Sequence[tuple[int, int]] = (),
        sentences: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.quotes = sorted(quotes)  # quotation-mark spans: names inside are not antecedents
        self._quote_starts = [a for a, _b in self.quotes]
        self._sentences = list(sentences) if sentences is not None else None
        # sentence start -> its grammatical subjects (character spans), from the parse
        self.subjects: dict[int, list[tuple[int, int]]] = {}
        named = sorted((e for e in entities if e.label in SPEAKER_LABELS), key=lambda e: e.start)
        self.people = [e for e in named if e.label == "PERSON"]
        self.orgs = [e for e in named if e.label == "ORG"]
        self.named = named
        self.others = sorted(
            (e for e in entities if e.label not in SPEAKER_LABELS), key=lambda e: e.start
        )
        self._starts = [e.start for e in self.people]
        self._named_starts = [e.start for e in named]
        self.speakers = frozenset(e.canonical for e in named)
        self.person_names = frozenset(e.canonical for e in self.people)
        fulls = {e.canonical for e in self.people if " " in e.canonical}
        # a bare surname two people of the article share ("Floyd"): who it is stays open
        self.ambiguous = frozenset(
            name
            for name in self.person_names
            if " " not in name and sum(f.split()[-1] == name for f in fulls) > 1
        )
        self.gender: dict[str, str] = {}
        votes: dict[str, list[int]] = {}
        for e in self.people:
            before = text[max(0, e.start - 16) : e.start]
            if _FEMALE_TITLES.search(before):
                self.gender.setdefault(e.canonical, "f")
            elif _MALE_TITLES.search(before):
                self.gender.setdefault(e.canonical, "m")
            # the first pronoun after a mention, before any other name, usually refers to it
            nxt = _NEXT_PRONOUN.search(text, e.end, min(len(text), e.end + 160))
            if nxt and not self._person_between(e.end, nxt.start()):
                tally = votes.setdefault(e.canonical, [0, 0])
                tally[0 if nxt.group(1).lower() in _FEMALE else 1] += 1
        for name, (female, male) in votes.items():
            if name not in self.gender and female != male:
                self.gender[name] = "f" if female > male else "m"

    # -- lookups ------------------------------------------------------------------------
    def _person_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, start)
        return i < len(self.people) and self.people[i].start < end

    def note_pronoun(self, canonical: str, pronoun: str) -> None:
        """Learn a speaker's gender from a pronoun that was attributed to them."""
        p = pronoun.lower()
        if p in _FEMALE:
            self.gender.setdefault(canonical, "f")
        elif p in _MALE:
            self.gender.setdefault(canonical, "m")

    def _named_in(self, start: int, end: int) -> list[Entity]:
        i = bisect.bisect_left(self._named_starts, start)
        out = []
        while i < len(self.named) and self.named[i].start < end:
            out.append(self.named[i])
            i += 1
        return out

    def entity_in(self, start: int, end: int) -> Entity | None:
        """The first entity (people first) inside [start, end) that heads the phrase, not
        one inside its modifiers ("Worcester" in "a woman in Worcester")."""
        i = bisect.bisect_left(self._starts, start)
        if (
            i < len(self.people)
            and self.people[i].start < end
            and not _PREPOSITION.search(self.text, start, self.people[i].start)
        ):
            return self.people[i]
        for e in (*self.orgs, *self.others):
            if start <= e.start < end and not _PREPOSITION.search(self.text, start, e.start):
                return e
        return None

    def first_person(self, start: int, end: int) -> Entity | None:
        """The first PERSON mention inside [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        if i < len(self.people) and self.people[i].start < end:
            return self.people[i]
        return None

    def recent_person(self, before: int, pronoun: str) -> Entity | None:
        """The most recent PERSON before ``before`` compatible with ``pronoun``."""
        want = "f" if pronoun in _FEMALE else "m" if pronoun in _MALE else None
        i = bisect.bisect_left(self._starts, before) - 1
        fallback: Entity | None = None
        while i >= 0 and before - self.people[i].start < 3000:
            e = self.people[i]
            if self.in_quote(e.start):  # ``"I told Biden no," he said``: not Biden
                i -= 1
                continue
            g = self.gender.get(e.canonical)
            if want is None or g == want:
                return e
            if g is None and fallback is None:
                fallback = e
            i -= 1
        return fallback

    def in_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation-mark span."""
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1]

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = sentence_spans(self.text)
        return self._sentences

    def antecedent_sentence(self, before: int) -> tuple[int, int] | None:
        """The sentence a pronoun at ``before`` refers back to: the part of its own
        sentence before it when a person is named there, else the nearest earlier sentence
        that names a person (or opens with a pronoun or title subject) outside quotation
        marks, at most three sentences back."""
        spans = self.sentences
        i = bisect.bisect_right(spans, (before, 1 << 62)) - 1
        looked = 0
        while i >= 0 and looked < 3:
            s, e = spans[i]
            e = min(e, before)
            if e > s and not (self.in_quote(s) and self.in_quote(e - 1)):
                people = [p for p in self._people_in(s, e) if not self.in_quote(p.start)]
                if people or self._heuristic_subject(s, e) is not None:
                    return s, e
                if spans[i][1] <= before:
                    looked += 1
            i -= 1
        return None

    def _people_in(self, start: int, end: int) -> list[Entity]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.people) and self.people[i].start < end:
            out.append(self.people[i])
            i += 1
        return out

    def _heuristic_subject(self, start: int, end: int) -> tuple[int, int] | None:
        """Without a parse: the first person named in [start, end) outside quotation marks
        and not inside a prepositional phrase, or a sentence-opening "He"/"She"/"The
        president"."""
        m = _OPENING_SUBJECT.match(self.text, start, end)
        if m is not None:
            return m.start("subj"), m.end("subj")
        for p in self._people_in(start, end):
            if self.in_quote(p.start):
                continue
            if _PREPOSITION_BEFORE_NAME.search(self.text, max(start, p.start - 30), p.start):
                continue
            return p.start, p.end
        return None

    def subject_person(self, before: int, pronoun: str, depth: int = 0) -> Entity | None:
        """The person a "he"/"she" at ``before`` refers to when it is the grammatical
        subject of the sentence before (parsed subjects first, then the first named
        person outside prepositional phrases): None when that subject is not a person of
        compatible gender (the caller then takes the nearest person)."""
        found = self.antecedent_sentence(before)
        if found is None:
            return None
        s, e = found
        want = "f" if pronoun in _FEMALE else "m" if pronoun in _MALE else None
        parsed = [(a, b) for a, b in self.subjects.get(s, []) if a < e and b <= before]
        heuristic = self._heuristic_subject(s, e)
        for a, b in parsed or ([heuristic] if heuristic else []):
            if self.in_quote(a):
                continue
            person = self._subject_entity(a, b, depth)
            if person is None:
                continue
            g = self.gender.get(person.canonical)
            if want is not None and g is not None and g != want:
                return None
            return person
        return None

    def _subject_entity(self, start: int, end: int, depth: int) -> Entity | None:
        """The person a subject span names: a person at its head, a title ("the
        president") introduced with a name, or "he"/"she" resolved in turn."""
        phrase = self.text[start:end].strip().lower()
        if phrase in ("he", "she"):
            if depth >= 2:
                return None
            return self.subject_person(start, phrase, depth + 1) or self.recent_person(
                start, phrase
            )
        for p in self._people_in(start, end):
            if not _PREPOSITION.search(self.text, start, p.start) and not self.in_quote(p.start):
                return p
        head = re.split(r",|\s(?:in|of|for|at|from|with|to|on|who|which)\s", self.text[start:end])[
            0
        ]
        toks = [w.lower().strip(".,") for w in _WORD.findall(head)]
        if toks and toks[0] in ("the", "this", "that") and len(toks) <= 4:
            return self.by_title(toks[-1], start)
        return None

    def pronoun_person(self, before: int, pronoun: str) -> Entity | None:
        """Who "he"/"she" at ``before`` names: the subject of the sentence before when it
        is a compatible person, else the nearest earlier compatible person."""
        return self.subject_person(before, pronoun) or self.recent_person(before, pronoun)

    def by_title(self, head: str, before: int) -> Entity | None:
        """ "the president" -> the most recent person introduced as "President X" (or
        "X, the president")."""
        if head not in TITLES:
            return None
        forms = "|".join(re.escape(f) for f in (head, *_TITLE_ABBREVIATIONS.get(head, ())))
        # the title right before the name: "Sen. Ron Johnson", "Senate Majority Leader Mitch"
        pattern = re.compile(rf"(?i:\b(?:{forms}))(?!\w)\s+(?:[A-Z][\w.'’-]*\s+){{0,2}}$")
        after = re.compile(rf"^,\s+(?:the\s+|a\s+)?(?:[\w.-]+\s+){{0,4}}{re.escape(head)}\b", re.I)
        i = bisect.bisect_left(self._starts, before) - 1
        while i >= 0 and before - self.people[i].start < 4000:
            e = self.people[i]
            context = self.text[max(0, e.start - 40) : e.start]
            if pattern.search(context) or after.match(self.text, e.end, e.end + 60):
                return e
            i -= 1
        return None

    def last_document(self, before: int) -> str | None:
        """The document noun ("letter", "statement") last mentioned shortly before."""
        found = None
        for m in _DOCUMENT_WORD.finditer(self.text, max(0, before - 600), before):
            found = m.group(1).lower()
        return found

    def author_of(self, noun: str, before: int) -> Entity | None:
        """Who issued the document last mentioned as ``noun`` before ``before``, when that
        sentence names its author: an organisation as its subject ("The Saudi Embassy
        issued a statement"), a person who issued it ("Lopez released a statement", "Rice's
        statement"), or the name after it ("a statement from the White House"). Else None:
        the document's words are not given to a person the sentence merely mentions."""
        lo = max(0, before - 1500)
        found = [
            lo + m.start()
            for m in re.finditer(rf"\b{re.escape(noun)}s?\b", self.text[lo:before], re.I)
            if not self.in_quote(lo + m.start())
        ]
        if not found:
            return None
        at = found[-1]
        spans = self.sentences
        k = bisect.bisect_right(spans, (at, 1 << 62)) - 1
        s_start, s_end = spans[k] if k >= 0 else (0, len(self.text))
        s_end = min(s_end, before)
        after = _FROM_AUTHOR.match(self.text, at + len(noun), s_end)
        if after is not None:
            for e in self._named_in(after.end(), s_end):
                if e.start == after.end():
                    return e
        for e in self._named_in(s_start, at):
            if self.in_quote(e.start):
                continue
            lead = self.text[max(s_start, e.start - 30) : e.start]
            if _PREPOSITION_BEFORE_NAME.search(lead):
                continue  # the addressee or subject ("a letter to Susan Rice"), not the author
            if e.label == "ORG" or _ISSUED.match(self.text, e.end, at):
                return e
        return None

    # -- resolution ---------------------------------------------------------------------
    def resolve(self, start: int, end: int, quote_start: int | None = None) -> Mention:
        """Resolve the source phrase at [start, end) to a speaker, or to None.

        ``quote_start``: where the quotation it introduces begins; a pronoun after a
        quotation refers back to what stands before the quotation. A speaker that is a
        surname two people of the article share ("Floyd" with George and Philonise Floyd)
        is of kind ``surname``: named as the article names it, with low confidence."""
        mention = self._resolve(start, end, quote_start)
        if mention.speaker is not None and mention.speaker in self.ambiguous:
            return Mention(mention.start, mention.end, mention.speaker, "surname")
        return mention

    def _resolve(self, start: int, end: int, quote_start: int | None) -> Mention:
        phrase = self.text[start:end]
        toks = [w.lower().strip(".,") for w in _WORD.findall(phrase)]
        prep = _PREPOSITION.search(phrase)
        # the head noun: the last word before any prepositional modifier
        head_toks = (
            [w.lower().strip(".,") for w in _WORD.findall(phrase[: prep.start()])] if prep else toks
        )
        content = [w for w in head_toks if w not in _DETERMINERS]
        head = content[-1] if content else ""
        named = self._named_in(start, end)
        lead_named = [
            e for e in named if not _PREPOSITION.search(self.text, start, e.start)
        ]  # names not inside a modifier ("a woman in Worcester")
        if lead_named:
            e = lead_named[0]
            m = _POSSESSIVE_AFTER.match(self.text, e.end, end)
            if m is not None:  # "Doe's office", "Doe's spokesman Bo Smith", "Doe's brother"
                owner_head = m.group("head").lower()
                later = [x for x in lead_named[1:] if x.label == "PERSON"]
                if later:
                    return Mention(start, end, later[0].canonical, "name")
                if owner_head in _INSTITUTIONS or owner_head in DOCUMENTS:
                    return Mention(start, end, e.canonical, "institution")
                if e.label == "ORG" and owner_head in _SPOKES:
                    return Mention(start, end, e.canonical, "spokesperson")
                return Mention(start, end, None, "unresolved")
            people = [x for x in lead_named if x.label == "PERSON"]
            if len(people) > 1:  # "Trump campaign spokesman Jason Miller"
                return Mention(start, end, people[-1].canonical, "name")
            if people:
                person = people[0]
                rest = [w.lower().strip(".,") for w in _WORD.findall(self.text[person.end : end])]
                if rest and (rest[-1] in _SPOKES or rest[-1] in _ROLES):
                    if any(w in _INSTITUTIONS for w in rest) and rest[-1] in _SPOKES:
                        return Mention(start, end, person.canonical, "institution")
                    return Mention(start, end, None, "unresolved")  # "a Trump adviser"
                return Mention(start, end, person.canonical, "name")
            if head in _SPOKES or head in DOCUMENTS:
                return Mention(start, end, e.canonical, "spokesperson")
            if _other_entity_before(self, start, e.start):
                return Mention(start, end, None, "unresolved")  # "Chinese ... officials"
            return Mention(start, end, e.canonical, "name")
        if (head in _SPOKES or head in DOCUMENTS) and named:
            # "a spokesman for the Pentagon", "a statement from the White House"
            e = named[0]
            lead = re.sub(r"\s+(?:the|a|an)\s*$", "", self.text[start : e.start].lower())
            if lead.rstrip().endswith(("for", "from", "of", "by", "at")):
                return Mention(start, end, e.canonical, "spokesperson")
        if toks == ["it"]:  # ``"...," it said``: the document last mentioned, by its author
            noun = self.last_document(start)
            author = self.author_of(noun, start) if noun is not None else None
            if author is not None:
                return Mention(start, end, author.canonical, "document")
            return Mention(start, end, None, "unresolved")
        if len(toks) == 1 and toks[0] in ("he", "she"):
            anchor = start if quote_start is None else min(start, quote_start)
            person = self.pronoun_person(anchor, toks[0])
            if person is not None:
                return Mention(start, end, person.canonical, "pronoun")
            return Mention(start, end, None, "unresolved")
        if len(toks) >= 2 and toks[0] in ("his", "her") and len(toks) <= 3:
            if head in _INSTITUTIONS or head in DOCUMENTS:  # "his campaign", "her tweet"
                person = self.recent_person(start, _POSSESSIVE_PRONOUN[toks[0]])
                if person is not None:
                    return Mention(start, end, person.canonical, "institution")
            return Mention(start, end, None, "unresolved")
        if 1 <= len(content) <= 4 and toks[0] in ("the", "this", "that"):
            if head in DOCUMENTS and len(content) <= 2:  # "the letter", "the statement"
                author = self.author_of(head, start)
                if author is not None:
                    return Mention(start, end, author.canonical, "document")
            person = self.by_title(head, start)
            if person is not None:
                return Mention(start, end, person.canonical, "title")
        return Mention(start, end, None, "unresolved")


def _other_entity_before(resolver: SpeakerResolver, start: int, end: int) -> bool:
    """A place or group names whose organisation this is ("Chinese foreign ministry")."""
    return any(start <= e.start < end for e in resolver.others)

"""The who-said-what stage: entities, direct quotes and indirect attributions.

Cost control: spaCy's NER runs on every article (entities are wanted everywhere), but
the tagger and parser run only on the sentences that need them: those with a cue word
("said", "according to", ...) outside quotation marks that the cheap quotation-mark
patterns did not already explain.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from ..config import QuotesConfig
from ..nlp.text import sentence_spans, words
from .confidence import confidence
from .cues import AMBIGUOUS_CUES, CUE_FORMS
from .direct import CUE_BEFORE, Attribution, attribute_after, attribute_before, parenthetical
from .entities import doc_entities
from .indirect import Found, find_attributions, sentence_subjects
from .marks import QUOTE_CHARS, quote_spans
from .records import ArticleQuotes, Entity, Quote
from .speakers import DOCUMENTS, ROLE_NOUNS, SpeakerResolver
from .split import join_split_quotes

if TYPE_CHECKING:
    from spacy.language import Language

    from ..workers import WorkerPool

_NER_ONLY_DISABLE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_CUE_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(CUE_FORMS, key=len, reverse=True)) + r"|according to)\b", re.I
)
_NEW_REPORT_IN_GAP = re.compile(r"\b(?:that|adding|saying|noting|calling|added|but)\b")
_SECOND_ATTRIBUTION = re.compile(
    r"\b(?:[A-Z][\w'’.-]+|he|she|they)\s+(?:said|says|told|tells|added|adds|argued|noted|wrote|"
    r"responded|replied|asked|countered|disagreed)\b"
)
_REPORTING_IN_GAP = re.compile(r"\b(?:that|adding|saying|noting|calling|and|but|who|which)\b")


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """Load a spaCy pipeline once per process (cached by name)."""
    import spacy

    return spacy.load(model)


@dataclass
class _Pending:
    """One article between the NER pass and the parse pass."""

    text: str
    entities: list[Entity]
    resolver: SpeakerResolver
    direct: list[Quote]
    marks: list[tuple[int, int]]
    parse_sentences: list[tuple[int, int, set[int]]] = field(default_factory=list)
    # sentences parsed only for their subjects: what a later "he said" refers back to
    subject_sentences: list[tuple[int, int]] = field(default_factory=list)
    found: list[tuple[int, Found]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)  # before any pronoun was noted


class QuoteAnalyzer:
    """Holds the loaded pipeline and the config; reusable across many articles."""

    def __init__(self, config: QuotesConfig, nlp: Language | None = None) -> None:
        self.config = config
        self.nlp = nlp if nlp is not None else load_nlp(config.spacy_model)
        names = set(self.nlp.pipe_names)
        self._ner_disable = [n for n in _NER_ONLY_DISABLE if n in names]
        # the parse pass needs tags and dependencies only (cue lemmas come from the lexicon)
        self._parse_disable = [n for n in ("ner", "lemmatizer", "attribute_ruler") if n in names]

    def __reduce__(self) -> tuple[object, tuple[QuotesConfig]]:
        # A pickled analyzer is its config: the receiving process loads the pipeline
        # itself (once, through ``load_nlp``'s cache), the model is never pickled.
        return (QuoteAnalyzer, (self.config,))

    def analyze(self, text: str) -> ArticleQuotes:
        return next(self.analyze_many([text]))

    def analyze_many(
        self, texts: Iterable[str], pool: WorkerPool | None = None
    ) -> Iterator[ArticleQuotes]:
        """Results in input order; a text that fails yields ``ArticleQuotes(error=...)``.

        With a parallel ``pool`` (``manysides.workers``) the batches go to its workers,
        each of which loads the spaCy pipeline once (``load_nlp``) and keeps it.
        """
        batches = _chunks(texts, self.config.batch_size)
        if pool is None or not pool.parallel:
            for batch in batches:
                yield from self._safe_batch(batch)
            return
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
        if second is None:  # one batch: not worth a round trip to the workers
            yield from self._safe_batch(first)
            return
        rest = itertools.chain([first, second], batches)
        for results in pool.map(partial(_analyze_in_worker, self.config), rest):
            yield from results

    def _safe_batch(self, texts: list[str]) -> list[ArticleQuotes]:
        try:
            return self._batch(texts)
        except Exception:  # noqa: BLE001 - isolate the failing text below
            if len(texts) == 1:
                return [ArticleQuotes(error=_describe(sys.exc_info()[1]))]
        return [item for text in texts for item in self._safe_batch([text])]

    # -- one batch ---------------------------------------------------------------------
    def _batch(self, texts: list[str]) -> list[ArticleQuotes]:
        pending: list[_Pending] = []
        docs = self.nlp.pipe(texts, disable=self._ner_disable, batch_size=self.config.batch_size)
        for text, doc in zip(texts, docs, strict=True):
            pending.append(self._first_pass(text, doc))
        jobs: list[tuple[int, int, int, set[int] | None]] = []
        for n, p in enumerate(pending):
            cued = {start for start, _end, _c in p.parse_sentences}
            jobs += [(n, start, end, consumed) for start, end, consumed in p.parse_sentences]
            jobs += [(n, s, e, None) for s, e in p.subject_sentences if s not in cued]
        parsed = self.nlp.pipe(
            (pending[n].text[s:e] for n, s, e, _ in jobs),
            disable=self._parse_disable,
            batch_size=max(16, self.config.batch_size * 4),
        )
        for (n, start, _end, consumed), sent_doc in zip(jobs, parsed, strict=True):
            pending[n].resolver.subjects[start] = [
                (a + start, b + start) for a, b in sentence_subjects(sent_doc)
            ]
            if consumed is None:
                continue
            rel = {c - start for c in consumed}
            for found in find_attributions(sent_doc, rel):
                pending[n].found.append((start, found))
        return [self._finish(p) for p in pending]

    def _first_pass(self, text: str, doc: object) -> _Pending:
        entities = doc_entities(doc)  # type: ignore[arg-type]
        spans = _outermost(quote_spans(text))
        sentences = sentence_spans(text)
        resolver = SpeakerResolver(text, entities, spans, sentences)
        gender = dict(resolver.gender)
        direct, consumed = self._direct_quotes(text, spans, resolver)
        direct = _headline_quotes(text, direct, resolver)
        pending = _Pending(text, entities, resolver, direct, spans, gender=gender)
        for q in direct:  # pronoun speakers are resolved again once these are parsed
            if _is_pronoun(text, q):
                found = resolver.antecedent_sentence(min(q.start, q.speaker_start or q.start))
                if found is not None:
                    pending.subject_sentences.append(_sentence_of(sentences, found[0]))
        for start, end in sentences:
            found = None if _inside(spans, start) else parenthetical(text, start, end)
            if found is not None and not any(start <= s_ < end for s_, _e in spans):
                att, first, second = found
                consumed.add(att.cue_start)
                for a, b in (first, second):
                    direct.append(
                        self._make(text, a, b, att, resolver, direct=False, method="parenthetical")
                    )
                direct.sort(key=lambda q: q.start)
                continue
            if any(
                m.start() not in consumed
                and not _inside(spans, m.start())
                and _likely_verb(text, m, start)
                for m in _CUE_WORD.finditer(text, start, end)
            ):
                pending.parse_sentences.append((start, end, consumed))
        return pending

    def _direct_quotes(
        self, text: str, spans: list[tuple[int, int]], resolver: SpeakerResolver
    ) -> tuple[list[Quote], set[int]]:
        quotes: list[Quote] = []
        consumed: set[int] = set()
        previous: Quote | None = None
        for k, (q_start, q_end) in enumerate(spans):
            para_start = text.rfind("\n", 0, q_start) + 1
            para_end = text.find("\n", q_end)
            para_end = len(text) if para_end < 0 else para_end
            next_q = spans[k + 1][0] if k + 1 < len(spans) else len(text)
            prev_q = spans[k - 1][1] if k else 0
            limit = min(para_end, next_q, q_end + 160)
            att = attribute_after(text, q_end, limit)
            how = "after"
            if att is None:
                how = "before"
                lo = max(para_start, prev_q, q_start - 240)
                if text[para_start:q_start].strip() == "" and para_start > 1:
                    # a quotation opening its paragraph: "Smith said:" may end the previous one
                    prev_end = len(text[:para_start].rstrip())
                    if text[:prev_end].endswith(":"):
                        lo = max(prev_q, text.rfind("\n", 0, prev_end) + 1)
                att = attribute_before(text, lo, q_start)
                if att is None:
                    how = "subject"
                    att = _subject_source(text, lo, q_start, resolver)
            quote: Quote | None = None
            if att is not None:
                consumed.add(att.cue_start)
                quote = self._make(text, q_start, q_end, att, resolver, direct=True, method=how)
            elif previous is not None and self._continues(text, previous, q_start):
                quote = _same_speaker(text, q_start, q_end, previous, "continued")
            elif len(words(text[q_start:q_end])) >= 6 and (
                subject := _sentence_subject(text, para_start, q_start, resolver)
            ):
                quote = self._make(
                    text, q_start, q_end, subject, resolver, direct=True, method="sentence"
                )
            elif len(words(text[q_start:q_end])) >= _MIN_CUE_WORDS and (
                cued := _sentence_cue(text, para_start, q_start, spans, resolver)
            ):
                quote = self._make(
                    text, q_start, q_end, cued, resolver, direct=True, method="clause"
                )
            elif len(words(text[q_start:q_end])) >= self.config.min_unattributed_words:
                quote = Quote(text[q_start:q_end], q_start, q_end, None, None, None, None, True)
            if quote is not None:
                if quote.speaker_start is not None:
                    previous = quote
                quotes.append(quote)
        return quotes, consumed

    @staticmethod
    def _continues(text: str, previous: Quote, q_start: int) -> bool:
        """A quote follows the previous attributed one with nothing but the attribution
        between them, or opens the next paragraph."""
        gap = text[previous.end : q_start]
        if not gap.strip():
            return gap.count("\n") <= 2
        if previous.cue:  # the attribution's own cue is no new report: ``"A," she added. "B."``
            gap = re.sub(rf"\b{re.escape(previous.cue)}\b", lambda m: " " * len(m[0]), gap, count=1)
        # only the attribution may stand between: ``"A," she said. "B."`` / ``she said: "B"``
        if "\n" in gap:
            # ``"A," Susan said as she turned around.`` / new paragraph ``"B."``
            before, _, after = gap.partition("\n")
            return (
                after.strip() == ""
                and gap.count("\n") <= 2
                and len(before) <= 200
                and previous.speaker_start is not None
                and previous.end <= previous.speaker_start < previous.end + len(before)
                and _NEW_REPORT_IN_GAP.search(before) is None
            )
        if gap.rstrip().rstrip("\"”’'")[-1:] not in ".,:;—":
            return False
        if previous.speaker_start is not None and previous.end <= previous.speaker_start < q_start:
            # ``"A," Cruz said in response to a question on Monday. "B."``
            # ``"A," Jealous said, suggesting that ... Trump. "B."``: one sentence about the
            # speaker, without a second attribution, still leads to the speaker's words
            body = gap.strip().rstrip("\"”’'").rstrip(".")
            return (
                len(gap) <= 260
                and len(sentence_spans(body)) <= 1
                and _SECOND_ATTRIBUTION.search(gap) is None
                and " but " not in gap
            )
        return len(gap) <= 90 and _REPORTING_IN_GAP.search(gap) is None

    def _make(
        self,
        text: str,
        start: int,
        end: int,
        att: Attribution,
        resolver: SpeakerResolver,
        *,
        direct: bool,
        method: str,
    ) -> Quote:
        s, e = att.src_start, att.src_end
        mention = resolver.resolve(s, e, start)
        entity = resolver.entity_in(s, e)
        if mention.kind in ("name", "surname") and entity is not None and entity.label == "PERSON":
            s, e = entity.start, entity.end  # the name itself is the mention
        pronoun = text[s:e].strip().lower()
        if pronoun in ("he", "she") and mention.speaker is not None:
            resolver.note_pronoun(mention.speaker, pronoun)
        return Quote(
            text[start:end],
            start,
            end,
            mention.speaker,
            s,
            e,
            att.cue or None,
            direct,
            confidence=confidence(method, mention.kind),
            basis=f"{method}/{mention.kind}",
        )

    def _finish(self, p: _Pending) -> ArticleQuotes:
        text = p.text
        quotes = _resolve_pronouns(text, p.direct, p.resolver, p.gender)
        for offset, f in p.found:
            if _inside(p.marks, f.cue_start + offset):
                continue  # a cue inside a quotation is part of what was quoted
            c_start, c_end = f.content[0] + offset, f.content[1] + offset
            c_end = _close_quote(text, p.marks, c_start, c_end)
            inside = [q for q in quotes if q.start < c_end and c_start < q.end]
            covered = sum(min(q.end, c_end) - max(q.start, c_start) for q in inside)
            if inside and covered >= 0.6 * (c_end - c_start):
                # the quotation marks already hold this content; the parse supplies a
                # speaker the patterns missed or only guessed (sentence subject, no cue)
                if f.source is not None:
                    for q in inside:
                        if q.speaker_start is None or q.cue in (None, ":"):
                            att = Attribution(f.source[0] + offset, f.source[1] + offset, f.cue, 0)
                            quotes[quotes.index(q)] = self._make(
                                text,
                                q.start,
                                q.end,
                                att,
                                p.resolver,
                                direct=q.direct,
                                method="parse",
                            )
                continue
            if any(q.start <= c_start and c_end <= q.end for q in quotes):
                continue
            quotes = [q for q in quotes if not (c_start <= q.start and q.end <= c_end)]
            # reported speech that opens or closes on a quotation carries the speaker's
            # own words: direct, as the annotation counts it (``said that it was “over.”``)
            quoting = text[c_start] in QUOTE_CHARS or text[c_end - 1] in QUOTE_CHARS
            if f.source is not None:
                att = Attribution(f.source[0] + offset, f.source[1] + offset, f.cue, 0)
                quotes.append(
                    self._make(
                        text, c_start, c_end, att, p.resolver, direct=quoting, method="reported"
                    )
                )
            else:
                quotes.append(
                    Quote(text[c_start:c_end], c_start, c_end, None, None, None, f.cue, quoting)
                )
        quotes.sort(key=lambda q: (q.start, q.end))
        quotes = join_split_quotes(text, _carry_speakers(text, _dedupe(quotes)))
        return ArticleQuotes(entities=p.entities, quotes=quotes)


_TRAILING_CLOSE = re.compile(r"[.,!?;…]*(?:[”\"’»]|'')")


def _close_quote(text: str, marks: list[tuple[int, int]], start: int, end: int) -> int:
    """Extend content that opens a quotation over its end (``... “beautiful.”``)."""
    i = bisect.bisect_right(marks, (end, 1 << 62)) - 1
    if i >= 0 and start <= marks[i][0] < end < marks[i][1]:
        return marks[i][1]
    if i + 1 < len(marks) and text[end : marks[i + 1][0]].strip() == "":
        return marks[i + 1][1]  # the parser left the quotation that ends the clause out
    inner = text[start:end]
    opened = inner.count("“") + inner.count("«") > inner.count("”") + inner.count("»") or (
        inner.count('"') % 2 == 1
    )
    if opened:
        m = _TRAILING_CLOSE.match(text, end)
        if m:
            return m.end()
    return end


_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’']*\s+|\n)(?=[^.!?\n]*$)")
_NAME_BEFORE_COLON = re.compile(r"(?P<name>(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*)\s*:$")
_PRONOUN_SUBJECT = re.compile(r"\s*(?P<src>He|She|They|We|I)\b")


def _subject_source(
    text: str, lo: int, q_start: int, resolver: SpeakerResolver
) -> Attribution | None:
    """The subject of the sentence introducing a quotation when no name stands right
    before its cue: ``He then adopted an accent and joked, “...”``, ``Pollster Daron
    Shaw: “...”``, ``She then addressed the supporters again: “...”``."""
    window = text[lo:q_start].rstrip()
    cue_match = CUE_BEFORE.match(text, lo, lo + len(window))
    if cue_match is not None:
        group = "cue" if cue_match.group("cue") else "manner"
        cue, cue_at = cue_match.group(group), cue_match.start(group)
    elif window.endswith(":"):
        cue, cue_at = ":", lo + len(window) - 1
    else:
        return None
    m = _SENTENCE_START.search(text, lo, cue_at)
    sent_start = m.end() if m else lo
    pronoun = _PRONOUN_SUBJECT.match(text, sent_start, cue_at)
    if pronoun:
        return Attribution(pronoun.start("src"), pronoun.end("src"), cue, cue_at)
    person = resolver.first_person(sent_start, cue_at)
    if person is not None:
        return Attribution(person.start, person.end, cue, cue_at)
    name = _NAME_BEFORE_COLON.search(text, sent_start, cue_at + 1) if cue == ":" else None
    if name is not None:  # a name NER missed: ``... - Michael P. McDonald: “...”``
        return Attribution(name.start("name"), name.end("name"), cue, cue_at)
    return None


_HEADLINE = re.compile(
    r"^(?P<src>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*:\s+(?P<content>\S[^\n]{3,200}?)"
    r"[.\s]*$",
    re.M,
)


def _headline_quotes(text: str, quotes: list[Quote], resolver: SpeakerResolver) -> list[Quote]:
    """Headline-style attributions, a line of ``Darrell Issa: Clinton's 'Honesty Is In
    Question'``: the name (a recognised person or organisation) is the source."""
    out = list(quotes)
    for m in _HEADLINE.finditer(text):
        entity = resolver.entity_in(m.start("src"), m.end("src"))
        is_title = text[: m.start()].strip() == ""  # the first line: the headline
        if not is_title and (entity is None or entity.label not in ("PERSON", "ORG")):
            continue
        start, end = m.start("content"), m.end("content")
        inside = [q for q in out if start <= q.start and q.end <= end]
        if any(q.speaker is not None and q.end - q.start >= 0.8 * (end - start) for q in inside):
            continue
        out = [q for q in out if q not in inside]
        mention = resolver.resolve(m.start("src"), m.end("src"))
        direct = text[start] in QUOTE_CHARS or text[end - 1] in QUOTE_CHARS
        out.append(
            Quote(
                text[start:end],
                start,
                end,
                mention.speaker,
                mention.start,
                mention.end,
                ":",
                direct,
                confidence=confidence("headline", mention.kind),
                basis=f"headline/{mention.kind}",
            )
        )
    out.sort(key=lambda q: q.start)
    return out


def _sentence_subject(
    text: str, para_start: int, q_start: int, resolver: SpeakerResolver
) -> Attribution | None:
    """A quotation inside a sentence whose subject is a person: ``Trump called the plan
    “a disaster”``, ``He has coined a new phrase, “undocumented Democrats”``."""
    m = _SENTENCE_START.search(text, para_start, q_start)
    sent_start = m.end() if m else para_start
    if q_start - sent_start < 8 or q_start - sent_start > 200:
        return None
    pronoun = _PRONOUN_SUBJECT.match(text, sent_start, q_start)
    if pronoun and pronoun.group("src") in ("He", "She"):
        return Attribution(pronoun.start("src"), pronoun.end("src"), "", q_start)
    person = resolver.first_person(sent_start, q_start)
    if person is not None and person.start - sent_start <= 25:
        return Attribution(person.start, person.end, "", q_start)
    return None


_MIN_CUE_WORDS = 6  # a shorter quotation inside a cued sentence is often a scare quote
_PRONOUN_SOURCE = re.compile(r"\b(?:he|she|they)\b", re.I)
# "the letter", "an aide", "A spokeswoman for the House Armed Services Committee"
_NOUN_SOURCE = re.compile(
    r"\b(?:the|a|an|one|another|this|his|her|their|its)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:" + "|".join(sorted(DOCUMENTS | ROLE_NOUNS, key=len, reverse=True)) + r")s?\b"
    r"(?:\s+(?:for|of|at|from)\s+(?:the\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*)?",
    re.I,
)
_DOCUMENT_HEAD = re.compile(
    r"\b(?:" + "|".join(sorted(DOCUMENTS, key=len, reverse=True)) + r")s?$", re.I
)
_CLAUSE_BREAK = re.compile(r"[;:]\s|\s[—–]\s|\bbut\b|\bwhile\b|\bwhereas\b")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|for|with|at|against|by|about|of|on|in|over|from|than|into|toward|towards)\s+"
    r"(?:the\s+)?$",
    re.I,
)


def _sentence_cue(
    text: str,
    para_start: int,
    q_start: int,
    spans: list[tuple[int, int]],
    resolver: SpeakerResolver,
) -> Attribution | None:
    """A quotation inside a sentence whose reporting clause stands earlier in it, not
    next to the quotation: ``Trump issued a statement saying that Scalia was “...”``,
    ``In contrast, Berkman said, there seem to be more Republicans “...”``, ``As one
    employee told a local paper, “...”``. The source is a person or organisation,
    he/she/they, a role noun or a document: the one right before the cue
    (``Berkman said``), else the sentence's subject (``Sanders compared himself to
    Clinton, saying, “...”``: Sanders), never a name inside a prepositional phrase."""
    m = _SENTENCE_START.search(text, para_start, q_start)
    sent_start = m.end() if m else para_start
    if q_start - sent_start > 300:
        return None
    cue = None
    for c in _CUE_WORD.finditer(text, sent_start, q_start):
        if not _inside(spans, c.start()) and _likely_verb(text, c, sent_start):
            cue = c
    if cue is None or cue.group().lower() == "according to":
        return None
    # the reporting clause must govern the quotation: no new clause between them
    between = text[cue.end() : q_start]
    if _CLAUSE_BREAK.search(between) and not between.rstrip().endswith(":"):
        return None
    lo = sent_start
    for a, b in spans:  # nothing inside an earlier quotation of the sentence
        if sent_start <= a < cue.start():
            lo = max(lo, b)
    found = [(e.start, e.end) for e in resolver.named if lo <= e.start and e.end <= cue.start()]
    for pattern in (_PRONOUN_SOURCE, _NOUN_SOURCE):
        found += [(p.start(), p.end()) for p in pattern.finditer(text, lo, cue.start())]
    found = sorted(
        (a, b)
        for a, b in found
        if not _PREPOSITION_BEFORE.search(text, max(lo, a - 20), a)
        and not any(x <= a and b <= y and (x, y) != (a, b) for x, y in found)
    )
    if not found:
        return None
    last, first = found[-1], found[0]
    gap = text[last[1] : cue.start()]
    issued = last != first and _DOCUMENT_HEAD.search(text, last[0], last[1]) is not None
    if len(gap) <= 25 and "," not in gap and not issued:
        return Attribution(last[0], last[1], cue.group(), cue.start())  # ``Berkman said``
    # ``Lopez issued a statement saying``: the statement's issuer, the clause's subject
    if _CLAUSE_BREAK.search(text, first[1], cue.start()):
        return None
    return Attribution(first[0], first[1], cue.group(), cue.start())


def _is_pronoun(text: str, q: Quote) -> bool:
    if q.speaker_start is None or q.speaker_end is None:
        return False
    return text[q.speaker_start : q.speaker_end].strip().lower() in ("he", "she")


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(sentences, (pos, 1 << 62)) - 1
    return sentences[max(i, 0)]


def _resolve_pronouns(
    text: str, quotes: list[Quote], resolver: SpeakerResolver, gender: dict[str, str]
) -> list[Quote]:
    """The quotes again with their "he"/"she" speakers resolved now that the sentences
    they refer back to are parsed (genders learnt from the first guesses are forgotten);
    a continuation takes the speaker of the quote whose mention it shares."""
    resolver.gender = dict(gender)
    by_mention: dict[tuple[int, int], str | None] = {}
    out = []
    for q in quotes:
        if not _is_pronoun(text, q) or q.speaker is None:
            out.append(q)
            continue
        key = (q.speaker_start or 0, q.speaker_end or 0)
        if key not in by_mention:
            mention = resolver.resolve(*key, q.start)
            by_mention[key] = mention.speaker
            if mention.speaker is not None:
                resolver.note_pronoun(mention.speaker, text[key[0] : key[1]])
        speaker = by_mention[key]
        if speaker is None:
            out.append(replace(q, speaker=None, confidence=0.0, basis=_unresolved(q.basis)))
        else:
            out.append(replace(q, speaker=speaker))
    return out


def _unresolved(basis: str) -> str:
    return basis.partition("/")[0] + "/unresolved"


def _carry_speakers(text: str, quotes: list[Quote]) -> list[Quote]:
    """A quotation paragraph with no attribution of its own continues the speaker of the
    quote that ends the paragraph before it (direct or reported)."""
    out: list[Quote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if (
            q.speaker_start is None
            and q.direct
            and prev is not None
            and prev.speaker_start is not None
        ):
            gap = text[prev.end : q.start]
            para_start = text.rfind("\n", 0, q.start) + 1
            if (
                text[para_start : q.start].strip() == ""
                and gap.count("\n") <= 2
                and ("\n" in gap and len(gap) < 300)
            ):
                q = _same_speaker(text, q.start, q.end, prev, "carried")
        out.append(q)
    return out


def _same_speaker(
    text: str, start: int, end: int, other: Quote, method: str, *, direct: bool = True
) -> Quote:
    """A quote at [start, end) given to the speaker of ``other`` (a continuation)."""
    kind = other.basis.partition("/")[2] or "unresolved"
    return Quote(
        text[start:end],
        start,
        end,
        other.speaker,
        other.speaker_start,
        other.speaker_end,
        other.cue,
        direct,
        confidence=confidence(method, kind) if other.speaker else 0.0,
        basis=f"{method}/{kind}",
    )


_PREV_WORD = re.compile(r"(\S+)\s+$")
_NEXT_CLAUSE = re.compile(r"\s*(?:that\b|to\b|[,:])")
_SUBJECT_WORDS = frozenset({"he", "she", "they", "we", "i", "you", "who", "it", "which", "also"})


def _likely_verb(text: str, m: re.Match[str], sentence_start: int) -> bool:
    """Whether a cue word that is often a noun ("state", "report", "calls") is used as a
    verb here: after a pronoun or a name, or before "that"/"to"/a comma or colon."""
    if m.group().lower() not in AMBIGUOUS_CUES:
        return True
    if _NEXT_CLAUSE.match(text, m.end()):
        return True
    prev = _PREV_WORD.search(text, sentence_start, m.start())
    if prev is None:
        return False
    word = prev.group(1).strip('"“”’,')
    return word.lower() in _SUBJECT_WORDS or (word[:1].isupper() and prev.start() > sentence_start)


@lru_cache(maxsize=2)
def _worker_analyzer(config: QuotesConfig) -> QuoteAnalyzer:
    return QuoteAnalyzer(config)


def _analyze_in_worker(config: QuotesConfig, texts: list[str]) -> list[ArticleQuotes]:
    """Worker: one batch through this process's analyzer (built and loaded once)."""
    return _worker_analyzer(config)._safe_batch(texts)


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _describe(exc: BaseException | None) -> str:
    return f"{type(exc).__name__}: {exc}" if exc is not None else "analysis failed"


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for q in quotes:
        if out and out[-1].start == q.start and out[-1].end == q.end:
            continue
        out.append(q)
    return out


def analyze(text: str, config: QuotesConfig, nlp: Language | None = None) -> ArticleQuotes:
    """Entities and attributed quotes of one article."""
    return QuoteAnalyzer(config, nlp).analyze(text)


def analyze_many(
    texts: Iterable[str], config: QuotesConfig, nlp: Language | None = None
) -> Iterator[ArticleQuotes]:
    """Like ``analyze`` over many articles, batched through spaCy."""
    return QuoteAnalyzer(config, nlp).analyze_many(texts)

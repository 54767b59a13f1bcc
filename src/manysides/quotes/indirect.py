"""Attributions found in dependency parses: "X said (that) ...", "according to X, ..."."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cues import CUE_FORMS, OBJECT_CUES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJ = frozenset({"nsubj", "nsubjpass"})
_CONTENT = frozenset({"ccomp"})
_EDGE_PUNCT = frozenset(",.;:—–-")
_NOT_SOURCE = frozenset({"it", "that", "which", "there", "this", "what"})


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution in a parsed sentence, as character offsets into that sentence."""

    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: str
    cue_start: int


def _cue_lemma(tok: Token) -> str | None:
    """The cue lemma of a token ("said" -> "say"), from the cue lexicon: the parse pass
    runs without spaCy's lemmatizer and attribute ruler, which it does not need."""
    return CUE_FORMS.get(tok.lower_)


def _is_verb(tok: Token) -> bool:
    return tok.tag_.startswith("VB") or tok.tag_ == "MD"


def _trimmed(tokens: list[Token]) -> tuple[int, int] | None:
    while tokens and (tokens[0].is_punct and tokens[0].text in _EDGE_PUNCT or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (
        tokens[-1].is_punct and tokens[-1].text in _EDGE_PUNCT or tokens[-1].is_space
    ):
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _span_tokens(doc: Doc | Span, left: int, right: int, skip: set[int]) -> list[Token]:
    return [t for t in doc if left <= t.i <= right and t.i not in skip]


def _clause(head: Token) -> list[Token]:
    """The subtree of a content clause without a participle after its closing quotation
    mark (``“... Cleveland,” referring to ...``: the writer's words, not the speaker's)."""
    cut = {
        t.i
        for c in head.children
        if c.dep_ in ("advcl", "xcomp", "acl")
        and c.tag_ == "VBG"
        and c.i > head.i
        and c.left_edge.i > 1
        and head.doc[c.left_edge.i - 1].text in (",", "”", '"', "''")
        and any(t.text in ("”", '"', "''") for t in head.doc[c.left_edge.i - 2 : c.left_edge.i])
        for t in c.subtree
    }
    return [t for t in head.subtree if t.i not in cut]


def _object_content(verb: Token) -> tuple[int, int] | None:
    """What an object-taking cue reports: "called the system “rotten”", "declined to
    comment", "urged voters to ...", "called for a ban"."""
    parts = [
        c
        for c in verb.children
        if c.dep_ in ("dobj", "oprd", "xcomp", "ccomp", "advcl")
        and c.i > verb.i
        and not (c.dep_ == "advcl" and c.tag_ == "VBG")
    ]
    if not parts:
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("for", "on", "of") and c.i == verb.i + 1:
                parts = [c]
                break
    if not parts:
        return None
    toks = [t for p in parts for t in _clause(p)]
    if parts[0].dep_ == "prep":
        toks = [t for t in toks if t.i != parts[0].i]
    toks.sort(key=lambda t: t.i)
    return _trimmed(toks)


def _that_clause(verb: Token) -> tuple[int, int] | None:
    """A "that ..." clause the parser attached below the cue's object ("says in a
    statement that ..."): from the complementizer to the end of its clause."""
    inside = {t.i for t in verb.subtree}
    for t in verb.doc[verb.i + 1 : verb.i + 12]:
        if t.lower_ in ("that", "whether") and t.dep_ == "mark" and t.head.i in inside:
            if any(_cue_lemma(x) and _is_verb(x) for x in verb.doc[verb.i + 1 : t.i]):
                return None
            return _trimmed(list(verb.doc[t.i : t.head.right_edge.i + 1]))
    return None


def _subject(verb: Token) -> Token | None:
    seen = 0
    tok = verb
    while seen < 4:
        for child in tok.children:
            if child.dep_ in _SUBJ:
                if child.lower_ in ("who", "that") and tok.dep_ == "relcl":
                    return tok.head
                return child
        if tok.dep_ in ("xcomp", "advcl", "conj", "acl") and tok.head is not tok:
            head = tok.head
            if tok.dep_ == "conj" and head.dep_ == "ccomp" and _cue_lemma(head.head):
                head = head.head  # "He said X and said Y": the parser hung Y's verb on X
            tok = head
            seen += 1
            continue
        return None
    return None


def _source_span(subj: Token) -> tuple[int, int] | None:
    if subj.lower_ in _NOT_SOURCE:
        return None
    toks = [t for t in subj.subtree if t.dep_ not in ("relcl", "punct") or t is subj]
    # stop at a relative clause or an apposition introduced by a comma
    left = subj.left_edge.i
    right = subj.i
    for t in subj.subtree:
        if t.i > subj.i and t.dep_ in ("prep", "compound", "poss", "amod", "pobj", "flat"):
            right = max(right, t.i)
        if t.i > subj.i and t.text in (",", "(", "—", "who", "which"):
            break
    toks = [t for t in subj.doc[left : right + 1]]
    return _trimmed(toks)


def find_attributions(doc: Doc, consumed: set[int]) -> list[Found]:
    """Attributions in one parsed sentence; cue tokens at ``consumed`` offsets are skipped.

    A content before its cue that holds another attribution's cue (``X said that Y, he
    said``) is dropped: the inner attribution is the one that was reported."""
    found = list(_candidates(doc, consumed))
    cues = [f.cue_start for f in found]
    return [
        f
        for f in found
        if f.content[1] > f.cue_start or not any(f.content[0] <= c < f.content[1] for c in cues)
    ]


def _candidates(doc: Doc, consumed: set[int]) -> Iterator[Found]:
    for tok in doc:
        # a cue already used by a quotation before it may still introduce a clause after
        # it: ``"...," Kiedis said, mentioning the album is "in the home stretch."``
        only_after = tok.idx in consumed
        low = tok.lower_
        if only_after and low == "according":
            continue
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = _according(doc, tok)
            if found:
                yield found
            continue
        lemma = _cue_lemma(tok)
        if lemma is None or not _is_verb(tok):
            continue
        comps = [c for c in tok.children if c.dep_ in _CONTENT]
        content: tuple[int, int] | None = None
        if only_after:
            right = [c for c in comps if c.i > tok.i]
            if not right:
                continue
            comps = right
        if comps:
            right = [c for c in comps if c.i > tok.i]
            comp = right[0] if right else comps[-1]
            content = _trimmed(_clause(comp))
        if content is None and lemma in OBJECT_CUES:
            content = _object_content(tok)
        if content is None and tok.dep_ in ("parataxis", "advcl", "ccomp") and tok.head.i < tok.i:
            # "Y, X said": the reported clause is the head the cue hangs on
            head = tok.head
            own = {t.i for t in tok.subtree}
            toks = _span_tokens(doc, head.left_edge.i, head.right_edge.i, own)
            toks = [t for t in toks if t.i < tok.left_edge.i]
            content = _trimmed(toks)
        if content is None:
            content = _that_clause(tok)
        if content is None or content[1] - content[0] < 8:
            continue
        subj = _subject(tok)
        source = _source_span(subj) if subj is not None else None
        if source is None and lemma not in ("say", "tell", "add", "write", "report"):
            continue
        yield Found(content, source, tok.text, tok.idx)


def _according(doc: Doc, tok: Token) -> Found | None:
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    src = _trimmed(list(objs[0].subtree))
    phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i, to.i}
    rest = [t for t in doc if t.i not in phrase]
    # the content is the clause on one side of the "according to" phrase
    before = [t for t in rest if t.i < tok.i]
    after = [t for t in rest if t.i > to.i]
    side = after if len(after) >= len(before) else before
    content = _trimmed(side)
    if content is None or src is None:
        return None
    return Found(content, src, "according to", tok.idx)


def sentence_subjects(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of a parsed sentence's grammatical subjects, the main verb's first:
    the candidates a later "he"/"she" refers back to (``Trump told reporters he had
    spoken with Gov. Whitmer``: "Trump", not the nearer "Whitmer")."""
    out: list[tuple[int, int]] = []
    roots = [t for t in doc if t.dep_ == "ROOT"]
    verbs = [*roots, *(t for t in doc if t.dep_ != "ROOT" and _is_verb(t))]
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in _SUBJ:
                span = _trimmed(list(child.subtree))
                if span is not None and span not in out:
                    out.append(span)
    return out

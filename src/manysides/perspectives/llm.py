"""Optional abstractive summary from any OpenAI-compatible chat endpoint.

``POST {perspectives.llm.url}/chat/completions`` (llama.cpp server, Ollama, vLLM, hosted
APIs) through a ``Chat`` callable the caller passes in (``fetch.chat.ChatClient``: the
fetcher's guard, timeouts and retries); this module itself never opens a connection.
The model is asked to end every sentence with the ids of the articles it comes
from, e.g. ``[1, 3]``. The answer is then checked sentence by sentence:

* it must cite at least one id, and only ids of the story's articles;
* every quotation in it ("..." or “...”) must occur verbatim in a cited article.

A sentence failing a check is replaced by the most similar article sentence (with that
article cited), or dropped when nothing is similar. Network or protocol failures raise
``FetchError``/``ParseError``; the caller falls back to the extractive summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..config import PerspectivesConfig
from ..errors import ParseError
from ..nlp.text import content_stems, split_sentences
from .coverage import outlet_name
from .records import StoryArticle, Summary, SummarySentence
from .similarity import Unit, sentence_units, tfidf_matrix

MAX_ARTICLE_CHARS = 3000
MAX_PROMPT_CHARS = 24000  # keeps the prompt within small local models' context
MAX_PROMPT_ARTICLES = 12
MIN_REPLACEMENT_SIMILARITY = 0.2
_CITE = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]\s*")
_QUOTED = re.compile(r"[\"“]([^\"“”]{3,})[\"”]")

Chat = Callable[[list[dict[str, str]]], str]
"""One chat completion: the messages in, the assistant's text out (raises
``FetchError``/``ParseError``)."""

SYSTEM_PROMPT = (
    "You write short, neutral news summaries for readers across the political spectrum. "
    "Use only facts stated in the articles, avoid loaded or emotional words, and attribute "
    "claims to whoever made them. End every sentence with the ids of the articles that "
    "support it in square brackets, e.g. [1] or [2, 3]. Quote only words that appear "
    "verbatim in a cited article. Write plain prose, no headings, no lists."
)


def _normalize(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _prompt_articles(articles: Sequence[StoryArticle]) -> list[StoryArticle]:
    """At most MAX_PROMPT_ARTICLES, taken round-robin across leanings (syndicated copies once)."""
    seen_reports: set[int] = set()
    by_leaning: dict[str, list[StoryArticle]] = {}
    for a in articles:
        if a.report_id is not None:
            if a.report_id in seen_reports:
                continue
            seen_reports.add(a.report_id)
        by_leaning.setdefault(a.leaning, []).append(a)
    queues = list(by_leaning.values())
    picked: list[StoryArticle] = []
    while len(picked) < MAX_PROMPT_ARTICLES and any(queues):
        for q in queues:
            if q and len(picked) < MAX_PROMPT_ARTICLES:
                picked.append(q.pop(0))
    return sorted(picked, key=lambda a: a.id)


def build_messages(
    articles: Sequence[StoryArticle], config: PerspectivesConfig
) -> list[dict[str, str]]:
    """The chat prompt: instructions plus the (trimmed) articles with their ids."""
    chosen = _prompt_articles(articles)
    limit = max(500, min(MAX_ARTICLE_CHARS, MAX_PROMPT_CHARS // max(1, len(chosen))))
    parts = []
    for a in chosen:
        body = a.text if len(a.text) <= limit else a.text[:limit] + " …"
        parts.append(f"Article [{a.id}] ({outlet_name(a)}, {a.leaning}): {a.title}\n{body}")
    user = (
        f"Summarize the story these {len(chosen)} articles report, in at most "
        f"{config.summary_sentences} sentences and about {config.summary_words} words. "
        "Cite article ids after every sentence.\n\n" + "\n\n".join(parts)
    )
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def parse_cited(answer: str) -> list[tuple[str, list[int]]]:
    """Sentences of the answer with the ids they cite (markers removed from the text)."""
    out = []
    for sent in split_sentences(answer.replace("\n", " ")):
        ids = sorted({int(x) for m in _CITE.finditer(sent) for x in m.group(1).split(",")})
        text = _CITE.sub(" ", sent).strip()
        text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", text))
        if text:
            out.append((text, ids))
    return out


def check_sentence(text: str, ids: list[int], by_id: dict[int, StoryArticle]) -> str | None:
    """Why the sentence fails the checks, or None when it passes."""
    if not ids:
        return "cites no article"
    if any(i not in by_id for i in ids):
        return "cites an unknown article"
    sources = [_normalize(f"{by_id[i].title} {by_id[i].text}") for i in ids]
    for quote in _QUOTED.findall(text):
        q = _normalize(quote).strip(" ,.")
        if q and not any(q in s for s in sources):
            return f"quote not found in cited articles: {quote[:60]}"
    return None


def _closest_unit(text: str, units: Sequence[Unit], used: set[int]) -> int | None:
    """The unused article sentence most similar to ``text`` (None if none is similar)."""
    joint = tfidf_matrix([u.stems for u in units] + [content_stems(text)])
    sims = (joint[:-1] @ joint[-1].T).toarray().ravel()
    for j in sorted(range(len(units)), key=lambda j: -sims[j]):
        if sims[j] < MIN_REPLACEMENT_SIMILARITY:
            return None
        if j not in used:
            return j
    return None


def llm_summary(
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    chat: Chat,
    notes: list[str] | None = None,
) -> Summary:
    """Abstractive, cited and checked summary (see the module docstring)."""
    answer = chat(build_messages(articles, config))
    by_id = {a.id: a for a in articles}
    units = sentence_units(articles, min_words=1)
    used: set[int] = set()
    sentences: list[SummarySentence] = []
    for text, ids in parse_cited(answer):
        problem = check_sentence(text, ids, by_id)
        if problem is None:
            sentences.append(SummarySentence(text, ids))
            continue
        replacement = _closest_unit(text, units, used) if units else None
        if replacement is not None:
            used.add(replacement)
            u = units[replacement]
            sentences.append(SummarySentence(u.text, [u.article_id]))
        if notes is not None:
            action = "replaced by an article sentence" if replacement is not None else "dropped"
            notes.append(f"LLM sentence {action} ({problem})")
    if not sentences:
        raise ParseError("LLM summary had no sentence passing the citation checks")
    return Summary(" ".join(s.text for s in sentences), sentences, method="llm")

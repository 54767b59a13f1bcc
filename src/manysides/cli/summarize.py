"""``manysides summarize``: neutral cited summaries of stories given as JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from ._jsonl import exit_if_failed, jsonl_streams, numbered_lines
from ._state import AppState


def _article(raw: Any, index: int) -> Any:
    from ..perspectives import StoryArticle
    from ..perspectives.coverage import normalize_leaning

    if not isinstance(raw, dict):
        raise ValueError(f"articles[{index}] is not an object")
    text, title = raw.get("text", ""), raw.get("title", "")
    if not isinstance(text, str) or not isinstance(title, str):
        raise ValueError(f"articles[{index}]: title and text must be strings")
    art_id = raw.get("id", index + 1)
    if isinstance(art_id, bool) or not isinstance(art_id, int):
        raise ValueError(f"articles[{index}]: id must be an integer")
    source = raw.get("source") or ""
    return StoryArticle(
        id=art_id,
        title=title,
        text=text,
        outlet=str(source),
        source_id=str(source) or None,
        leaning=normalize_leaning(raw.get("leaning")),
    )


def summarize_line(line: str, config: Any, lexicon: Any, chat: Any = None) -> dict[str, Any]:
    """One input line -> one output record (``{"error": ...}`` when the line is bad)."""
    from ..perspectives import summarize

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"story": None, "error": f"not valid JSON: {exc.msg} (column {exc.colno})"}
    if not isinstance(record, dict):
        return {"story": None, "error": "line is not a JSON object"}
    story = record.get("story")
    articles = record.get("articles")
    if not isinstance(articles, list) or not articles:
        return {"story": story, "error": "'articles' must be a non-empty list"}
    try:
        arts = [_article(a, i) for i, a in enumerate(articles)]
    except ValueError as exc:
        return {"story": story, "error": str(exc)}
    if len({a.id for a in arts}) < len(arts):
        return {"story": story, "error": "article ids must be unique within a story"}
    notes: list[str] = []
    result = summarize(arts, config, lexicon, notes, chat)
    out: dict[str, Any] = {
        "story": story,
        "summary": result.text,
        "sentences": [{"text": s.text, "articles": s.articles} for s in result.sentences],
        "method": result.method,
    }
    if notes:
        out["notes"] = notes
    return out


def run_summarize(src: IO[str], dst: IO[str], config: Any, chat: Any = None) -> tuple[int, int]:
    """Summarize every line of ``src`` into ``dst``; returns (lines, failed lines).
    ``chat`` is the LLM client (``fetch.chat.ChatClient``) when ``config.llm.enabled``."""
    from ..perspectives import load_lexicon

    lexicon = load_lexicon(config.lexicon_path)
    n = failed = 0
    for _, line in numbered_lines(src):
        n += 1
        out = summarize_line(line, config, lexicon, chat)
        failed += "error" in out
        dst.write(json.dumps(out, ensure_ascii=False) + "\n")
        dst.flush()
    return n, failed


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command("summarize")
    def summarize_cmd(
        ctx: typer.Context,
        input: Annotated[
            Path | None, typer.Option("--input", "-i", help="JSONL stories (default stdin).")
        ] = None,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="JSONL summaries (default stdout).")
        ] = None,
        llm: Annotated[
            bool, typer.Option("--llm", help="Use the configured OpenAI-compatible endpoint.")
        ] = False,
    ) -> None:
        """Neutral, cited summaries of stories: one {"story", "articles": [...]} per line."""
        import dataclasses

        from ..errors import UserError

        state: AppState = ctx.obj
        config = state.config.perspectives
        if llm:
            if not config.llm.url:
                raise UserError("--llm needs perspectives.llm.url in the config file")
            config = dataclasses.replace(config, llm=dataclasses.replace(config.llm, enabled=True))
        chat = None
        if config.llm.enabled:
            from ..fetch.chat import ChatClient

            chat = ChatClient(config.llm, state.config.fetch)
        with jsonl_streams(input, output, missing="input file not found: {path}") as (src, dst):
            n, failed = run_summarize(src, dst, config, chat)
        exit_if_failed(failed, f'manysides: {failed} of {n} line(s) failed; see their "error"')

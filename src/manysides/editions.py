"""Editions: a briefing for a topic, a region or a language, built from the outlets the
catalog puts in it.

``brief --edition NAME`` resolves NAME to an ``Edition``: a table ``[editions.NAME]`` of
the config (categories, source ids, languages, title, recipients), or else a catalog
category ("USA | Texas") taken as an edition of its own. The edition's outlets are the
enabled sources in one of its categories or listed by id, kept to its languages when it
names some (an edition of only ``languages`` holds every enabled outlet in them). The
default edition (no ``--edition``) is today's national briefing, unchanged.

An edition's briefing has its own stored history (``store.editions``), its own files
under ``<briefing.output_dir>/editions/<slug>/`` (page, archive, Atom feed, email HTML)
and is mailed with ``send --edition NAME``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import Config
from .errors import UserError
from .sources import Catalog

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Edition:
    name: str  # as asked for: a config table name or a category
    slug: str  # its key in the store and its folder: "usa-texas"
    title: str
    sources: tuple[str, ...]  # the outlets it is built from
    min_outlets: int  # of its outlets a story needs to be in it
    recipients: tuple[str, ...]  # for `send --edition`; empty: email.recipients
    categories: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


def slugify(name: str) -> str:
    slug = _SLUG.sub("-", name.lower()).strip("-")[:60].strip("-")
    if not slug:
        raise UserError(f"edition name {name!r} has no letters or digits")
    return slug


def _language_ok(language: str, wanted: tuple[str, ...]) -> bool:
    code = language.lower()
    return any(code == w.lower() or code.startswith(w.lower() + "-") for w in wanted)


def resolve_edition(name: str, config: Config, catalog: Catalog) -> Edition:
    """The edition ``name`` (see the module docstring); ``UserError`` when it names
    neither a configured edition nor a category with an enabled outlet."""
    name = name.strip()
    cfg = config.editions.get(name)
    if cfg is not None:
        categories, languages = tuple(cfg.categories), tuple(cfg.languages)
        listed = tuple(catalog.get(i).id for i in cfg.sources)  # unknown ids: an error
        title = cfg.title
        min_outlets = cfg.min_outlets or config.briefing.min_outlets
        recipients = tuple(cfg.recipients)
    else:
        known = sorted({c for s in catalog.sources if s.enabled for c in s.categories})
        if name not in known:
            from difflib import get_close_matches

            close = get_close_matches(name, known + sorted(config.editions), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            configured = ", ".join(sorted(config.editions)) or "none"
            raise UserError(
                f"no edition {name!r}: not a table [editions.NAME] of the config"
                f" (configured: {configured}) nor a category of an enabled source{hint}"
            )
        categories, languages, listed, title = (name,), (), (), ""
        min_outlets, recipients = config.briefing.min_outlets, ()
    chosen: list[str] = []
    for s in catalog.sources:
        if not s.enabled and s.id not in listed:
            continue
        inside = s.id in listed or bool(set(s.categories) & set(categories))
        if not (categories or listed):  # a language edition
            inside = True
        if inside and (not languages or _language_ok(s.language, languages)):
            chosen.append(s.id)
    if not chosen:
        raise UserError(f"edition {name!r} selects no enabled outlet")
    return Edition(
        name=name,
        slug=slugify(name),
        title=title or f"{config.briefing.title}: {name}",
        sources=tuple(chosen),
        min_outlets=min_outlets,
        recipients=recipients,
        categories=categories,
        languages=languages,
    )

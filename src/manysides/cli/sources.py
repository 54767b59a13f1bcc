"""``manysides sources list | add | remove | check``: the outlets catalog."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import UserError
from ._state import AppState

if TYPE_CHECKING:
    from ..pipeline.fetch import FeedOutcome
    from ..records import Source

LEANING_HELP = "left, lean-left, center, lean-right or right"


def _source_dict(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "domains": list(s.domains),
        "feeds": list(s.feeds),
        "sitemaps": list(s.sitemaps),
        "country": s.country,
        "ownership": s.ownership,
        "kind": s.kind,
        "leaning": s.leaning,
        "leaning_provenance": s.leaning_provenance,
        "enabled": s.enabled,
        "language": s.language,
        "categories": list(s.categories),
        "owner": s.owner,
        "ownership_type": s.ownership_type,
        "ownership_provenance": s.ownership_provenance,
        "feed_provenance": dict(s.feed_provenance),
        "dead_feeds": dict(s.dead_feeds),
    }


def _print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def _outcome_row(o: FeedOutcome) -> dict[str, Any]:
    dates = [e.published for e in o.entries if e.published]
    return {
        "source": o.job.source.id,
        "url": o.job.url,
        "kind": o.job.kind,
        "ok": o.error is None,
        "status": o.status,
        "entries": len(o.entries),
        "latency_ms": round(o.seconds * 1000),
        "newest": max(dates).isoformat() if dates else None,
        "error": o.error.message if o.error else None,
    }


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="The outlets catalog: list, add, remove and check sources.", no_args_is_help=True
    )
    app.add_typer(group, name="sources")

    @group.command("list")
    def list_(
        ctx: typer.Context,
        leaning: Annotated[
            str | None, typer.Option(help=f"Only this leaning ({LEANING_HELP}).")
        ] = None,
        country: Annotated[
            str | None, typer.Option(help="Only this country code, e.g. US, GB.")
        ] = None,
        category: Annotated[
            str | None, typer.Option(help='Only this category, e.g. "USA | Texas".')
        ] = None,
        language: Annotated[str | None, typer.Option(help="Only this language, e.g. en.")] = None,
        all_: Annotated[bool, typer.Option("--all", help="Include disabled sources.")] = False,
    ) -> None:
        """List the catalog's sources (a dead feed is one `sources prune` marked)."""
        from ..records import LEANINGS
        from ..sources import load_catalog

        state: AppState = ctx.obj
        if leaning is not None and leaning not in LEANINGS:
            raise UserError(f"unknown leaning '{leaning}'; use {LEANING_HELP}")
        catalog = load_catalog(state.config.sources)
        chosen = [
            s
            for s in catalog.sources
            if (all_ or s.enabled)
            and (leaning is None or s.leaning == leaning)
            and (country is None or s.country.lower() == country.lower())
            and (category is None or category in s.categories)
            and (language is None or s.language.lower() == language.lower())
        ]
        if state.json:
            state.emit([_source_dict(s) for s in chosen])
            return
        if state.quiet:
            return
        rows = [
            [
                s.id,
                s.name,
                s.leaning,
                s.country,
                s.ownership,
                s.language,
                str(len(s.feeds) + len(s.sitemaps))
                + (f" ({len(s.dead_feeds)} dead)" if s.dead_feeds else ""),
                "" if s.enabled else "disabled",
            ]
            for s in chosen
        ]
        cols = ["id", "name", "leaning", "country", "ownership", "lang", "feeds", ""]
        _print_table(f"{len(chosen)} sources", cols, rows)

    @group.command()
    def add(
        ctx: typer.Context,
        source_id: Annotated[str, typer.Argument(metavar="ID", help="Slug, e.g. my-paper.")],
        name: Annotated[str, typer.Option(help="Outlet name.")],
        domain: Annotated[list[str], typer.Option(help="Homepage domain (repeatable).")],
        feed: Annotated[
            list[str] | None, typer.Option(help="RSS/Atom feed URL (repeatable).")
        ] = None,
        sitemap: Annotated[
            list[str] | None, typer.Option(help="News sitemap URL (repeatable).")
        ] = None,
        leaning: Annotated[str, typer.Option(help=LEANING_HELP + " or unrated.")] = "unrated",
        provenance: Annotated[
            str, typer.Option(help="Where the leaning comes from.")
        ] = "user's own rating",
        country: Annotated[str, typer.Option(help="ISO country code, e.g. US.")] = "",
        ownership: Annotated[
            str, typer.Option(help="private, public-broadcaster, state-funded or nonprofit.")
        ] = "unknown",
        kind: Annotated[
            str, typer.Option(help="wire, public-broadcaster, newspaper, magazine, digital or tv.")
        ] = "",
        language: Annotated[
            str, typer.Option(help="The language it publishes in, e.g. en, de.")
        ] = "",
        category: Annotated[
            list[str] | None,
            typer.Option(help='A category for editions, e.g. "USA | Texas" (repeatable).'),
        ] = None,
    ) -> None:
        """Add (or replace) a source in your catalog file."""
        from .. import times
        from ..errors import ConfigError
        from ..records import Source
        from ..sources import add_source, load_catalog, normalize_domain, user_catalog_path

        state: AppState = ctx.obj
        if not feed and not sitemap:
            raise UserError("give at least one --feed or --sitemap")
        today = (times.format(datetime.now(UTC)) or "")[:10]
        added = f"added with 'manysides sources add' on {today}"
        source = Source(
            id=source_id,
            name=name,
            domains=tuple(normalize_domain(d) for d in domain),
            feeds=tuple(feed or ()),
            sitemaps=tuple(sitemap or ()),
            country=country.upper(),
            ownership=ownership,
            leaning=leaning,
            leaning_provenance=provenance if leaning != "unrated" else "",  # type: ignore[arg-type]
            kind=kind,
            language=language.strip().lower(),
            categories=tuple(c.strip() for c in category or () if c.strip()),
            feed_provenance=tuple((u, added) for u in (*(feed or ()), *(sitemap or ()))),
        )
        catalog = load_catalog(state.config.sources, missing_ok=True)
        for d in source.domains:
            owner = catalog.match(d)
            if owner is not None and owner.id != source.id and d in owner.domains:
                raise UserError(f"domain '{d}' already belongs to source '{owner.id}'")
        path = user_catalog_path(state.config.sources)
        try:
            add_source(path, source)
        except ConfigError as exc:
            raise UserError(exc.message) from None
        verb = "replaced" if source.id in catalog else "added"
        state.emit(
            {"id": source.id, "action": verb, "file": str(path)}, f"{verb} {source.id} in {path}"
        )

    @group.command()
    def remove(
        ctx: typer.Context,
        source_id: Annotated[str, typer.Argument(metavar="ID", help="Source id.")],
    ) -> None:
        """Remove a source you added, or disable a shipped one."""
        from ..sources import remove_source, user_catalog_path

        state: AppState = ctx.obj
        path = user_catalog_path(state.config.sources)
        action = remove_source(path, source_id)
        state.emit(
            {"id": source_id, "action": action, "file": str(path)},
            f"{action} {source_id} in {path}",
        )

    @group.command()
    def check(
        ctx: typer.Context,
        ids: Annotated[
            list[str] | None,
            typer.Argument(metavar="[IDS]...", help="Sources to check (default: all enabled)."),
        ] = None,
        report_file: Annotated[
            Path | None,
            typer.Option(
                "--report", help="Write the health report (JSON) here, for `sources prune`."
            ),
        ] = None,
        include_dead: Annotated[
            bool, typer.Option("--include-dead", help="Also check feeds marked dead.")
        ] = False,
    ) -> None:
        """Fetch each feed once and report its health: status, items, newest item,
        redirects, and a state (ok, redirected, moved, stale, dead)."""
        from ..files import write_atomic
        from ..health import FeedHealth, report_dict, report_json
        from ..pipeline import Report, RunContext, run_steps

        state: AppState = ctx.obj
        report = Report(show_progress=not (state.quiet or state.json), verbose=state.verbose)
        with state.open_store() as store:
            run = RunContext(
                store=store,
                config=state.config,
                report=report,
                options={"sources": ids or [], "include_dead": include_dead},
            )
            run_steps(run, ("check",), "sources check")
        outcomes: list[FeedOutcome] = run.outputs["feeds"]
        health: list[FeedHealth] = run.outputs["health"]
        rows = [
            _outcome_row(o)
            | {"state": h.state, "reason": h.reason, "final_url": h.final_url}
            | {"redirects": [list(r) for r in h.redirects]}
            for o, h in zip(outcomes, health, strict=True)
        ]
        failed = sum(1 for r in rows if not r["ok"])
        if report_file is not None:
            data = report_dict(
                health, checked_at=run.now, stale_days=state.config.sources.stale_days
            )
            try:
                write_atomic(report_file, report_json(data))
            except OSError as exc:
                raise UserError(f"cannot write {report_file}: {exc.strerror or exc}") from None
        if state.json:
            state.emit({"feeds": rows, "ok": len(rows) - failed, "failed": failed})
        elif not state.quiet:
            _print_table(
                f"{len(rows)} feeds: {len(rows) - failed} ok, {failed} failed",
                ["source", "feed", "state", "status", "items", "ms", "newest / why"],
                [
                    [
                        r["source"],
                        r["url"],
                        r["state"],
                        str(r["status"] or "-"),
                        str(r["entries"]),
                        str(r["latency_ms"]),
                        r["reason"] or (r["newest"] or ""),
                    ]
                    for r in rows
                ],
            )
            for message in report.messages:
                print(message)
            if report_file is not None:
                print(f"report written to {report_file}; `manysides sources prune` applies it")
        if failed:
            raise typer.Exit(1)

    @group.command()
    def prune(
        ctx: typer.Context,
        report_file: Annotated[
            Path, typer.Argument(metavar="REPORT", help="A `sources check --report` file.")
        ],
        follow_moves: Annotated[
            bool,
            typer.Option(
                "--follow-moves", help="Replace permanently moved feeds by their new URL."
            ),
        ] = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Say what would change, write nothing.")
        ] = False,
    ) -> None:
        """Mark the report's dead feeds dead in your catalog (with the reason), so runs skip
        them; unmark the ones that answer again."""
        from ..health import read_report
        from ..sources import load_catalog, prune_changes, update_sources, user_catalog_path

        state: AppState = ctx.obj
        checked_at, feeds = read_report(report_file)
        catalog = load_catalog(state.config.sources, missing_ok=True)
        changes, summary = prune_changes(catalog, feeds, checked_at, follow_moves=follow_moves)
        path = user_catalog_path(state.config.sources)
        written = 0 if dry_run else update_sources(path, changes)
        human = [
            f"{'would mark' if dry_run else 'marked'} {summary['marked']} feed(s) dead,"
            f" revive {summary['revived']}, move {summary['moved']}"
            f" ({written} source(s) written to {path})"
        ]
        human += [f"  {line}" for line in summary["lines"]]
        state.emit(summary | {"file": str(path), "written": written}, "\n".join(human))

    imports = typer.Typer(
        help="Import a maintained feed list into your catalog.", no_args_is_help=True
    )
    group.add_typer(imports, name="import")

    @imports.command("kite")
    def import_kite(
        ctx: typer.Context,
        paths: Annotated[
            list[Path] | None,
            typer.Argument(
                metavar="[PATH]...",
                help="kite_feeds.json and/or media_data.json, or a folder holding them"
                " (default: the snapshot shipped with manysides).",
            ),
        ] = None,
        category: Annotated[
            list[str] | None,
            typer.Option(
                "--category",
                "-c",
                help='Also add the outlets and feeds of this category, e.g. "USA | Texas"'
                " (repeatable).",
            ),
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Say what would change, write nothing.")
        ] = False,
    ) -> None:
        """Map Kagi's maintained list (kagisearch/kite-public, MIT) onto your catalog:
        categories, languages, owners, maintained feed URLs, each feed's provenance."""
        from .. import kite
        from ..sources import load_catalog, source_table, update_sources, user_catalog_path

        state: AppState = ctx.obj
        data = kite.load_kite(paths) if paths else kite.bundled()
        catalog = load_catalog(state.config.sources, missing_ok=True)
        plan = kite.plan_import(catalog.sources, data, categories=category or ())
        changes: dict[str, dict[str, Any]] = dict(plan.changes)
        for s in plan.new_sources:
            changes[s.id] = source_table(s)
        path = user_catalog_path(state.config.sources)
        written = 0 if dry_run else update_sources(path, changes)
        counts = plan.counts()
        human = [
            f"{'would import' if dry_run else 'imported'} {data.origin}:"
            f" {written} source(s) written to {path}"
        ]
        human += [f"  {k.replace('_', ' ')}: {v}" for k, v in counts.items()]
        human += [f"  skipped: {p}" for p in data.problems[:20]]
        if len(data.problems) > 20:
            human.append(f"  ... and {len(data.problems) - 20} more problems")
        state.emit(
            {
                "origin": data.origin,
                "file": str(path),
                "written": written,
                "counts": counts,
                "added": [s.id for s in plan.new_sources],
                "replaced": [
                    {"source": d.source_id, "from": d.previous, "to": d.url}
                    for d in plan.decisions
                    if d.previous
                ],
                "problems": list(data.problems),
            },
            "\n".join(human),
        )

    @group.command()
    def coverage(
        ctx: typer.Context,
        paths: Annotated[
            list[Path] | None,
            typer.Argument(
                metavar="[PATH]...",
                help="kite_feeds.json / media_data.json (default: the shipped snapshot).",
            ),
        ] = None,
        country: Annotated[str, typer.Option(help="Count this country's feeds apart.")] = "US",
    ) -> None:
        """How many of the catalog's feeds appear in Kagi's maintained list, how many
        carry a recorded reason instead, and how many outlets have an owner on record."""
        from .. import kite
        from ..sources import load_catalog

        state: AppState = ctx.obj
        data = kite.load_kite(paths) if paths else kite.bundled()
        numbers = kite.coverage(load_catalog(state.config.sources).sources, data, country.upper())
        c = numbers["country"]
        human = "\n".join(
            [
                f"against {numbers['origin']}:",
                f"  outlets: {numbers['outlets']}, feeds and sitemaps: {numbers['feeds']}",
                f"  in the maintained list: {numbers['feeds_in_list']}"
                f" ({numbers['feeds_in_list_exact']} spelled exactly as there)",
                f"  with a recorded provenance: {numbers['feeds_with_provenance']}",
                f"  {c} feeds: {numbers['country_feeds']}, in the list"
                f" {numbers['country_feeds_in_list']}, with a recorded reason"
                f" {numbers['country_feeds_with_reason']}, neither"
                f" {len(numbers['country_feeds_unaccounted'])}",
                f"  outlets with an owner on record: {numbers['outlets_with_owner']}"
                f" (ownership type: {numbers['outlets_with_ownership_type']})",
                f"  outlets with categories: {numbers['outlets_with_categories']},"
                f" with a language: {numbers['outlets_with_language']}",
            ]
        )
        state.emit(numbers, human)

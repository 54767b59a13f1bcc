"""``manysides sources list | add | remove | check``: the outlets catalog."""

from __future__ import annotations

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
        all_: Annotated[bool, typer.Option("--all", help="Include disabled sources.")] = False,
    ) -> None:
        """List the catalog's sources."""
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
                s.kind,
                str(len(s.feeds) + len(s.sitemaps)),
                "" if s.enabled else "disabled",
            ]
            for s in chosen
        ]
        cols = ["id", "name", "leaning", "country", "ownership", "kind", "feeds", ""]
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
    ) -> None:
        """Add (or replace) a source in your catalog file."""
        from ..errors import ConfigError
        from ..records import Source
        from ..sources import add_source, load_catalog, normalize_domain, user_catalog_path

        state: AppState = ctx.obj
        if not feed and not sitemap:
            raise UserError("give at least one --feed or --sitemap")
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
    ) -> None:
        """Fetch each feed once and report its health (status, entries, latency)."""
        from ..pipeline import Report, RunContext, run_steps

        state: AppState = ctx.obj
        report = Report(show_progress=not (state.quiet or state.json), verbose=state.verbose)
        with state.open_store() as store:
            run = RunContext(
                store=store, config=state.config, report=report, options={"sources": ids or []}
            )
            run_steps(run, ("check",), "sources check")
        outcomes: list[FeedOutcome] = run.outputs["feeds"]
        rows = [_outcome_row(o) for o in outcomes]
        failed = sum(1 for r in rows if not r["ok"])
        if state.json:
            state.emit({"feeds": rows, "ok": len(rows) - failed, "failed": failed})
        elif not state.quiet:
            _print_table(
                f"{len(rows)} feeds: {len(rows) - failed} ok, {failed} failed",
                ["source", "feed", "status", "entries", "ms", "newest / error"],
                [
                    [
                        r["source"],
                        r["url"],
                        str(r["status"] or "-"),
                        str(r["entries"]),
                        str(r["latency_ms"]),
                        (r["newest"] or "") if r["ok"] else str(r["error"]),
                    ]
                    for r in rows
                ],
            )
        if failed:
            raise typer.Exit(1)

"""``send``, ``serve`` and ``run``: deliver the briefing by email, on the web, on a schedule."""

from __future__ import annotations

import dataclasses
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from ..config import Config, public_url
from ..errors import UserError
from ..times import FORMATS
from ..times import parse as parse_time
from ._state import AppState

if TYPE_CHECKING:
    from ..editions import Edition


def _briefing_date(value: str | None) -> str | None:
    """A ``--date`` in any format ``times.parse`` reads, as the stored ``YYYY-MM-DD``."""
    if value is None:
        return None
    moment = parse_time(value)
    if moment is None:
        raise UserError(f"bad --date {value!r}: give a date ({FORMATS})")
    return moment.date().isoformat()


def _edition(state: AppState, name: str | None) -> Edition | None:
    """The ``--edition`` asked for (``manysides.editions``), or None for the default."""
    if name is None:
        return None
    from ..editions import resolve_edition
    from ..sources import load_catalog

    return resolve_edition(name, state.config, load_catalog(state.config.sources))


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def base_url_mismatch(cfg: Config, host: str, port: int) -> str | None:
    """Why links built elsewhere (email, files, feed) would miss this server, if they do.

    ``briefing.base_url`` pointing at this machine on another port, or (without a
    base_url) ``--host``/``--port`` differing from ``serve.host``/``serve.port``, which
    `brief` and `send` use for the links they write."""
    from urllib.parse import urlsplit

    if cfg.briefing.base_url:
        parts = urlsplit(cfg.briefing.base_url)
        local = {"127.0.0.1", "localhost", "::1", "0.0.0.0", host}
        default = 443 if parts.scheme == "https" else 80
        try:
            their_port = parts.port or default
        except ValueError:
            return f"briefing.base_url {cfg.briefing.base_url!r} has a bad port"
        if (parts.hostname or "") in local and their_port != port:
            return (
                f"briefing.base_url is {cfg.briefing.base_url} but this server listens on port"
                f" {port}: email and feed links will point at port {their_port}"
            )
        return None
    if (host, port) != (cfg.serve.host, cfg.serve.port):
        return (
            f"serving on {host}:{port}, but `brief` and `send` link to"
            f" {public_url(cfg)} (serve.host/serve.port); set serve.port = {port}"
            " or briefing.base_url in the config"
        )
    return None


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def send(
        ctx: typer.Context,
        date: Annotated[
            str | None, typer.Option("--date", help="Briefing date YYYY-MM-DD (default: latest).")
        ] = None,
        to: Annotated[
            list[str] | None,
            typer.Option("--to", help="Recipient (repeatable; default: email.recipients)."),
        ] = None,
        edition: Annotated[
            str | None, typer.Option("--edition", help="Send this edition's briefing.")
        ] = None,
    ) -> None:
        """Email a briefing (HTML with a plain-text alternative) over SMTP."""
        from ..pipeline.briefing import send_briefing

        state: AppState = ctx.obj
        date = _briefing_date(date)
        chosen = _edition(state, edition)
        with state.open_store() as store:
            sent_date, accepted = send_briefing(store, state.config, date, to or (), chosen)
        state.emit(
            {"date": sent_date, "recipients": accepted},
            f"sent the {sent_date} briefing to {len(accepted)} recipient(s)",
        )

    @app.command()
    def show(
        ctx: typer.Context,
        date: Annotated[
            str | None, typer.Option("--date", help="Briefing date YYYY-MM-DD (default: latest).")
        ] = None,
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="text, markdown or json.")
        ] = "text",
        edition: Annotated[
            str | None, typer.Option("--edition", help="Show this edition's briefing.")
        ] = None,
    ) -> None:
        """Print a stored briefing (plain text, Markdown or JSON)."""
        from ..briefing.records import Briefing
        from ..briefing.render import render_json, render_markdown, render_text
        from ..pipeline.briefing import render_options

        state: AppState = ctx.obj
        renderers = {"text": render_text, "markdown": render_markdown, "md": render_markdown}
        if fmt not in (*renderers, "json"):
            raise UserError(f"bad --format {fmt!r}: choose text, markdown or json")
        date = _briefing_date(date)
        chosen = _edition(state, edition)
        with state.open_store() as store:
            if chosen is not None:
                date = date or store.editions.latest_date(chosen.slug)
                data = store.editions.briefing(chosen.slug, date) if date else None
            else:
                date = date or store.briefings.latest_date()
                data = store.briefings.briefing(date) if date else None
        if data is None:
            raise UserError(
                f"no briefing for {date}" if date else "no briefing yet; run `manysides brief`"
            )
        briefing = Briefing.from_dict(data)
        if fmt == "json" or state.json:
            sys.stdout.write(render_json(briefing))
        else:
            opts = render_options(state.config)
            sys.stdout.write(renderers[fmt](briefing, opts))

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
        port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
        workers: Annotated[
            int | None,
            typer.Option(help="Server processes (default: serve.workers; 0: one per core)."),
        ] = None,
        sample: Annotated[
            bool,
            typer.Option(
                "--sample", help="Serve the sample briefing (built first if it is not there)."
            ),
        ] = False,
    ) -> None:
        """Serve the briefing, story, outlet, search and archive pages and the JSON API."""
        from ..config import db_path

        state: AppState = ctx.obj
        if sample:
            from .. import sample as sample_day

            state = dataclasses.replace(
                state, db=None, _config=sample_day.sample_config(state.config)
            )
            if not db_path(state.config).exists():
                from .ingest import run_sample

                if not state.quiet:
                    print("manysides: building the sample briefing first", file=sys.stderr)
                run_sample(state)
        cfg = state.config
        db = db_path(cfg)
        if not db.exists():
            raise UserError(f"no database at {db}; run `manysides brief` first")
        from ..web import server

        listen_host = host or cfg.serve.host
        listen_port = port if port is not None else cfg.serve.port
        if not 0 < listen_port < 65536:
            raise UserError(f"bad port {listen_port}")
        warning = base_url_mismatch(cfg, listen_host, listen_port)
        if workers is not None and not 0 <= workers <= 64:
            raise UserError(f"bad --workers {workers} (0 to 64)")
        chosen = workers if workers is not None else cfg.serve.workers
        cfg = cfg.replace("serve", host=listen_host, port=listen_port, workers=chosen)
        if not state.quiet:
            print(f"manysides: serving http://{listen_host}:{listen_port}/", file=sys.stderr)
            if warning:
                print(f"manysides: warning: {warning}", file=sys.stderr)
        server.run(
            cfg,
            db,
            log_level="warning" if not state.verbose else "info",
            access_log=bool(state.verbose),
        )

    @app.command()
    def run(
        ctx: typer.Context,
        every: Annotated[str, typer.Option(help="Ingest interval: 1h, 30m, 1h30m, 90s.")] = "1h",
        at: Annotated[
            str | None,
            typer.Option("--at", help="Daily briefing time HH:MM (default: briefing.build_time)."),
        ] = None,
        iterations: Annotated[int, typer.Option(hidden=True, help="Stop after N cycles.")] = 0,
    ) -> None:
        """Keep fetching and clustering; build the briefing once a day. Ctrl-C stops."""
        from ..briefing.schedule import parse_clock, parse_interval
        from ..pipeline import Report
        from ..pipeline.briefing import Schedule, local_zone, run_schedule

        state: AppState = ctx.obj
        cfg = state.config
        schedule = Schedule(
            every=parse_interval(every),
            build_at=parse_clock(at or cfg.briefing.build_time),
            iterations=max(0, iterations),
        )
        local_zone(cfg.briefing)  # validate the time zone before looping

        def log(line: str) -> None:
            if not state.quiet:
                print(line, file=sys.stderr, flush=True)

        def make_report() -> Report:
            return Report(show_progress=False, verbose=state.verbose)

        log(f"manysides run: every {every}, briefing at {schedule.build_at:%H:%M}; Ctrl-C to stop")
        # Ctrl-C, and SIGTERM from systemd or kill, stop the loop the same clean way, even
        # when a non-interactive shell started us with SIGINT ignored.
        previous = (
            signal.signal(signal.SIGINT, signal.default_int_handler),
            signal.signal(signal.SIGTERM, _interrupt),
        )
        try:
            cycles = run_schedule(state.open_store, cfg, schedule, make_report, log)
        except KeyboardInterrupt:
            log("manysides run: stopped")
            return
        finally:
            signal.signal(signal.SIGINT, previous[0])
            signal.signal(signal.SIGTERM, previous[1])
        state.emit({"cycles": cycles}, None)

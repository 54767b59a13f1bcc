"""Runs, per-item errors and persisted stage state."""

from __future__ import annotations

import json
import os
import socket
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


class RunRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def start(self, command: str) -> int:
        """Record a new run (owned by this process); first mark dead runs interrupted."""
        from . import utcnow

        self.reap_stale()
        owner = {"owner": _this_process()}
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO runs(command, started_at, summary) VALUES (?, ?, ?)",
                (command, utcnow(), json.dumps(owner)),
            )
            return int(cur.lastrowid or 0)

    def reap_stale(self) -> list[int]:
        """Mark ``interrupted`` the runs still ``running`` whose process on this host is
        gone (killed with kill -9, or the machine restarted). Runs of other hosts, and of
        processes still alive, are left alone. Returns the ids marked."""
        from . import utcnow

        here = socket.gethostname()
        dead: list[tuple[int, dict[str, Any]]] = []
        for row in self.store.query("SELECT id, summary FROM runs WHERE status = 'running'"):
            try:
                owner = json.loads(row["summary"]).get("owner") or {}
            except (ValueError, AttributeError):
                continue
            if owner.get("host") == here and not _alive(owner.get("pid"), owner.get("started")):
                dead.append((int(row["id"]), owner))
        if dead:
            with self.store.transaction() as c:
                for run_id, owner in dead:
                    note = f"process {owner.get('pid')} on {here} ended without finishing the run"
                    c.execute(
                        "UPDATE runs SET status = 'interrupted', finished_at = ?, summary = ?"
                        " WHERE id = ? AND status = 'running'",
                        (utcnow(), json.dumps({"owner": owner, "notes": [note]}), run_id),
                    )
        return [run_id for run_id, _ in dead]

    def finish(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        from . import utcnow

        with self.store.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (utcnow(), status, json.dumps(summary, default=str), run_id),
            )

    def record_error(
        self, run_id: int | None, stage: str, item: str, kind: str, code: str, message: str
    ) -> None:
        from . import utcnow

        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO errors(run_id, at, stage, item, kind, code, message)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (run_id, utcnow(), stage, item[:2000], kind, code, message[:2000]),
            )

    def errors(self, run_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        if run_id is None:
            rows = self.store.query("SELECT * FROM errors ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = self.store.query(
                "SELECT * FROM errors WHERE run_id = ? ORDER BY id LIMIT ?", (run_id, limit)
            )
        return [dict(r) for r in rows]

    def last_runs(self, limit: int = 10) -> list[dict[str, Any]]:
        rows = self.store.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(r) | {"summary": json.loads(r["summary"])} for r in rows]

    # -- stage state (e.g. the online clusterer's model) ------------------------------
    def load_state(self, stage: str, version: int) -> bytes | None:
        row = self.store.execute(
            "SELECT state FROM stage_state WHERE stage = ? AND version = ?", (stage, version)
        ).fetchone()
        return bytes(row["state"]) if row else None

    def load_states(self, prefix: str, version: int) -> list[tuple[str, bytes]]:
        """(stage, state) of every state whose stage name starts with ``prefix``."""
        rows = self.store.query(
            "SELECT stage, state FROM stage_state WHERE substr(stage, 1, ?) = ? AND version = ?"
            " ORDER BY stage",
            (len(prefix), prefix, version),
        )
        return [(r["stage"], bytes(r["state"])) for r in rows]

    def delete_states(self, prefix: str) -> None:
        """Delete every state whose stage name starts with ``prefix``."""
        with self.store.transaction() as c:
            c.execute(
                "DELETE FROM stage_state WHERE substr(stage, 1, ?) = ?", (len(prefix), prefix)
            )

    def save_state(self, stage: str, version: int, state: bytes) -> None:
        from . import utcnow

        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO stage_state(stage, version, updated_at, state) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(stage) DO UPDATE SET version = excluded.version,"
                " updated_at = excluded.updated_at, state = excluded.state",
                (stage, version, utcnow(), state),
            )

    # -- per-article stage bookkeeping (which articles a stage has processed) --------
    def pending(self, stage: str, version: int, limit: int | None = None) -> list[int]:
        sql = (
            "SELECT a.id FROM articles a LEFT JOIN stage_done d"
            " ON d.article_id = a.id AND d.stage = ? AND d.version = ?"
            " WHERE d.article_id IS NULL ORDER BY a.id"
        )
        params: tuple = (stage, version)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return [r[0] for r in self.store.query(sql, params)]

    def mark_done(self, stage: str, version: int, article_ids: list[int]) -> None:
        with self.store.transaction() as c:
            c.executemany(
                "INSERT INTO stage_done(stage, article_id, version) VALUES (?, ?, ?)"
                " ON CONFLICT(stage, article_id) DO UPDATE SET version = excluded.version",
                [(stage, i, version) for i in article_ids],
            )


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell reused pids."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2 :].split()
    return fields[19].decode() if len(fields) > 19 else None


def _this_process() -> dict[str, Any]:
    pid = os.getpid()
    return {"pid": pid, "host": socket.gethostname(), "started": _started(pid)}


def _alive(pid: object, started: object) -> bool:
    """Whether the process that started a run still runs (same pid, same start time)."""
    if not isinstance(pid, int) or pid <= 0:
        return True  # unknown owner: never guess
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process has the pid; the start time tells if it is ours
    if started is not None and os.path.exists("/proc/self/stat"):
        return _started(pid) == started
    return True

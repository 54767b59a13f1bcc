"""The scaffolding of the JSON Lines commands (``extract``, ``cluster``, ``summarize``,
``quotes``); their ids are read by ``records.record_id``, their dates by ``times.parse``.

``--input`` / ``--output`` files, or stdin / stdout when absent or ``-``; blank input lines
skipped; exit code 1, after a line on stderr, when any line failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import typer

from ..errors import UserError


def open_input(path: Path | None, missing: str | None = None) -> TextIO:
    """``path`` for reading (undecodable bytes replaced), or stdin.

    ``missing`` is the message (with ``{path}``) when the file does not exist; without it,
    that is reported like any other unreadable file.
    """
    if path is None or str(path) == "-":
        return sys.stdin
    try:
        return path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        if missing is None:
            raise UserError(f"cannot read {path}: {exc.strerror}") from None
        raise UserError(missing.format(path=path)) from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None


def open_output(path: Path | None) -> TextIO:
    """``path`` for writing, or stdout."""
    if path is None or str(path) == "-":
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None


@contextmanager
def jsonl_streams(
    input_path: Path | None, output_path: Path | None, missing: str | None = None
) -> Iterator[tuple[TextIO, TextIO]]:
    """(source, sink) for a command; files are closed and stdout flushed at the end."""
    source = open_input(input_path, missing)
    try:
        sink = open_output(output_path)
    except BaseException:
        if source is not sys.stdin:
            source.close()
        raise
    try:
        yield source, sink
    finally:
        if source is not sys.stdin:
            source.close()
        if sink is not sys.stdout:
            sink.close()
        else:
            sink.flush()


def numbered_lines(source: TextIO) -> Iterator[tuple[int, str]]:
    """(line number from 1, line) for every line of ``source`` that is not blank."""
    for number, line in enumerate(source, start=1):
        if line.strip():
            yield number, line


def exit_if_failed(failed: int, message: str, quiet: bool = False) -> None:
    """When any line failed: ``message`` on stderr (unless ``quiet``) and exit code 1."""
    if not failed:
        return
    if not quiet:
        print(message, file=sys.stderr)
    raise typer.Exit(1)

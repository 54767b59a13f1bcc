"""Writing a file all at once: readers see the old file or the new one, never a part."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PUBLIC_FILE_MODE = 0o644  # what a written file gets (less the umask)


def write_atomic(path: Path, text: str, mode: int = PUBLIC_FILE_MODE) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) via a synced temporary file in the same
    folder, renamed over ``path``; the folder is created if needed. A kill at any moment
    leaves either the previous file or the new one, and no temporary file on error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode & ~_umask())  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

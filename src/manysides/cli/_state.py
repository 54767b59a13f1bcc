"""The one object every command builds from the global options."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, db_path, load_config
from ..store import Store


@dataclass
class AppState:
    config_path: Path | None = None
    db: Path | None = None
    verbose: int = 0
    quiet: bool = False
    json: bool = False
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            cfg = load_config(self.config_path)
            if self.db is not None:
                cfg = cfg.replace("store", path=str(self.db))
            self._config = cfg
        return self._config

    def open_store(self) -> Store:
        return Store(db_path(self.config))

    def emit(self, data: Any, human: str | None = None) -> None:
        """Print a result: JSON with --json, otherwise the human text."""
        if self.json:
            sys.stdout.write(json.dumps(data, default=str, ensure_ascii=False, indent=2) + "\n")
        elif human is not None and not self.quiet:
            from rich.console import Console

            Console().print(human, highlight=False, markup=False)

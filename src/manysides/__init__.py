"""manysides: an open news briefing engine.

fetch → extract → dedupe → stories → who-said-what → perspectives → briefing.
"""

from __future__ import annotations

__version__ = "0.1.0"

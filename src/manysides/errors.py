"""Exceptions raised by manysides, each with a stable code.

Hierarchy::

    ManysidesError                  base; ``code`` is stable, ``str()`` is one actionable line
    ├── UserError                   the user asked for something impossible (exit code 2)
    │   ├── ConfigError             bad config file, unknown key, wrong type
    │   └── UnknownSourceError      a source name that is not in the catalog
    ├── ItemError                   one item failed; recorded per item, the run goes on
    │   ├── FetchError              network: timeout, refused, too large, too many redirects
    │   │   └── BlockedURLError     scheme or address not allowed (private, loopback, ...)
    │   ├── ParseError              a feed, sitemap or input record could not be parsed
    │   └── ExtractionError         a page yielded no usable article text
    ├── DropItem                    control flow: a stage drops an item on purpose
    │                               (duplicate, not an article); counted, not an error
    └── StoreError                  the database is unusable (locked, corrupt, newer schema)
        └── QueryTimeout            a read ran past its time limit (``Store.time_limit``)

Stages raise ``ItemError`` subclasses for one bad item; the runner records them in
the store's ``errors`` table with ``kind = code`` and continues.
"""

from __future__ import annotations


class ManysidesError(Exception):
    """Base class. ``code`` names the kind of failure in summaries and the errors table."""

    code = "E000"
    kind = "error"

    def __init__(self, message: str, *, item: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.item = item

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


class UserError(ManysidesError):
    code = "E100"
    kind = "usage"


class ConfigError(UserError):
    code = "E101"
    kind = "config"


class UnknownSourceError(UserError):
    code = "E102"
    kind = "unknown-source"


class ItemError(ManysidesError):
    code = "E200"
    kind = "item"


class FetchError(ItemError):
    code = "E210"
    kind = "fetch"


class BlockedURLError(FetchError):
    code = "E211"
    kind = "blocked-url"


class ParseError(ItemError):
    code = "E220"
    kind = "parse"


class ExtractionError(ItemError):
    code = "E230"
    kind = "extraction"


class DropItem(ManysidesError):
    """Not an error: the item is deliberately skipped (duplicate, not an article)."""

    code = "E300"
    kind = "dropped"


class StoreError(ManysidesError):
    code = "E400"
    kind = "store"


class QueryTimeout(StoreError):
    code = "E401"
    kind = "query-timeout"

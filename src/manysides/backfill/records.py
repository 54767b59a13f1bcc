"""The rows a backfill moves between its stages, and the Arrow schemas of its datasets.

In flight a record is one flat row (``record_schema()``): the raw document while it is
read, then the extracted article, its MinHash signature, fingerprint, entities and
quotes (as JSON, so that Ray and the process pool move one simple schema), or the error
that stopped it. ``split_rows`` turns finished records into the rows of the published
datasets (``ARTICLES``, ``ENTITIES``, ``QUOTES``, ``ERRORS``), each partitioned by
``date`` (the article's publication day, else the archive's capture day, else
``unknown``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ItemError, ManysidesError
from ..records import RawDocument

if TYPE_CHECKING:
    import pyarrow as pa

UNKNOWN_DATE = "unknown"


@dataclass(frozen=True, slots=True)
class Shard:
    """One input file of the archive; ``id`` is stable across runs (hash of its path)."""

    id: str
    path: Path


def article_key(shard_id: str, ordinal: int) -> str:
    return f"{shard_id}-{ordinal:07d}"


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def day_of(published: str | None, fetched_at: str | None) -> str:
    """The partition of a record: publication day, else capture day, else ``unknown``."""
    stamp = published or fetched_at
    return stamp[:10] if stamp else UNKNOWN_DATE


def doc_row(doc: RawDocument, shard: str, ordinal: int) -> dict[str, Any]:
    """The in-flight row of a document read from a shard."""
    return {
        "shard": shard,
        "ordinal": ordinal,
        "key": article_key(shard, ordinal),
        "url": doc.url,
        "content": doc.content,
        "kind": doc.kind,
        "final_url": doc.final_url,
        "status": doc.status,
        "content_type": doc.content_type,
        "charset": doc.charset,
        "fetched_at": iso(doc.fetched_at),
        "origin": doc.origin,
        "hints": json.dumps(doc.hints, sort_keys=True) if doc.hints else "",
    }


def row_doc(row: dict[str, Any]) -> RawDocument:
    return RawDocument(
        url=row["url"],
        content=row["content"],
        kind=row["kind"],
        final_url=row["final_url"] or "",
        status=int(row["status"] or 0),
        content_type=row["content_type"] or "",
        charset=row["charset"],
        fetched_at=parse_iso(row["fetched_at"]),
        origin=row["origin"] or "",
        hints=json.loads(row["hints"]) if row["hints"] else {},
    )


def error_row(
    shard: str, ordinal: int, stage: str, item: str, exc: ManysidesError
) -> dict[str, Any]:
    """The in-flight row of an item that failed before it became an article."""
    return {
        "shard": shard,
        "ordinal": ordinal,
        "key": article_key(shard, ordinal),
        "url": item,
        "error_stage": stage,
        "error_kind": exc.kind,
        "error_code": exc.code,
        "error_message": exc.message,
    }


def record_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("shard", pa.string()),
            ("ordinal", pa.int64()),
            ("key", pa.string()),
            ("url", pa.string()),
            ("content", pa.binary()),
            ("kind", pa.string()),
            ("final_url", pa.string()),
            ("status", pa.int32()),
            ("content_type", pa.string()),
            ("charset", pa.string()),
            ("fetched_at", pa.string()),
            ("origin", pa.string()),
            ("hints", pa.string()),
            ("canonical_url", pa.string()),
            ("title", pa.string()),
            ("text", pa.string()),
            ("authors", pa.list_(pa.string())),
            ("published", pa.string()),
            ("site", pa.string()),
            ("source_id", pa.string()),
            ("language", pa.string()),
            ("signature", pa.binary()),
            ("fingerprint", pa.string()),
            ("entities", pa.string()),
            ("quotes", pa.string()),
            ("quote_error", pa.string()),
            ("error_stage", pa.string()),
            ("error_kind", pa.string()),
            ("error_code", pa.string()),
            ("error_message", pa.string()),
        ]
    )


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=record_schema())


def dataset_schemas() -> dict[str, pa.Schema]:
    """The published per-record datasets (``date`` is the partition column)."""
    import pyarrow as pa

    ts = pa.timestamp("s", tz="UTC")
    return {
        "articles": pa.schema(
            [
                ("key", pa.string()),
                ("shard", pa.string()),
                ("ordinal", pa.int64()),
                ("url", pa.string()),
                ("canonical_url", pa.string()),
                ("title", pa.string()),
                ("text", pa.string()),
                ("authors", pa.list_(pa.string())),
                ("published", ts),
                ("fetched_at", ts),
                ("site", pa.string()),
                ("source_id", pa.string()),
                ("language", pa.string()),
                ("fingerprint", pa.string()),
                ("signature", pa.binary()),
                ("date", pa.string()),
            ]
        ),
        "entities": pa.schema(
            [
                ("article_key", pa.string()),
                ("label", pa.string()),
                ("text", pa.string()),
                ("canonical", pa.string()),
                ("start", pa.int32()),
                ("end", pa.int32()),
                ("date", pa.string()),
            ]
        ),
        "quotes": pa.schema(
            [
                ("article_key", pa.string()),
                ("text", pa.string()),
                ("start", pa.int32()),
                ("end", pa.int32()),
                ("speaker", pa.string()),
                ("speaker_start", pa.int32()),
                ("speaker_end", pa.int32()),
                ("cue", pa.string()),
                ("direct", pa.bool_()),
                ("quote_key", pa.string()),
                ("date", pa.string()),
            ]
        ),
        "errors": pa.schema(
            [
                ("shard", pa.string()),
                ("ordinal", pa.int64()),
                ("item", pa.string()),
                ("stage", pa.string()),
                ("kind", pa.string()),
                ("code", pa.string()),
                ("message", pa.string()),
                ("date", pa.string()),
            ]
        ),
    }


def split_rows(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Finished in-flight rows → rows of the articles, entities, quotes, errors datasets."""
    out: dict[str, list[dict[str, Any]]] = {
        "articles": [],
        "entities": [],
        "quotes": [],
        "errors": [],
    }
    for row in rows:
        date = day_of(row.get("published"), row.get("fetched_at"))
        if row.get("error_stage"):
            out["errors"].append(
                {
                    "shard": row["shard"],
                    "ordinal": row["ordinal"],
                    "item": row.get("url") or row["key"],
                    "stage": row["error_stage"],
                    "kind": row["error_kind"],
                    "code": row["error_code"],
                    "message": row["error_message"],
                    "date": date,
                }
            )
            continue
        key = row["key"]
        out["articles"].append(
            {
                "key": key,
                "shard": row["shard"],
                "ordinal": row["ordinal"],
                "url": row["url"],
                "canonical_url": row["canonical_url"],
                "title": row["title"],
                "text": row["text"],
                "authors": row["authors"] or [],
                "published": parse_iso(row["published"]),
                "fetched_at": parse_iso(row["fetched_at"]),
                "site": row["site"],
                "source_id": row["source_id"],
                "language": row["language"],
                "fingerprint": row["fingerprint"],
                "signature": row["signature"],
                "date": date,
            }
        )
        for e in json.loads(row.get("entities") or "[]"):
            out["entities"].append({"article_key": key, **e, "date": date})
        for q in json.loads(row.get("quotes") or "[]"):
            out["quotes"].append({"article_key": key, **q, "date": date})
        if row.get("quote_error"):
            out["errors"].append(
                {
                    "shard": row["shard"],
                    "ordinal": row["ordinal"],
                    "item": row["url"],
                    "stage": "quotes",
                    "kind": ItemError.kind,
                    "code": ItemError.code,
                    "message": f"quotes: {row['quote_error']}",
                    "date": date,
                }
            )
    return out

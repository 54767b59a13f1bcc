"""A generated multi-shard news archive for the backfill tests.

About 200 records over eight weeks: 36 events (a topic in a city, with an official who
is quoted), each reported by three to six outlets on the days after it, plus exact
republications and near copies (a wire story with the republisher's own first line).
Shards: JSONL, gzipped JSONL and a gzipped WARC of HTML pages (each with one bad item),
and a corrupt gzip shard whose tail is cut off.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

T0 = datetime(2024, 2, 5, 7, tzinfo=UTC)
CITIES = [
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Denver",
    "Krakow",
    "Quito",
    "Perth",
    "Accra",
    "Tampere",
    "Valencia",
    "Porto Alegre",
    "Halifax",
]
PEOPLE = [
    ("Anna", "Keller", "mayor"),
    ("Tomas", "Rivera", "transport minister"),
    ("Grace", "Mwangi", "fire chief"),
    ("Kenji", "Sato", "health commissioner"),
    ("Olga", "Nowak", "union leader"),
    ("Lucia", "Paredes", "election commissioner"),
    ("Daniel", "Okafor", "police chief"),
    ("Marit", "Lahti", "energy regulator"),
    ("Samuel", "Boateng", "finance minister"),
    ("Irene", "Castell", "port director"),
    ("Hugo", "Lambert", "chief engineer"),
    ("Nadia", "Haddad", "school superintendent"),
]
TOPICS = [
    (
        "bridge",
        "collapsed during the morning rush",
        "engineers",
        "inspection records",
        "girders",
        "We will publish every inspection report from the last decade",
    ),
    (
        "port",
        "was shut by a strike of dockworkers",
        "union members",
        "wage talks",
        "containers",
        "Nobody wants ships waiting outside the harbour for weeks",
    ),
    (
        "wildfire",
        "forced thousands to leave their homes",
        "firefighters",
        "evacuation orders",
        "hectares",
        "The wind is our biggest enemy tonight",
    ),
    (
        "recount",
        "was ordered after a disputed election",
        "poll workers",
        "ballot boxes",
        "precincts",
        "Every single ballot will be counted again by hand",
    ),
    (
        "flood",
        "swept through low-lying districts",
        "rescue crews",
        "river levels",
        "sandbags",
        "The levees held, but the water is still rising",
    ),
    (
        "hospital",
        "ran out of intensive care beds",
        "nurses",
        "emergency funding",
        "wards",
        "We are treating patients in corridors and that cannot go on",
    ),
    (
        "rail",
        "halted services after a signal failure",
        "commuters",
        "replacement buses",
        "timetables",
        "Trains will not run normally before Friday",
    ),
    (
        "blackout",
        "left half the city without power",
        "technicians",
        "grid operator",
        "substations",
        "Power will return district by district overnight",
    ),
    (
        "factory",
        "announced hundreds of layoffs",
        "workers",
        "severance terms",
        "assembly lines",
        "This plant has been the heart of the town for fifty years",
    ),
]
OUTLETS = [
    ("Harbour Post", "harbourpost.example"),
    ("Daily Ledger", "dailyledger.example"),
    ("Metro Wire", "metrowire.example"),
    ("Evening Courier", "eveningcourier.example"),
    ("Civic Times", "civictimes.example"),
    ("Northern Gazette", "northerngazette.example"),
    ("Public Radio News", "publicradio.example"),
]


def _article(rng: random.Random, event: dict, outlet: str, variant: int) -> tuple[str, str]:
    first, last, role = event["person"]
    topic, what, crowd, issue, unit, said = event["topic"]
    city, n = event["city"], event["n"]
    openers = [
        f"The {topic} in {city} {what} on {event['weekday']}, officials said.",
        f"Residents of {city} woke to news that the {topic} {what}.",
        f"In {city}, the {topic} {what}, leaving {crowd} scrambling for answers.",
    ]
    body = [
        f"About {n} {unit} were affected, according to figures released by city officials.",
        f'"{said}," said {first} {last}, the {city} {role}.',
        f"{last} said the {issue} would be reviewed by an independent panel.",
        f"{crowd.capitalize()} gathered outside city hall in {city} demanding a full account.",
        f"Critics said warnings about the {topic} had been ignored for years.",
        f"The {role} promised a further update about the {topic} on {event['next']}.",
    ]
    rng.shuffle(body)
    text = " ".join([openers[variant % len(openers)], *body[: 4 + variant % 3]])
    title = [
        f"{city} {topic} {what}",
        f"{last}: {said.split(',')[0]}",
        f"{topic.capitalize()} crisis in {city} as {crowd} wait for answers",
    ][variant % 3]
    return title, f"{text}\n\n{outlet} reporting from {city}."


def archive() -> list[dict]:
    """The archive's records (JSON-able), in the order they are written to the shards."""
    rng = random.Random(17)
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    records: list[dict] = []
    for e in range(36):
        event = {
            "city": CITIES[e % len(CITIES)],
            "person": PEOPLE[(e * 5 + e // 12) % len(PEOPLE)],
            "topic": TOPICS[e % len(TOPICS)],
            "n": 40 + 13 * e,
            "weekday": weekdays[e % 7],
            "next": weekdays[(e + 2) % 7],
        }
        day = T0 + timedelta(hours=36 * e + e % 5)  # one topic recurs every 9 events
        outlets = rng.sample(OUTLETS, 3 + e % 4)
        for v, (name, domain) in enumerate(outlets):
            title, text = _article(rng, event, name, v + e)
            published = day + timedelta(hours=5 * v + rng.randint(0, 3))
            record = {
                "url": f"https://{domain}/news/{e:03d}-{v}",
                "title": title,
                "text": text,
                "date": published.isoformat().replace("+00:00", "Z"),
                "source": name,
                "authors": [f"{rng.choice(PEOPLE)[0]} {rng.choice(PEOPLE)[1]}"],
            }
            records.append(record)
            if v == 0 and e % 4 == 0:  # republished word for word by another outlet
                other = OUTLETS[(e + 3) % len(OUTLETS)]
                records.append(
                    record
                    | {"url": f"https://{other[1]}/wire/{e:03d}", "source": other[0]}
                    | {"date": (published + timedelta(hours=2)).isoformat()}
                )
            if v == 1 and e % 5 == 0:  # a near copy with the republisher's own first line
                other = OUTLETS[(e + 5) % len(OUTLETS)]
                records.append(
                    record
                    | {"url": f"https://{other[1]}/syndicated/{e:03d}", "source": other[0]}
                    | {"text": f"This story was first published by a partner.\n\n{text}"}
                )
    return records


def _html(record: dict) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in record["text"].split("\n\n"))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{record['title']}</title>"
        f"<link rel='canonical' href='{record['url']}'>"
        f"<meta property='article:published_time' content='{record['date']}'>"
        f"<meta property='og:site_name' content='{record['source']}'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{record['title']}</h1>{paras}</article>"
        "<footer>Copyright the publisher. All rights reserved.</footer></body></html>"
    ).encode()


def _warc(records: list[dict]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for record in records:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                record["url"],
                "response",
                payload=io.BytesIO(_html(record)),
                http_headers=headers,
            )
        )
    return out.getvalue()


def write_archive(folder: Path) -> dict[str, int]:
    """Write the shards into ``folder``; returns how many good records each holds."""
    folder.mkdir(parents=True, exist_ok=True)
    records = archive()
    quarter = len(records) // 4
    parts = [
        records[:quarter],
        records[quarter : 2 * quarter],
        records[2 * quarter : 3 * quarter],
        records[3 * quarter :],
    ]
    lines = [json.dumps(r) for r in parts[0]]
    lines.insert(5, "{not json")
    (folder / "a-2024.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(folder / "b-2024.jsonl.gz", "wt", encoding="utf-8") as fh:
        for r in parts[1]:
            fh.write(json.dumps(r) + "\n")
        fh.write(json.dumps({"url": "https://metrowire.example/empty", "text": ""}) + "\n")
    (folder / "c-2024.warc.gz").write_bytes(_warc(parts[2]))
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in parts[3]).encode())
    (folder / "d-2024.jsonl.gz").write_bytes(whole[: len(whole) * 2 // 3])  # corrupt tail
    return {"a": len(parts[0]), "b": len(parts[1]), "c": len(parts[2]), "d": len(parts[3])}


def write_garbage(folder: Path) -> Path:
    """A shard that is no archive at all."""
    path = folder / "e-2024.warc.gz"
    path.write_bytes(gzip.compress(bytes(random.Random(3).randrange(256) for _ in range(4000))))
    return path

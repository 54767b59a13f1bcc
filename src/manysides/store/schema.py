"""Versioned schema: an ordered list of migrations, applied once each.

Append new migrations at the end; never edit one that has shipped. ``PRAGMA
user_version`` records how many have been applied.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the spine
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        domains TEXT NOT NULL,            -- JSON list
        feeds TEXT NOT NULL DEFAULT '[]', -- JSON list
        country TEXT NOT NULL DEFAULT '',
        ownership TEXT NOT NULL DEFAULT 'unknown',
        leaning TEXT NOT NULL DEFAULT 'unrated',
        leaning_provenance TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        source_id TEXT,
        kind TEXT NOT NULL DEFAULT 'feed',  -- feed | sitemap
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_error TEXT,
        last_fetched TEXT,
        last_ok TEXT,
        entries INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        final_url TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        status INTEGER NOT NULL,
        content_type TEXT NOT NULL DEFAULT '',
        charset TEXT,
        kind TEXT NOT NULL DEFAULT 'html',   -- html | text
        body BLOB NOT NULL,                  -- zlib-compressed raw bytes
        body_sha1 TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        hints TEXT NOT NULL DEFAULT '{}',    -- JSON: title, date, source, authors from feed/input
        UNIQUE (url, body_sha1)
    );
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        document_id INTEGER UNIQUE REFERENCES documents(id),
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',  -- JSON list
        published TEXT,                      -- ISO 8601 UTC
        source_id TEXT,
        site TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        text_sha1 TEXT NOT NULL,
        report_id INTEGER,                   -- syndication group: id of its first article
        story_id INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX articles_text_sha1 ON articles(text_sha1);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_report ON articles(report_id);
    CREATE INDEX articles_source ON articles(source_id);
    CREATE TABLE minhashes (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        signature BLOB NOT NULL
    );
    CREATE TABLE errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        at TEXT NOT NULL,
        stage TEXT NOT NULL,
        item TEXT NOT NULL,
        kind TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX errors_run ON errors(run_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE stage_state (
        stage TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        state BLOB NOT NULL
    );
    """,
    # 2: stories, who said what, perspectives, briefings
    """
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        headline TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        last_updated TEXT NOT NULL,
        merged_into INTEGER REFERENCES stories(id),
        n_articles INTEGER NOT NULL DEFAULT 0,
        n_outlets INTEGER NOT NULL DEFAULT 0,
        section TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX stories_updated ON stories(last_updated);
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        label TEXT NOT NULL,          -- PERSON | ORG | GPE | LOC | NORP
        text TEXT NOT NULL,
        canonical TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE INDEX entities_article ON entities(article_id);
    CREATE INDEX entities_canonical ON entities(canonical);
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        speaker TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        cue TEXT,
        direct INTEGER NOT NULL,
        quote_key TEXT NOT NULL      -- normalised text, to match the same quote across outlets
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_key ON quotes(quote_key);
    CREATE TABLE stage_done (
        stage TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        PRIMARY KEY (stage, article_id)
    );
    CREATE TABLE perspectives (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id),
        computed_at TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        data TEXT NOT NULL           -- JSON of perspectives.Perspective
    );
    CREATE TABLE briefings (
        date TEXT PRIMARY KEY,       -- YYYY-MM-DD
        created_at TEXT NOT NULL,
        data TEXT NOT NULL           -- JSON of briefing.Briefing
    );
    CREATE TABLE briefing_stories (
        date TEXT NOT NULL REFERENCES briefings(date) ON DELETE CASCADE,
        story_id INTEGER NOT NULL,
        rank INTEGER NOT NULL,
        section TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        max_article_id INTEGER NOT NULL,
        PRIMARY KEY (date, story_id)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE VIRTUAL TABLE stories_fts USING fts5(
        headline, content='stories', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER stories_ai AFTER INSERT ON stories BEGIN
        INSERT INTO stories_fts(rowid, headline) VALUES (new.id, new.headline);
    END;
    CREATE TRIGGER stories_au AFTER UPDATE OF headline ON stories BEGIN
        INSERT INTO stories_fts(stories_fts, rowid, headline) VALUES ('delete', old.id, old.headline);
        INSERT INTO stories_fts(rowid, headline) VALUES (new.id, new.headline);
    END;
    """,
    # 3: who said what, trusted how far: a calibrated confidence per attribution and the
    # verbatim fragments of a split quote (JSON [[start, end], ...]; NULL: one piece)
    """
    ALTER TABLE quotes ADD COLUMN confidence REAL NOT NULL DEFAULT 0;
    ALTER TABLE quotes ADD COLUMN fragments TEXT;
    """,
    # 4: canonical URLs normalised by courlan plus our news folding (blank and more
    # tracking parameters dropped): re-spell the stored ones. A row whose new spelling
    # another row already holds keeps its old one (OR IGNORE), so nothing is lost.
    """
    UPDATE OR IGNORE articles SET canonical_url = ms_canonical_url(canonical_url)
    WHERE canonical_url <> ms_canonical_url(canonical_url);
    """,
    # 5: the catalog's language, categories and ownership per source; where a feed's last
    # fetch ended up (after redirects) and its newest entry, for the health report
    """
    ALTER TABLE sources ADD COLUMN language TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE sources ADD COLUMN owner TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN ownership_type TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN final_url TEXT;
    ALTER TABLE feeds ADD COLUMN newest_entry TEXT;
    """,
    # 6: briefings of editions (manysides.editions), each with its own history
    """
    CREATE TABLE edition_briefings (
        edition TEXT NOT NULL,       -- the edition's slug
        date TEXT NOT NULL,          -- YYYY-MM-DD
        created_at TEXT NOT NULL,
        data TEXT NOT NULL,          -- JSON of briefing.Briefing
        PRIMARY KEY (edition, date)
    );
    CREATE TABLE edition_stories (
        edition TEXT NOT NULL,
        date TEXT NOT NULL,
        story_id INTEGER NOT NULL,
        rank INTEGER NOT NULL,
        section TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        max_article_id INTEGER NOT NULL,
        PRIMARY KEY (edition, date, story_id),
        FOREIGN KEY (edition, date) REFERENCES edition_briefings(edition, date) ON DELETE CASCADE
    );
    CREATE INDEX edition_stories_story ON edition_stories(story_id);
    """,
    # 7: why a story's articles are one story (stories.explain.StoryWhy as JSON), kept
    # with the number of articles it was computed on
    """
    CREATE TABLE IF NOT EXISTS story_why (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id),
        computed_at TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # 8: what a page says it is (og:type / schema.org NewsArticle subtype, article:section),
    # for recognising opinion pieces
    """
    ALTER TABLE articles ADD COLUMN page_type TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN page_section TEXT NOT NULL DEFAULT '';
    """,
]

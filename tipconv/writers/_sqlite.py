"""SQLite: every report in one searchable database, updated in place run after run.

    tipconv convert archive/ --to sqlite -o tip.db
    tipconv parse burma.txt -o tip.db                # the .db suffix picks this writer

Tables (ids are SQLite rowids; `position` counts from 1 within the parent; `line` is the
1-based line in the source file):

    meta         key, value                  schema_version of this layout, tipconv_version
    reports      id, path, sha256 UNIQUE, title, report_year, subject, publication_date,
                 last_updated, accessed_date, url, encoding, line_count, schema_version,
                 form (text, html, pdf), page_count (PDFs),
                 report_year_source (last: a database from before it gains the column)
    sections     id, report_id, position, heading, line, country, country_printed, iso3,
                 cow_code, tier, tier_label, tier_printed, tier_ordinal, tier_source,
                 tier_stated, tier_stated_line (country and tier_label canonical, as in JSON),
                 first_page, last_page (PDFs)
    parts        id, section_id, position, kind, heading, line, inferred (0/1)
    paragraphs   id, section_id, part_id, position (within the section), line, item (0/1),
                 text, page (1-based, PDFs)
    diagnostics  report_id, level, code, line, message
    paragraphs_fts  FTS5 index over paragraphs.text (external content, kept in sync by
                 triggers): SELECT ... FROM paragraphs_fts WHERE paragraphs_fts MATCH 'jade'
    panel_rows   the panel (see `_panel`), one row per country-year, refreshed every run
    panel        VIEW: panel_rows in the panel CSV's columns and order

Updating: an existing database is written in place, inside ONE transaction per run (BEGIN
IMMEDIATE ... COMMIT, ROLLBACK on any error or Ctrl-C), so a failed run leaves the previous
database exactly as it was. Another run writing it holds SQLite's lock: this run waits for
it at most `--lock-timeout` seconds (default 5), then says so and touches nothing (exit 4).
A new database is built under a temporary name beside it and linked into place only when
complete, never over a file: so a failed run leaves no file, a run deletes only its own
temporary file, and of two runs creating one database the second to finish adds what it
built to the first one's (as it would have, had it started later), never replacing it.

Reports are keyed by their content hash (which ignores the `Last Updated` and `[accessed
...]` lines):

- a report whose sha256 is stored under the same path is skipped;
- one stored under another path (a second download of the same narrative) is stored once:
  the copy with the smallest path whose file still exists wins, replacing the other. So a
  moved or renamed file updates `path`, and which copy the database holds never depends on
  the order of inputs or runs; it is the copy the panel CSV names.

A file whose content changed gets a new sha256 and so is added beside the old version
(nothing is ever deleted); the panel treats the two as copies of one country-year: one row
and a warning if their tiers agree, a conflict if not.

The panel's duplicate and conflict rules are not expressible as a plain LAG() window
without re-implementing them in SQL, so `panel_rows` is computed by the same Python
function as the panel CSV (`_panel.build_panel`) over every report in the database; the
`panel` view and `--to panel` therefore agree by construction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..errors import OutputError
from ._panel import PANEL_COLUMNS, PanelEntry, build_panel
from .base import Writer

if TYPE_CHECKING:
    from ..model import Report, Section
    from .base import WriterOptions

# The layout of the database; bump it when a table or column changes meaning.
DB_SCHEMA_VERSION = 3  # 3: pages (reports.form, page_count; sections and paragraphs)

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}

SCHEMA = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    path TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT,
    report_year INTEGER,
    subject TEXT,
    publication_date TEXT,
    last_updated TEXT,
    accessed_date TEXT,
    url TEXT,
    encoding TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    form TEXT NOT NULL,
    page_count INTEGER,
    report_year_source TEXT
);
CREATE INDEX reports_year ON reports (report_year);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    heading TEXT,
    line INTEGER,
    country TEXT,
    country_printed TEXT,
    iso3 TEXT,
    cow_code INTEGER,
    tier TEXT,
    tier_label TEXT,
    tier_printed TEXT,
    tier_ordinal REAL,
    tier_source TEXT,
    tier_stated TEXT,
    tier_stated_line INTEGER,
    first_page INTEGER,
    last_page INTEGER
);
CREATE INDEX sections_report ON sections (report_id);
CREATE INDEX sections_iso3 ON sections (iso3);
CREATE TABLE parts (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    heading TEXT,
    line INTEGER NOT NULL,
    inferred INTEGER NOT NULL
);
CREATE INDEX parts_section ON parts (section_id);
CREATE TABLE paragraphs (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    line INTEGER NOT NULL,
    item INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER
);
CREATE INDEX paragraphs_section ON paragraphs (section_id);
CREATE INDEX paragraphs_part ON paragraphs (part_id);
CREATE TABLE diagnostics (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL
);
CREATE INDEX diagnostics_report ON diagnostics (report_id);
CREATE VIRTUAL TABLE paragraphs_fts USING fts5 (
    text, content='paragraphs', content_rowid='id'
);
CREATE TRIGGER paragraphs_ai AFTER INSERT ON paragraphs BEGIN
    INSERT INTO paragraphs_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER paragraphs_ad AFTER DELETE ON paragraphs BEGIN
    INSERT INTO paragraphs_fts (paragraphs_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER paragraphs_au AFTER UPDATE ON paragraphs BEGIN
    INSERT INTO paragraphs_fts (paragraphs_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO paragraphs_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TABLE panel_rows (
    position INTEGER PRIMARY KEY,
    {", ".join(f"{c.name} {_SQL_TYPES[c.type]}" for c in PANEL_COLUMNS)}
);
CREATE VIEW panel AS
    SELECT {", ".join(c.name for c in PANEL_COLUMNS)} FROM panel_rows ORDER BY position;
"""

# Columns named as PanelEntry's fields: the panel reads the database as it reads reports.
_PANEL_ENTRIES = """
SELECT s.country AS country, s.country_printed AS country_printed, r.subject AS subject,
       s.iso3 AS iso3, s.cow_code AS cow_code, r.report_year AS report_year, s.tier AS tier,
       s.tier_printed AS tier_printed, s.tier_stated AS tier_stated, r.path AS path,
       r.sha256 AS sha256
FROM sections AS s JOIN reports AS r ON r.id = s.report_id
ORDER BY r.id, s.position
"""


class SqliteWriter(Writer):
    name = "sqlite"
    suffix = ".db"
    suffixes = (".db", ".sqlite", ".sqlite3")
    description = "SQLite database with full-text search"
    needs_path = True
    options_used = frozenset({"lock_timeout"})

    def write(self, reports: Iterable[Report], out: TextIO, options: WriterOptions) -> None:
        raise OutputError(None, "--to sqlite needs an output file: give -o FILE")

    def write_path(self, reports: Iterable[Report], path: str, options: WriterOptions) -> None:
        """Add `reports` to the database at `path` (created if missing) in one transaction.

        A symlink is written through, to the database it points at, as `cp` would; a
        read-only database is refused, not changed.
        """
        from ..output import destination, refuse_read_only

        target = destination(path)
        if os.path.exists(target):
            refuse_read_only(path, target)
            _add_to(target, path, reports, options)
        else:
            _create(target, path, reports, options)


def _add_to(target: str, shown: str, reports: Iterable[Report], options: WriterOptions) -> None:
    """Store `reports` in the existing database `target`, in place, after taking its lock."""
    try:
        with _connect(target, options.lock_timeout) as connection:
            _begin(connection, shown, options.lock_timeout)
            _fill(connection, shown, lambda: _store_all(connection, reports), options)
    except sqlite3.DatabaseError as exc:
        raise OutputError(shown, f"SQLite: {exc}") from None


def _begin(connection: sqlite3.Connection, shown: str, timeout: float) -> None:
    """Open the write transaction, waiting up to `timeout` s for another writer to finish."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise OutputError(shown, _locked(timeout)) from None
        raise


def _locked(seconds: float) -> str:
    return (
        f"another process is writing this database; gave up after waiting {seconds:g} s "
        "for its lock, nothing was written (--lock-timeout SECONDS waits longer)"
    )


def _create(target: str, shown: str, reports: Iterable[Report], options: WriterOptions) -> None:
    """Build a new database beside `target` under a temporary name, then link it into place.

    Only the temporary file is ever removed: never a database another run made meanwhile.
    If one did, what this run built is added to it, as if the run had found it there.
    """
    from ..output import temporary_beside, umask

    with temporary_beside(target) as temporary:
        try:
            with _connect(temporary, 0) as connection:
                connection.execute("BEGIN IMMEDIATE")
                _fill(connection, shown, lambda: _store_all(connection, reports), options)
            os.chmod(temporary, 0o666 & ~umask())
            if not _publish(temporary, target):
                _merge(temporary, target, shown, options)
        except sqlite3.DatabaseError as exc:
            raise OutputError(shown, f"SQLite: {exc}") from None
        except OSError as exc:
            raise OutputError(shown, f"cannot write: {exc.strerror or exc}") from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary + "-journal")


def _publish(temporary: str, target: str) -> bool:
    """Give the finished database its name, unless another run gave that name a file first
    (then False: no run's database is ever replaced)."""
    try:
        os.link(temporary, target)  # fails if `target` exists
    except FileExistsError:
        return False
    except OSError:
        # A file system without hard links: rename, after looking once more.
        if os.path.lexists(target):
            return False
        os.replace(temporary, target)
    return True


def _merge(temporary: str, target: str, shown: str, options: WriterOptions) -> None:
    """Add the reports of the database built in `temporary` to `target`, which another run
    created meanwhile: by the same rules as reports parsed (`_store_all`), in one transaction.
    """
    with _connect(target, options.lock_timeout) as connection:
        connection.execute("ATTACH DATABASE ? AS new", (temporary,))  # not inside a transaction
        _begin(connection, shown, options.lock_timeout)
        _fill(connection, shown, lambda: _copy_reports(connection), options)


def _copy_reports(connection: sqlite3.Connection) -> None:
    """Every report of the attached database `new`, with its rows, into the main one."""
    rows = connection.execute("SELECT id, path, sha256 FROM new.reports ORDER BY id").fetchall()
    for report_id, path, sha256 in rows:
        stored = connection.execute(
            "SELECT id, path FROM main.reports WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if stored is not None:
            if _keeps(stored[1], path):
                continue
            connection.execute("DELETE FROM main.reports WHERE id = ?", (stored[0],))
        copied = _copy_row(connection, "reports", report_id, {})
        _copy_children(connection, "diagnostics", "report_id", report_id, {"report_id": copied})
        for section in _children(connection, "sections", "report_id", report_id):
            new_section = _copy_row(connection, "sections", section, {"report_id": copied})
            for part in _children(connection, "parts", "section_id", section):
                new_part = _copy_row(connection, "parts", part, {"section_id": new_section})
                _copy_children(
                    connection,
                    "paragraphs",
                    "part_id",
                    part,
                    {"section_id": new_section, "part_id": new_part},
                )


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    """The columns of `table` but its rowid `id`: what a copy carries over."""
    names = [row[1] for row in connection.execute(f"PRAGMA main.table_info({table})")]
    return [name for name in names if name != "id"]


def _children(connection: sqlite3.Connection, table: str, parent: str, key: int) -> list[int]:
    query = f"SELECT id FROM new.{table} WHERE {parent} = ? ORDER BY position"
    return [row[0] for row in connection.execute(query, (key,))]


def _copy_row(
    connection: sqlite3.Connection, table: str, key: int, replaced: dict[str, int | None]
) -> int | None:
    """Copy row `key` of new.`table` into main, with the `replaced` columns' new values;
    returns the copy's id."""
    columns = _columns(connection, table)
    values = ", ".join("?" if name in replaced else name for name in columns)
    cursor = connection.execute(
        f"INSERT INTO main.{table} ({', '.join(columns)}) "
        f"SELECT {values} FROM new.{table} WHERE id = ?",
        [*(replaced[name] for name in columns if name in replaced), key],
    )
    return cursor.lastrowid


def _copy_children(
    connection: sqlite3.Connection,
    table: str,
    parent: str,
    key: int,
    replaced: dict[str, int | None],
) -> None:
    """Copy every row of new.`table` whose `parent` is `key`, in order, with new keys."""
    columns = _columns(connection, table)
    values = ", ".join("?" if name in replaced else name for name in columns)
    connection.execute(
        f"INSERT INTO main.{table} ({', '.join(columns)}) "
        f"SELECT {values} FROM new.{table} WHERE {parent} = ? ORDER BY rowid",
        [*(replaced[name] for name in columns if name in replaced), key],
    )


def _fill(
    connection: sqlite3.Connection,
    shown: str,
    store: Callable[[], None],
    options: WriterOptions,
) -> None:
    """Inside the transaction BEGIN opened: `store`, refresh the panel, then COMMIT, or
    ROLLBACK."""
    committed = False
    try:
        _prepare(connection, shown)
        store()
        _refresh_panel(connection, options)
        connection.execute("COMMIT")
        committed = True
    finally:
        # SQLite may already have rolled back by itself (e.g. on a full disk).
        if not committed and connection.in_transaction:
            connection.execute("ROLLBACK")


@contextlib.contextmanager
def _connect(path: str, timeout: float) -> Iterator[sqlite3.Connection]:
    """A connection that waits at most `timeout` seconds for another writer's lock."""
    # isolation_level=None: the module must not open transactions of its own; we BEGIN one.
    connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        yield connection
    finally:
        connection.close()


def _prepare(connection: sqlite3.Connection, path: str) -> None:
    """Create the tables in a new database; refuse one that tipconv did not write."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not tables:
        for statement in _statements(SCHEMA):
            connection.execute(statement)
        connection.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(DB_SCHEMA_VERSION),)
        )
    elif "meta" not in tables:
        raise OutputError(path, "is an SQLite database that tipconv did not write; use a new file")
    else:
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        found = row[0] if row else None
        if found != str(DB_SCHEMA_VERSION):
            raise OutputError(
                path,
                f"database layout version {found}, this tipconv writes "
                f"{DB_SCHEMA_VERSION}; write to a new file",
            )
        columns = {row[1] for row in connection.execute("PRAGMA table_info(reports)")}
        if "report_year_source" not in columns:  # an added column keeps the layout version
            connection.execute("ALTER TABLE reports ADD COLUMN report_year_source TEXT")
    connection.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('tipconv_version', ?)", (__version__,)
    )


def _statements(script: str) -> Iterator[str]:
    """Split a script into statements: executescript() would COMMIT our transaction."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


def _store_all(connection: sqlite3.Connection, reports: Iterable[Report]) -> None:
    for report in reports:
        path = report.source.path
        stored = connection.execute(
            "SELECT id, path FROM reports WHERE sha256 = ?", (report.source.sha256,)
        ).fetchone()
        if stored is not None:
            report_id, stored_path = stored
            if _keeps(stored_path, path):
                continue
            connection.execute("DELETE FROM reports WHERE id = ?", (report_id,))
        _insert(connection, report)


def _keeps(stored: str | None, new: str | None) -> bool:
    """Whether a stored copy of a narrative stays when another copy of it arrives.

    It stays while its file exists and its path sorts first: the copy the panel CSV keeps,
    whatever the order of runs and inputs.
    """
    if stored == new:
        return True
    if stored is None or not os.path.exists(stored):
        return False
    return new is None or stored < new


def _insert(connection: sqlite3.Connection, report: Report) -> None:
    source, metadata = report.source, report.metadata
    cursor = connection.execute(
        "INSERT INTO reports (path, sha256, title, report_year, subject, publication_date, "
        "last_updated, accessed_date, url, encoding, line_count, schema_version, form, "
        "page_count, report_year_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source.path,
            source.sha256,
            metadata.title,
            metadata.report_year,
            metadata.subject,
            metadata.publication_date,
            metadata.last_updated,
            metadata.accessed_date,
            metadata.url,
            source.encoding,
            source.line_count,
            report.schema_version,
            source.form,
            source.page_count,
            metadata.report_year_source,
        ),
    )
    report_id = cursor.lastrowid
    for position, section in enumerate(report.sections, start=1):
        _insert_section(connection, report_id, position, section)
    connection.executemany(
        "INSERT INTO diagnostics (report_id, level, code, line, message) VALUES (?, ?, ?, ?, ?)",
        [(report_id, d.level.value, d.code, d.line, d.message) for d in report.diagnostics],
    )


def _insert_section(
    connection: sqlite3.Connection, report_id: int | None, position: int, section: Section
) -> None:
    stated = section.tier_stated
    section_id = connection.execute(
        "INSERT INTO sections (report_id, position, heading, line, country, country_printed, "
        "iso3, cow_code, tier, tier_label, tier_printed, tier_ordinal, tier_source, "
        "tier_stated, tier_stated_line, first_page, last_page) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report_id,
            position,
            section.heading,
            section.line,
            section.country,
            section.country_printed,
            section.iso3,
            section.cow_code,
            section.tier.value if section.tier else None,
            section.tier_label,
            section.tier_printed,
            section.tier_ordinal,
            section.tier_source,
            stated.tier.value if stated else None,
            stated.line if stated else None,
            section.first_page,
            section.last_page,
        ),
    ).lastrowid
    index = 0
    for part_position, part in enumerate(section.parts, start=1):
        part_id = connection.execute(
            "INSERT INTO parts (section_id, position, kind, heading, line, inferred) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (section_id, part_position, part.kind, part.heading, part.line, int(part.inferred)),
        ).lastrowid
        rows = []
        for paragraph in part.paragraphs:
            index += 1
            rows.append(
                (
                    section_id,
                    part_id,
                    index,
                    paragraph.line,
                    int(paragraph.item),
                    paragraph.text,
                    paragraph.page,
                )
            )
        connection.executemany(
            "INSERT INTO paragraphs (section_id, part_id, position, line, item, text, page) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _refresh_panel(connection: sqlite3.Connection, options: WriterOptions) -> None:
    """Recompute the panel over the whole database, not just this run's reports."""
    cursor = connection.execute(_PANEL_ENTRIES)
    fields = [column[0] for column in cursor.description]
    entries = (PanelEntry(**dict(zip(fields, row, strict=True))) for row in cursor)
    rows = build_panel(entries, options.warn)
    connection.execute("DELETE FROM panel_rows")
    names = ", ".join(column.name for column in PANEL_COLUMNS)
    marks = ", ".join("?" for _ in range(len(PANEL_COLUMNS) + 1))
    connection.executemany(
        f"INSERT INTO panel_rows (position, {names}) VALUES ({marks})",
        [(position, *row.values()) for position, row in enumerate(rows, start=1)],
    )

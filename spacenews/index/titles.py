"""Titles many documents share: a site's name or tagline that every page starts with names
none of them. Such a document is shown by a title from its own text instead (see
parse.plaintext.title_from_text), which the documents' rows keep ready; which titles are
shared is known only from the whole corpus, so it is settled after every write."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from spacenews.index.codec import pack, unpack

SHARED = 3  # a title this many documents have is nobody's


def retitle(db: sqlite3.Connection, titles: Collection[str]) -> None:
    """Give the documents whose title is shared their other title, and those whose title no
    longer is shared their own again, in the write transaction of the caller. titles are
    those of the documents written or removed since the last time (as the title column
    holds them): no other document's title can have become shared or stopped being so."""
    counted = (
        "WITH touched(title, shared) AS (SELECT value, (SELECT count(*) FROM documents d"
        " WHERE d.title = value) >= ? FROM json_each(?))"
    )
    rows = db.execute(
        f"{counted} SELECT file, seq, data, other_title, 1 FROM touched t JOIN documents d"
        " ON d.title = t.title AND d.retitled = 0 WHERE t.shared AND other_title != ''"
        " UNION ALL SELECT file, seq, data, d.title, 0 FROM touched t JOIN documents d"
        " ON d.title = t.title AND d.retitled = 1 WHERE NOT t.shared",
        (SHARED, json.dumps(sorted(titles))),
    ).fetchall()
    updates = []
    for file, seq, data, title, retitled in rows:
        row = unpack(data)
        row[1] = title  # see codec.document_row
        updates.append((pack(row), retitled, file, seq))
    db.executemany(
        "UPDATE documents SET data = ?, retitled = ? WHERE file = ? AND seq = ?", updates
    )

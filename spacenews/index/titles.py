"""Titles many documents share: a site's name or tagline that every page starts with names
none of them. Such a document is shown by a title from its own text instead (see
parse.plaintext.title_from_text), which the documents' rows keep ready; which titles are
shared is known only from the whole corpus, so it is settled after every write."""

from __future__ import annotations

import json
import sqlite3

from spacenews.index.codec import pack, unpack

SHARED = 3  # a title this many documents have is nobody's


def retitle(db: sqlite3.Connection) -> None:
    """Give the documents whose title is shared their other title, and those whose title no
    longer is their own again, in the write transaction of the caller."""
    shared = [
        title
        for (title,) in db.execute(
            "SELECT title FROM documents GROUP BY title HAVING count(*) >= ?", (SHARED,)
        )
    ]
    within = "title IN (SELECT value FROM json_each(?))"
    listed = json.dumps(shared)
    rows = db.execute(
        "SELECT file, seq, data, other_title, 1 FROM documents"
        f" WHERE retitled = 0 AND other_title != '' AND {within}"
        f" UNION ALL SELECT file, seq, data, title, 0 FROM documents WHERE retitled = 1"
        f" AND NOT {within}",
        (listed, listed),
    ).fetchall()
    updates = []
    for file, seq, data, title, retitled in rows:
        row = unpack(data)
        row[1] = title  # see codec.document_row
        updates.append((pack(row), retitled, file, seq))
    db.executemany(
        "UPDATE documents SET data = ?, retitled = ? WHERE file = ? AND seq = ?", updates
    )

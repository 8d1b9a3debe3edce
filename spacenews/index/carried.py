"""The values kept for the next run (see View.keep) that a write carries to the generation it
makes, rather than leave the next run to derive them again from every row: what the write
touched is noted by temporary triggers, gone with the transaction if it is rolled back."""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left, bisect_right

from spacenews.index.store import GENERATION, integers, kept_key, kept_value


class Carried:
    """The values kept for the generation a write begins at (see View.keep) that it brings
    to the next, rather than leave the next run to derive them again from every row: the
    units' words, with those of the units the write added or removed (temporary triggers
    note their ids), and the events' order, with the few events the write added or removed
    (noted the same way); and whether the main names stand (see names_of)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        generation: tuple[str] = db.execute(GENERATION).fetchone()
        self._generation = generation
        self._key = kept_key(generation)
        self._units = integers(kept_value(db, "units", generation))
        if self._units is not None:  # gone with the transaction, if it is rolled back
            for statement in _NOTING:
                db.execute(statement)
        kept_order = "SELECT 1 FROM kept WHERE name = 'order' AND key = ?"
        self._ordering = db.execute(kept_order, (self._key,)).fetchone() is not None
        if self._ordering:
            for statement in _NOTING_EVENTS:
                db.execute(statement)
        given = db.execute("SELECT value FROM meta WHERE key = 'mains'").fetchone()
        self._naming = given is not None and str(given[0]).startswith(self._key)
        if self._naming:  # the main names are of this generation: they may stand
            for statement in _NOTING_NAMES:
                db.execute(statement)

    def names_of(self) -> tuple[str] | None:
        """The generation the write began at, if it left every entity name, tag and
        acronym as they were (so that the main names given then stand), else None: an
        acronym written or removed, a name or tag that appeared or vanished, or one of
        several spellings written (the corpus's order picks one) changes them."""
        if not self._naming or self._db.execute(_NAMES_CHANGED).fetchone():
            return None
        return self._generation

    def carry(self) -> None:
        """Keep the values for the generation now, before the transaction ends."""
        db = self._db
        key = kept_key(db.execute(GENERATION).fetchone())
        if self._ordering:
            self._carry_order(key)
            for statement in _UNNOTING_EVENTS:
                db.execute(statement)
        if self._units is not None:
            words = self._units
            for ident, count in db.execute(
                "SELECT t.id, coalesce(u.words, -1) FROM temp.units_touched t"
                " LEFT JOIN units u ON u.id = t.id"
            ):
                words.extend([-1] * (ident + 1 - len(words)))
                words[ident] = count
            db.execute("INSERT OR REPLACE INTO kept VALUES ('units', ?, ?)", (key, words.tobytes()))
            for statement in _UNNOTING:
                db.execute(statement)
        if self._naming:
            for statement in _UNNOTING_NAMES:
                db.execute(statement)

    def _carry_order(self, key: str) -> None:
        """The events' order (see View._kept_order) as the write left it: the events it
        removed taken out, those it added put in their places (among the events of their
        day), when there are few; the same when it changed none."""
        db = self._db
        touched = db.execute("SELECT row, added FROM temp.events_touched").fetchall()
        if not touched:
            query = "UPDATE kept SET key = ? WHERE name = 'order' AND key = ?"
            db.execute(query, (key, self._key))
            return
        order = integers(kept_value(db, "order", self._generation))
        if order is None or len(order) % 2 or len(touched) > ORDER_CARRIED:
            return  # the next command reads the order again
        rows, days = order[: len(order) // 2].tolist(), order[len(order) // 2 :].tolist()
        for row, added in touched:
            if not added and row in rows:  # one added and removed again is in neither
                at = rows.index(row)
                del rows[at], days[at]
        for row, day, folded, ident in db.execute(_ADDED).fetchall():
            low, high = bisect_left(days, day), bisect_right(days, day)
            marks = ",".join("?" * (high - low))
            keys = db.execute(_KEYS.format(marks), rows[low:high]).fetchall()
            place = low + sum(1 for other in keys if (other[0], other[1]) < (folded, ident))
            rows.insert(place, row)
            days.insert(place, day)
        db.execute(
            "INSERT OR REPLACE INTO kept VALUES ('order', ?, ?)",
            (key, array("q", rows + days).tobytes()),
        )


ORDER_CARRIED = 64  # events a write adds or removes, at most, for it to carry their order
# The events a write added, and the order's key of those of one day (see View._read_order:
# by day, then headline_fold, then id).
_ADDED = (
    "SELECT rowid, day, headline_fold, id FROM events"
    " WHERE rowid IN (SELECT row FROM temp.events_touched WHERE added)"
)
_KEYS = "SELECT headline_fold, id FROM events WHERE rowid IN ({})"
_NOTING_EVENTS = [
    "CREATE TEMP TABLE events_touched(row INTEGER PRIMARY KEY, added INTEGER)",
    *(
        f"CREATE TEMP TRIGGER events_{when} AFTER {when} ON main.events BEGIN"
        f" INSERT OR REPLACE INTO events_touched VALUES ({row}.rowid, {added}); END"
        for when, row, added in (("insert", "new", 1), ("delete", "old", 0))
    ),
]
_UNNOTING_EVENTS = [
    *(f"DROP TRIGGER temp.events_{when}" for when in ("insert", "delete")),
    "DROP TABLE temp.events_touched",
]
_NOTING = [
    "CREATE TEMP TABLE units_touched(id INTEGER PRIMARY KEY)",
    *(
        f"CREATE TEMP TRIGGER units_{when} AFTER {when} ON main.units"
        f" BEGIN INSERT OR IGNORE INTO units_touched VALUES ({row}.id); END"
        for when, row in (("insert", "new"), ("delete", "old"))
    ),
]
_UNNOTING = [
    *(f"DROP TRIGGER temp.units_{when}" for when in ("insert", "delete")),
    "DROP TABLE temp.units_touched",
]


# Each name and tag the write touches, in the first place, with whether it was there before
# (its other rows tell, when a row is added), and any acronym touched (see names_of).
_NOTING_NAMES = [
    "CREATE TEMP TABLE names_touched"
    "(tbl TEXT, fold TEXT, name TEXT, existed INTEGER, PRIMARY KEY (tbl, fold, name))",
    *(
        f"CREATE TEMP TRIGGER {table}_insert AFTER INSERT ON main.{table} BEGIN"
        f" INSERT OR IGNORE INTO names_touched VALUES ('{table}', new.fold, new.name, EXISTS"
        f" (SELECT 1 FROM main.{table} t WHERE t.fold = new.fold AND t.name = new.name"
        f" AND ({key}) != ({key.replace('t.', 'new.')}))); END"
        for table, key in (("names", "t.event, t.seq"), ("tags", "t.file, t.seq, t.n"))
    ),
    *(
        f"CREATE TEMP TRIGGER {table}_delete AFTER DELETE ON main.{table} BEGIN"
        f" INSERT OR IGNORE INTO names_touched VALUES ('{table}', old.fold, old.name, 1); END"
        for table in ("names", "tags")
    ),
    *(
        f"CREATE TEMP TRIGGER acronyms_{when} AFTER {when} ON main.acronyms BEGIN"
        " INSERT OR IGNORE INTO names_touched VALUES ('acronyms', '', '', 0); END"
        for when in ("insert", "delete")
    ),
]
_UNNOTING_NAMES = [
    *(
        f"DROP TRIGGER temp.{table}_{when}"
        for table in ("names", "tags", "acronyms")
        for when in ("insert", "delete")
    ),
    "DROP TABLE temp.names_touched",
]
_NAMES_CHANGED = (
    "SELECT 1 FROM temp.names_touched n WHERE n.tbl = 'acronyms' "
    + "".join(
        f" OR n.tbl = '{table}' AND (n.existed !="
        f" EXISTS (SELECT 1 FROM main.{table} t WHERE t.fold = n.fold AND t.name = n.name)"
        # another spelling: two seeks of the (fold, name) index, where != reads every row
        f" OR EXISTS (SELECT 1 FROM main.{table} t WHERE t.fold = n.fold AND t.name < n.name)"
        f" OR EXISTS (SELECT 1 FROM main.{table} t WHERE t.fold = n.fold AND t.name > n.name))"
        for table in ("names", "tags")
    )
    + " LIMIT 1"
)

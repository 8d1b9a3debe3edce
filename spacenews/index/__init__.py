"""The index: one SQLite database holding what every file of a corpus yields, the events
merged from it, and a full-text table, kept fresh file by file (see README, "The index").

- ``store``: where the database lives, its tables, and opening it safely.
- ``fresh``: which files changed since the last run, and updating only their rows.
- ``codec``: how records, events and documents are kept in a row.
- ``terms``: the words of a text as the full-text table holds them.
"""

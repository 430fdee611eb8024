"""One interface over each database's full-text engine: SQLite FTS5 and PostgreSQL tsvector.

Both index the tokens made by `text.py` as they are (no engine-side stemming), in four
weighted fields: name, body, terms (taxonomy tokens), flags (filter tokens, weight 0).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

FIELDS = ("name", "body", "terms", "flags")
WEIGHT_OF = dict(zip(FIELDS, "ABCD", strict=True))  # PostgreSQL's weight letter per field


@dataclass(frozen=True)
class Term:
    token: str


@dataclass(frozen=True)
class FieldTerm:
    """A token in one field only (a category's need token in `terms`, not read in `body`)."""

    token: str
    field: str


@dataclass(frozen=True)
class Any_:
    parts: tuple


@dataclass(frozen=True)
class All:
    parts: tuple


Expr = Term | FieldTerm | Any_ | All


@dataclass(frozen=True)
class MatchSql:
    """The pieces of SQL that restrict documents to a full-text match and rank them."""

    from_clause: str
    from_params: list
    where: str
    where_params: list
    relevance: str


def _render(expr: Expr, quote, and_op: str, or_op: str, in_field) -> str:
    if isinstance(expr, Term):
        return quote(expr.token)
    if isinstance(expr, FieldTerm):
        return in_field(expr.token, expr.field)
    op = and_op if isinstance(expr, All) else or_op
    inner = [_render(part, quote, and_op, or_op, in_field) for part in expr.parts]
    return inner[0] if len(inner) == 1 else "(" + f" {op} ".join(inner) + ")"


def _holds(expr: Expr, fields: dict[str, set[str]], everything: set[str]) -> bool:
    if isinstance(expr, Term):
        return expr.token in everything
    if isinstance(expr, FieldTerm):
        return expr.token in fields.get(expr.field, ())
    parts = (_holds(part, fields, everything) for part in expr.parts)
    return all(parts) if isinstance(expr, All) else any(parts)


class SqliteFts5:
    table = "directory_search_fts"

    def features_held(
        self, db, service_ids: list[str], features: list[Expr]
    ) -> dict[str, set[int]]:
        """Which features each service's index row holds: the rows read by rowid (the
        full-text index would walk every listing holding a common word), checked here."""
        marks = ", ".join(["%s"] * len(service_ids))
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT d.service_id, f.name, f.body, f.terms FROM directory_searchdocument d "  # noqa: S608
                f"JOIN {self.table} f ON f.rowid = d.id WHERE d.service_id IN ({marks})",
                service_ids,
            )
            rows = cursor.fetchall()
        held: dict[str, set[int]] = {}
        for service_id, name, body, terms in rows:
            fields = {
                "name": set(name.split()),
                "body": set(body.split()),
                "terms": set(terms.split()),
            }
            everything = fields["name"] | fields["body"] | fields["terms"]
            held[service_id] = {
                number
                for number, feature in enumerate(features)
                if _holds(feature, fields, everything)
            }
        return held

    def create_sql(self) -> list[str]:
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
            "name, body, terms, flags, tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\")"
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.table}"]

    def write(self, rows: list[tuple[int, dict[str, list[str]]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {self.table} WHERE rowid = %s", [(r[0],) for r in rows]
            )
            cursor.executemany(
                f"INSERT INTO {self.table}(rowid, name, body, terms, flags) VALUES (%s, %s, %s, %s, %s)",
                [(doc_id, *(" ".join(fields[f]) for f in FIELDS)) for doc_id, fields in rows],
            )

    def delete(self, doc_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {self.table} WHERE rowid = %s", [(i,) for i in doc_ids]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def match_sql(self, expr: Expr) -> "MatchSql":
        query = _render(expr, lambda t: f'"{t}"', "AND", "OR", lambda t, f: f'{f} : "{t}"')
        return MatchSql(
            from_clause=f"{self.table} JOIN directory_searchdocument d ON d.id = {self.table}.rowid",
            from_params=[],
            where=f"{self.table} MATCH %s",
            where_params=[query],
            relevance=f"-bm25({self.table}, 8.0, 2.0, 4.0, 0.0)",
        )


class PostgresTsvector:
    def features_held(
        self, db, service_ids: list[str], features: list[Expr]
    ) -> dict[str, set[int]]:
        """Which features each service's tsvector holds, tested on these rows only."""
        tests = ", ".join("(d.tsv @@ CAST(%s AS tsquery))" for _ in features)
        queries = [
            _render(f, lambda t: f"'{t}'", "&", "|", lambda t, w: f"'{t}':{WEIGHT_OF[w]}")
            for f in features
        ]
        marks = ", ".join(["%s"] * len(service_ids))
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT d.service_id, {tests} FROM directory_searchdocument d "  # noqa: S608
                f"WHERE d.service_id IN ({marks})",
                queries + service_ids,
            )
            return {
                row[0]: {number for number, hit in enumerate(row[1:]) if hit}
                for row in cursor.fetchall()
            }

    def create_sql(self) -> list[str]:
        return [
            "ALTER TABLE directory_searchdocument ADD COLUMN IF NOT EXISTS tsv tsvector "
            "NOT NULL DEFAULT ''::tsvector",
            "CREATE INDEX IF NOT EXISTS directory_searchdocument_tsv ON directory_searchdocument "
            "USING gin (tsv)",
        ]

    def drop_sql(self) -> list[str]:
        return [
            "DROP INDEX IF EXISTS directory_searchdocument_tsv",
            "ALTER TABLE directory_searchdocument DROP COLUMN IF EXISTS tsv",
        ]

    @staticmethod
    def tsvector_literal(fields: dict[str, list[str]]) -> str:
        positions: dict[str, list[str]] = defaultdict(list)
        position = 0
        for field, weight in zip(FIELDS, "ABCD", strict=True):
            for token in fields[field]:
                position = min(position + 1, 16383)
                if len(positions[token]) < 64:
                    positions[token].append(f"{position}{weight}")
        return " ".join(f"'{token}':{','.join(p)}" for token, p in positions.items())

    def write(self, rows: list[tuple[int, dict[str, list[str]]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE directory_searchdocument SET tsv = %s::tsvector WHERE id = %s",
                [(self.tsvector_literal(fields), doc_id) for doc_id, fields in rows],
            )

    def delete(self, doc_ids: list[int]) -> None:
        """Rows go with their document; nothing else to remove."""

    def clear(self) -> None:
        """The column lives in the document table, emptied with it."""

    def match_sql(self, expr: Expr) -> "MatchSql":
        query = _render(expr, lambda t: f"'{t}'", "&", "|", lambda t, f: f"'{t}':{WEIGHT_OF[f]}")
        return MatchSql(
            from_clause="directory_searchdocument d CROSS JOIN CAST(%s AS tsquery) q",
            from_params=[query],
            where="d.tsv @@ q",
            where_params=[],
            # Weights D, C, B, A: flags 0, terms 0.5, body 0.25, name 1.
            relevance="ts_rank('{0, 0.5, 0.25, 1}', d.tsv, q)",
        )


def backend():
    return PostgresTsvector() if connection.vendor == "postgresql" else SqliteFts5()

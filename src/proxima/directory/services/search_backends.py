"""One interface over each database's full-text engine: SQLite FTS5 and PostgreSQL tsvector.

Both index the tokens made by `text.py` as they are (no engine-side stemming), in four
weighted fields: name, body, terms (taxonomy tokens), flags (filter tokens, weight 0).
"""

import math
import re
import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

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


def _tokens_of(expr: Expr) -> set[str]:
    if isinstance(expr, (Term, FieldTerm)):
        return {expr.token}
    return {token for part in expr.parts for token in _tokens_of(part)}


def _tsquery(expr: Expr) -> str:
    return _render(expr, lambda t: f"'{t}'", "&", "|", lambda t, f: f"'{t}':{WEIGHT_OF[f]}")


FIELD_WEIGHTS = {"name": 8.0, "body": 2.0, "terms": 4.0}  # as bm25's weights in match_sql
POOL_FIELDS = tuple(FIELD_WEIGHTS)  # a document's counts and lengths are in this order


def _terms_only(expr: Expr) -> bool:
    """A token, or tokens of which any (no field, no nested group)."""
    return isinstance(expr, Term) or (
        isinstance(expr, Any_) and all(isinstance(p, Term) for p in expr.parts)
    )


def _simple(expr: Expr) -> tuple[int | None, frozenset[str]]:
    """A feature as (its field's place in POOL_FIELDS or None for any, the tokens any of
    which it takes)."""
    if isinstance(expr, FieldTerm):
        return POOL_FIELDS.index(expr.field), frozenset({expr.token})
    if _terms_only(expr):
        return None, frozenset(_tokens_of(expr))
    raise ValueError("a pool feature is a token, a field's token or tokens of which any")


# A pool's document: (service id, {wanted token: its counts in name, body, terms},
# (the lengths of name, body, terms)). Only the wanted tokens a field holds are counted.
Document = tuple[str, dict[str, tuple[int, int, int]], tuple[int, int, int]]


def _bm25(documents: list[Document], scoring: int, found: list[dict[int, list[int]]]):
    """bm25 (k1 1.2, b 0.75) over the first `scoring` features, their rarity counted within
    these documents: the pool is what is ranked, not the whole index. `found`: for each
    document, each scoring feature it holds with its counts in name, body and terms."""
    total = len(documents) or 1
    average = [(sum(d[2][f] for d in documents) / total) or 1.0 for f in range(3)]
    holding = [0] * scoring
    for held in found:
        for n in held:
            holding[n] += 1
    rarity = [math.log(1 + (total - h + 0.5) / (h + 0.5)) for h in holding]
    (name_weight, body_weight, terms_weight) = FIELD_WEIGHTS.values()
    scores = []
    for (_service_id, _counts, lengths), held in zip(documents, found, strict=True):
        score = 0.0
        if held:
            name_norm, body_norm, terms_norm = (
                1.2 * (0.25 + 0.75 * lengths[f] / average[f]) for f in range(3)
            )
            for n in sorted(held):
                name, body, terms = held[n]
                if name:
                    score += rarity[n] * name_weight * name * 2.2 / (name + name_norm)
                if body:
                    score += rarity[n] * body_weight * body * 2.2 / (body + body_norm)
                if terms:
                    score += rarity[n] * terms_weight * terms * 2.2 / (terms + terms_norm)
        scores.append(score)
    return scores


def _pool_ranks(documents_of, texts: dict[str, str], features: list[Expr], scoring: int):
    """The same ranking on both databases. `documents_of` reads each service's index texts
    into a `Document` (counting the wanted tokens); out come the features each holds and
    bm25 over the first `scoring` features. The work follows the wanted tokens each
    document holds (a few), not every feature's every token."""
    simple = [_simple(f) for f in features]
    # (A token of spaces only, from a rare character folded to spaces, is held by none.)
    features_of: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    for n, (field, tokens) in enumerate(simple):
        for token in tokens:
            if token.strip():
                features_of[token].append((n, field))
    documents = documents_of(list(texts.items()), frozenset(features_of))
    helds, found = [], []
    for _service_id, counts, _lengths in documents:
        held: set[int] = set()
        scored: dict[int, list[int]] = {}
        for token, count in counts.items():
            for n, field in features_of[token]:
                if field is None or count[field]:
                    held.add(n)
                if n < scoring:  # counted whatever the field, kept if held (below)
                    summed = scored.get(n)
                    if summed is None:
                        scored[n] = list(count)
                    else:
                        summed[0] += count[0]
                        summed[1] += count[1]
                        summed[2] += count[2]
        helds.append(held)
        found.append({n: summed for n, summed in scored.items() if n in held})
    scores = _bm25(documents, scoring, found)
    return {
        document[0]: (score, held)
        for document, score, held in zip(documents, scores, helds, strict=True)
    }


def _starts(parts: list[str], gap: int) -> list[int]:
    """Where each part starts in the parts joined with `gap` characters between them."""
    return [0, *accumulate(len(part) + gap for part in parts)][:-1]


def _found_at(joined: str, needle: str, step: int):
    """Where `needle` is in `joined`, each search going on `step` characters past the
    last one found."""
    at = joined.find(needle)
    while at >= 0:
        yield at
        at = joined.find(needle, at + step)


def _text_documents(items: list[tuple[str, str]], wanted) -> list[Document]:
    """From FTS5's columns (name, body, terms joined by a line feed; tokens separated by one
    space). All the pool's fields are searched at once, each wanted token found by its
    spaces: the work follows the tokens found, not every token of every listing."""
    fields, lengths = [], []
    for _service_id, text in items:
        three = text.split("\n")
        fields += three
        lengths.append(
            tuple(
                len(field.split())
                if "  " in field or field[:1] == " " or field[-1:] == " "
                else field.count(" ") + 1
                if field
                else 0
                for field in three
            )
        )
    joined = " " + " \n ".join(fields) + " "
    starts = _starts(fields, 3)
    counts: list[dict] = [{} for _ in items]
    for token in wanted:
        needle = f" {token} "
        # A token repeated shares the space between: the next search starts on it.
        for at in _found_at(joined, needle, len(needle) - 1):
            document, field = divmod(bisect_right(starts, at) - 1, 3)
            counts[document].setdefault(token, [0, 0, 0])[field] += 1
    return [
        (service_id, {t: tuple(c) for t, c in counts[i].items()}, lengths[i])
        for i, (service_id, _text) in enumerate(items)
    ]


def _tsvector_documents(items: list[tuple[str, str]], wanted) -> list[Document]:
    """From tsvectors' text ('tok':1A,2B ...): each position's weight letter says its field
    (tokens are lower case, so capitals are weights). One pattern finds the entries of all
    the wanted tokens in a vector: the work follows the tokens found, not every token of
    every listing."""
    if not wanted:
        return [(service_id, {}, _weights(text)) for service_id, text in items]
    entries = re.compile(
        "'(" + "|".join(re.escape(token) for token in sorted(wanted)) + ")':([^ ]*)"
    ).findall
    documents = []
    for service_id, text in items:
        counts = {}
        for token, positions in entries(text):
            if "," in positions:
                found = (positions.count("A"), positions.count("B"), positions.count("C"))
                if found[0] or found[1] or found[2]:
                    counts[token] = found
            else:  # one position (two in three): its weight letter ends it
                found = _ONE_POSITION.get(positions[-1:])
                if found is not None:
                    counts[token] = found
        documents.append((service_id, counts, _weights(text)))
    return documents


# A single position's weight letter, as the counts in name, body and terms.
_ONE_POSITION = {"A": (1, 0, 0), "B": (0, 1, 0), "C": (0, 0, 1)}


def _weights(text: str) -> tuple[int, int, int]:
    """How many positions a tsvector's text holds in each of name, body and terms."""
    return (text.count("A"), text.count("B"), text.count("C"))


def _texts_read(db, texts: dict[str, str | None], texts_sql: str, join: str) -> dict[str, str]:
    """Each service's index texts: those the search read with its rows, the others read
    here by id."""
    known = {service_id: text for service_id, text in texts.items() if text is not None}
    missing = [service_id for service_id, text in texts.items() if text is None]
    if missing:
        marks = ", ".join(["%s"] * len(missing))
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT d.service_id, {texts_sql} FROM directory_searchdocument d {join} "  # noqa: S608
                f"WHERE d.service_id IN ({marks})",
                missing,
            )
            known.update(cursor.fetchall())
    return known


class SqliteFts5:
    table = "directory_search_fts"
    # Ages, hours and places asked of the index too (services/facets.py)? Not here: FTS5
    # reads the whole list of every token of an OR, and those of "every age" or "remote"
    # hold most listings; the exact checks on the rows the words found cost less.
    narrows_by_facets = False
    # A subquery kept apart from the query around it: not here (SQLite then reads every
    # match before the limit: the slowest combined searches took twice as long).
    fence = ""

    def token_shares(self, db) -> dict[str, float]:
        """Not used: the facets are not asked of this index."""
        return {}

    def estimated_rows(self, db, expr: Expr) -> float | None:
        """Unknown here (None)."""
        return None

    # A matched row's texts, for `pool_scores` (fields joined by a line feed: tokens never
    # hold one), as the search's subqueries carry them, and made from what they carry
    # (the same here).
    texts_carried = f"{table}.name || char(10) || {table}.body || char(10) || {table}.terms"
    texts_late = False

    def texts_sql(self, carried: str) -> str:
        return carried

    @staticmethod
    def holds_word(text: str, tokens) -> bool:
        """Whether a row's name or body (`texts_sql`) holds one of these tokens: what its
        words match (a token of spaces only, none)."""
        name, body, _terms = text.split("\n")
        words = f" {name} {body} "
        # (A token holding a space, from a rare character folded to one, is no word here:
        # the spaces are what separates the row's tokens.)
        return any(f" {token} " in words for token in tokens if token and token.split() == [token])

    @staticmethod
    def holds_any(text: str, tokens: list[str]) -> bool:
        """Whether a row's texts (`texts_sql`) hold one of these tokens."""
        return not set(text.split()).isdisjoint(tokens)

    def pool_scores(
        self, db, texts: dict[str, str | None], features: list[Expr], scoring: int
    ) -> dict[str, tuple[float, set[int]]]:
        """Each service's text rank (bm25 over the first `scoring` features, their rarity
        counted within the pool) and the features its index row holds. `texts` maps each
        service to its row's texts when the search read them (`texts_sql`), else None: those
        rows are read by id (the full-text index would walk every listing holding a
        common word)."""
        join = f"JOIN {self.table} ON {self.table}.rowid = d.id"
        known = _texts_read(db, texts, self.texts_sql(self.texts_carried), join)
        return _pool_ranks(_text_documents, known, features, scoring)

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

    def optimize(self) -> None:
        """Merge the index's segments into one (FTS5 keeps one per write until merged:
        after a reindex of 100,000 listings, searches took 30% longer, combined ones 80%)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table}({self.table}) VALUES ('optimize')")

    def match_sql(self, expr: Expr, db=None) -> "MatchSql":
        """The rows matching `expr` (FTS5 plans its query itself)."""
        query = _render(expr, lambda t: f'"{t}"', "AND", "OR", lambda t, f: f'{f} : "{t}"')
        return MatchSql(
            from_clause=f"{self.table} JOIN directory_searchdocument d ON d.id = {self.table}.rowid",
            from_params=[],
            where=f"{self.table} MATCH %s",
            where_params=[query],
            relevance=f"-bm25({self.table}, 8.0, 2.0, 4.0, 0.0)",
        )


STATISTICS_MAX_AGE = 300.0  # seconds
# Per database alias: when read, the index's rows, the share of rows holding each token.
_statistics: dict[str, tuple[float | None, float, dict[str, float]]] = {}


class PostgresTsvector:
    # A GIN index intersects its lists skipping through the long ones: with the facets'
    # tokens it returns only the listings that can fit, where a scan would otherwise read
    # every listing holding the words to check their ages, hours and places.
    narrows_by_facets = True
    fence = " OFFSET 0"  # a subquery PostgreSQL does not merge into the query around it

    # The search's subqueries carry a matched row's vector; its text is made once the
    # rows kept are known (`texts_late`), by `texts_sql`.
    texts_carried = "d.tsv"
    texts_late = True

    def texts_sql(self, carried: str) -> str:
        """A row's vector as text, its words only (weights A, B, C: the filter tokens, a
        third of its text, are not sent; nothing reads them from here)."""
        return f"ts_filter({carried}, '{{a,b,c}}')::text"

    def token_shares(self, db) -> dict[str, float]:
        """The share of index rows holding each of the most common tokens, from the
        column's statistics (its last ANALYZE: autovacuum's, or `optimize` after a
        reindex), read again every few minutes."""
        return self._statistics(db)[1]

    def estimated_rows(self, db, expr: Expr) -> float | None:
        """How many index rows match, as the statistics estimate it (tokens taken as
        independent; one they do not list as rarer than any they list)."""
        rows, shares = self._statistics(db)
        if not shares:
            return None
        rare = min(shares.values()) / 2

        def share(part: Expr) -> float:
            if isinstance(part, (Term, FieldTerm)):
                return shares.get(part.token, rare)
            inner = [share(p) for p in part.parts]
            return math.prod(inner) if isinstance(part, All) else min(1.0, sum(inner))

        return rows * share(expr)

    @staticmethod
    def _statistics(db) -> tuple[float, dict[str, float]]:
        read_at, rows, shares = _statistics.get(db.alias, (None, 0.0, {}))
        now = time.monotonic()
        if read_at is None or now - read_at > STATISTICS_MAX_AGE:
            with db.cursor() as cursor:
                # The table the search reads (its schema from the search path).
                cursor.execute(
                    "SELECT c.reltuples, s.most_common_elems::text::text[], "
                    "s.most_common_elem_freqs FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stats s "
                    "ON s.schemaname = n.nspname AND s.tablename = c.relname "
                    "AND s.attname = 'tsv' "
                    "WHERE c.oid = 'directory_searchdocument'::regclass"
                )
                row = cursor.fetchone()
            rows = max(float(row[0]), 0.0) if row else 0.0
            shares = dict(zip(row[1], row[2], strict=False)) if row and row[1] else {}
            _statistics[db.alias] = (now, rows, shares)
        return rows, shares

    @staticmethod
    def holds_word(text: str, tokens) -> bool:
        """Whether a row's name or body (`texts_sql`: weights A and B) holds one of these
        tokens: what its words match (a token of spaces only, none)."""
        for token in tokens:
            needle = f"'{token}':"
            at = text.find(needle) if token.strip() else -1
            if at >= 0:
                begin = at + len(needle)  # its positions: up to the next space
                end = text.find(" ", begin)
                positions = text[begin : end if end >= 0 else len(text)]
                if "A" in positions or "B" in positions:
                    return True
        return False

    @staticmethod
    def holds_any(text: str, tokens: list[str]) -> bool:
        """Whether a row's vector text (`texts_sql`) holds one of these tokens."""
        return any(f"'{token}':" in text for token in tokens)

    def pool_scores(
        self, db, texts: dict[str, str | None], features: list[Expr], scoring: int
    ) -> dict[str, tuple[float, set[int]]]:
        """As on SQLite (the same ranking in Python), from these rows' tsvectors."""
        known = _texts_read(db, texts, self.texts_sql(self.texts_carried), "")
        return _pool_ranks(_tsvector_documents, known, features, scoring)

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
        """Words with their positions (whose weight letter says the field, read by
        `_tsvector_documents`); the filter tokens without (nothing reads them by field, and
        a listing holds dozens: a quarter of the vector's size)."""
        positions: dict[str, list[str]] = defaultdict(list)
        position = 0
        for field, weight in zip(FIELDS[:3], "ABC", strict=True):
            for token in fields[field]:
                position = min(position + 1, 16383)
                if len(positions[token]) < 64:
                    positions[token].append(f"{position}{weight}")
        words = [f"'{token}':{','.join(p)}" for token, p in positions.items()]
        flags = [f"'{token}'" for token in dict.fromkeys(fields["flags"]) if token not in positions]
        return " ".join(words + flags)

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

    def optimize(self) -> None:
        """Fresh planner statistics for the rewritten rows (autovacuum would come later)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_searchdocument")

    def match_sql(self, expr: Expr, db=None) -> "MatchSql":
        """The rows matching `expr`, asked of the index as its statistics (read from `db`)
        say it costs least (`_index_plan`): the same rows, in the same order."""
        branches, checked = _index_plan(expr, self.token_shares(db) if db is not None else {})
        where = " OR ".join(["d.tsv @@ CAST(%s AS tsquery)"] * len(branches))
        where = f"({where})" if len(branches) > 1 else where
        # Not asked of the index (a test it cannot use): checked on the rows it finds.
        where += " AND (d.tsv @@ CAST(%s AS tsquery)) IS TRUE" * len(checked)
        return MatchSql(
            from_clause="directory_searchdocument d CROSS JOIN CAST(%s AS tsquery) q",
            from_params=[_tsquery(expr)],
            where=where,
            where_params=[_tsquery(part) for part in [*branches, *checked]],
            # Weights D, C, B, A: flags 0, terms 0.5, body 0.25, name 1.
            relevance="ts_rank('{0, 0.5, 0.25, 1}', d.tsv, q)",
        )


# A group of tokens held by this share of the listings (a language all of them offer) is
# checked on the rows the rest of the query finds: the index would walk its long list
# for nothing (a need's listings in French: 2.1 ms, against 0.8 without "in French").
ROW_CHECK_SHARE = 0.5
# A token this common among rarer alternatives ("reachable remotely" among a radius's
# cells) is asked of the index apart, the two answers joined: the index then skips
# along the rarest list of each (a need's listings near a place or remote: 3.3 ms
# asked together, 1.6 apart).
SPLIT_SHARE = 0.2


def _index_plan(expr: Expr, shares: dict[str, float]) -> tuple[list[Expr], list[Expr]]:
    """(branches, checked): the rows matching `expr` are those matching one of the
    branches (asked of the index) and every one of the checked parts (tested on the rows
    found). Only the parts of a conjunction are moved, so the rows and their order are
    the same; nothing moves without statistics."""
    if not isinstance(expr, All) or not shares:
        return [expr], []

    def share(part: Expr) -> float:
        if _terms_only(part):
            return sum(shares.get(token, 0.0) for token in _tokens_of(part))
        return 0.0  # a field's token or a nested group: left to the index

    checked = [part for part in expr.parts if share(part) >= ROW_CHECK_SHARE]
    indexed = [part for part in expr.parts if share(part) < ROW_CHECK_SHARE]
    if not indexed:  # nothing narrower to ask the index for
        return [expr], []
    for i, part in enumerate(indexed):
        if not isinstance(part, Any_) or not _terms_only(part):
            continue
        common = tuple(p for p in part.parts if shares.get(p.token, 0.0) >= SPLIT_SHARE)
        rare = tuple(p for p in part.parts if p not in common)
        if common and rare:
            rest = (*indexed[:i], *indexed[i + 1 :])
            return [All((*rest, Any_(rare))), All((*rest, Any_(common)))], checked
    return [All(tuple(indexed))], checked


def backend():
    return PostgresTsvector() if connection.vendor == "postgresql" else SqliteFts5()

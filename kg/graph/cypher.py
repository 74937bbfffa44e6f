"""Every Cypher statement: the graph schema, writes, deletes, export, search and API reads.

Labels, relationship types and property keys are never free text: they are interpolated
by :func:`label`, :func:`rel_type` and :func:`prop` (or by builders taking the
:class:`~kg.rdf.ontology.Ontology`), which refuse anything outside the ontology's allow-list.
Values always travel as parameters. Writes are batched with ``UNWIND $rows``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kg.core.identity import entity_iri
from kg.rdf.ontology import ClassSpec, Ontology, RelationshipSpec, load_ontology

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

# --------------------------------------------------------------------------- allow-list


def _allowed(kind: str, name: str, allowed: Collection[str]) -> str:
    # Interpolated names come only from the ontology, and must be plain identifiers.
    if name not in allowed or not _IDENTIFIER.match(name):
        raise ValueError(f"{kind} {name!r} is not in the ontology allow-list")
    return name


def label(name: str, ontology: Ontology | None = None) -> str:
    """A node label for interpolation; it must be in the ontology.

    Raises:
        ValueError: the label is not an ontology class.
    """
    return _allowed("label", name, (ontology or load_ontology()).node_labels)


def rel_type(name: str, ontology: Ontology | None = None) -> str:
    """A relationship type for interpolation; it must be in the ontology.

    Raises:
        ValueError: the type is not an ontology object property.
    """
    return _allowed("relationship type", name, (ontology or load_ontology()).relationship_types)


def prop(key: str, ontology: Ontology | None = None) -> str:
    """A node property key for interpolation; it must be in the ontology.

    Raises:
        ValueError: the key is not an ontology property.
    """
    onto = ontology or load_ontology()
    known = set(onto.property_by_key) | {
        spec.class_name_key for spec in onto.classes.values() if spec.class_name_key
    }
    return _allowed("property key", key, known)


def relationship_types_between(
    start_labels: Collection[str], end_labels: Collection[str], ontology: Ontology | None = None
) -> tuple[str, ...]:
    """The ontology's relationship types from a node of one of ``start_labels`` to a node of
    one of ``end_labels`` (top labels), sorted.

    Sets of relationships are derived here rather than listed by hand, so a relationship
    added to the ontology is walked by every query that should walk it.
    """
    onto = ontology or load_ontology()
    return tuple(
        sorted(
            rel_type(spec.type, onto)
            for spec in onto.relationships.values()
            if spec.start_label in start_labels and spec.end_label in end_labels
        )
    )


def fulltext_index(label_name: str, ontology: Ontology | None = None) -> str:
    """The name of the ontology's fulltext index over nodes of a label.

    Raises:
        ValueError: the ontology declares no fulltext index (or several) on that label.
    """
    onto = ontology or load_ontology()
    names = [index.name for index in onto.fulltext_indexes if label_name in index.labels]
    if len(names) != 1 or not _IDENTIFIER.match(names[0]):
        raise ValueError(f"no single fulltext index on {label_name!r}: {names}")
    return names[0]


def _labels(spec: ClassSpec, ontology: Ontology) -> str:
    return "".join(f":{label(name, ontology)}" for name in spec.labels)


def _string_literal(text: str) -> str:
    if "'" in text or "\\" in text:
        raise ValueError(f"refusing to inline {text!r} as a Cypher string")
    return f"'{text}'"


# --------------------------------------------------------------------------- schema


def constraint_statements(ontology: Ontology) -> list[str]:
    """``CREATE CONSTRAINT ... IF NOT EXISTS`` for every uniqueness constraint."""
    return [
        f"CREATE CONSTRAINT {name.lower()}_{key.lower()}_unique IF NOT EXISTS "
        f"FOR (n:{label(name, ontology)}) REQUIRE n.{prop(key, ontology)} IS UNIQUE"
        for name, key in ontology.uniqueness_constraints
    ]


def fulltext_index_statements(ontology: Ontology) -> list[str]:
    """``CREATE FULLTEXT INDEX ... IF NOT EXISTS`` for every fulltext index."""
    statements = []
    for index in ontology.fulltext_indexes:
        if not _IDENTIFIER.match(index.name):
            raise ValueError(f"bad fulltext index name {index.name!r}")
        labels = "|".join(label(name, ontology) for name in index.labels)
        props = ", ".join(f"n.{prop(key, ontology)}" for key in index.properties)
        statements.append(
            f"CREATE FULLTEXT INDEX {index.name} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}]"
        )
    return statements


AWAIT_INDEXES = "CALL db.awaitIndexes($timeout_seconds)"

# --------------------------------------------------------------------------- writes


def merge_nodes_query(spec: ClassSpec, ontology: Ontology) -> str:
    """MERGE a batch of nodes of one class on ``id``.

    Parameters: ``$rows``, a list of ``{id, iri, props}``. Returns ``written`` (row count).

    Nodes of classes shared across articles (entities) keep the scalars of their first
    write unless those are null, union their list properties, keep their first class
    labels, and get store-derived properties (``aliasText``) recomputed. Other nodes are
    replaced by the new row.
    """
    top = label(spec.top_label, ontology)
    id_key, iri_key = prop(ontology.id_key, ontology), prop(ontology.iri_key, ontology)
    head = f"UNWIND $rows AS row\nMERGE (n:{top} {{{id_key}: row.id}})\n"
    if not spec.shared:
        return (
            head + f"SET n = row.props, n.{id_key} = row.id, n.{iri_key} = row.iri\n"
            f"SET n{_labels(spec, ontology)}\n"
            "RETURN count(n) AS written"
        )
    lines = [
        head.rstrip("\n"),
        # A fresh node has only its top label; an existing one keeps the class it was
        # first written with.
        "WITH n, row, properties(n) AS old, size(labels(n)) = 1 AS created",
        "SET n += row.props",
        "SET n += old",
        f"SET n.{iri_key} = row.iri",
    ]
    for p in ontology.properties_of(spec.label):
        if p.multi_valued:
            key = prop(p.key, ontology)
            lines.append(
                f"SET n.{key} = reduce(acc = coalesce(old.{key}, []), "
                f"v IN coalesce(row.props.{key}, []) | "
                "CASE WHEN v IN acc THEN acc ELSE acc + v END)"
            )
    for join in ontology.derived_joins:
        if join.label in spec.labels:
            key, scalar, listed = (
                prop(join.key, ontology),
                prop(join.scalar_key, ontology),
                prop(join.list_key, ontology),
            )
            sep = _string_literal(join.separator)
            lines.append(
                f"SET n.{key} = reduce(s = coalesce(n.{scalar}, ''), "
                f"v IN coalesce(n.{listed}, []) | s + {sep} + v)"
            )
    lines.append(
        f"FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | SET n{_labels(spec, ontology)})"
    )
    lines.append("RETURN count(n) AS written")
    return "\n".join(lines)


def merge_relationships_query(rel: RelationshipSpec, ontology: Ontology) -> str:
    """MERGE a batch of relationships of one type between existing nodes.

    Parameters: ``$rows``, a list of ``{start, end}`` ids. Returns ``written``: rows whose
    two ends exist (the store checks it equals the batch size).
    """
    start = label(rel.start_label, ontology)
    end = label(rel.end_label, ontology)
    id_key = prop(ontology.id_key, ontology)
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{start} {{{id_key}: row.start}})\n"
        f"MATCH (b:{end} {{{id_key}: row.end}})\n"
        f"MERGE (a)-[:{rel_type(rel.type, ontology)}]->(b)\n"
        "RETURN count(*) AS written"
    )


# --------------------------------------------------------------------------- articles

ARTICLE_EXISTS = f"MATCH (a:{label('Article')} {{id: $id}}) RETURN a.id AS id"
"""Parameters: ``$id``. One row when the article exists."""


def _delete_article_query() -> str:
    article, passage, action = label("Article"), label("Passage"), label("Action")
    entity, role = label("Entity"), label("Role")
    has_passage, reported_in = rel_type("HAS_PASSAGE"), rel_type("REPORTED_IN")
    mentions, holds_role = rel_type("MENTIONS"), rel_type("HOLDS_ROLE")
    stated_in = rel_type("STATED_IN")
    entity_links = "|".join(relationship_types_between({"Passage", "Action"}, {"Entity"}))
    return f"""
MATCH (a:{article} {{id: $id}})
OPTIONAL MATCH (a)-[:{has_passage}]->(p:{passage})
WITH a, collect(DISTINCT p) AS passages
OPTIONAL MATCH (x:{action})-[:{reported_in}]->(a)
WITH a, passages, collect(DISTINCT x) AS actions
OPTIONAL MATCH (r:{role})-[:{stated_in}]->(a)
WITH a, passages, actions, collect(DISTINCT r) AS stated_roles
CALL (passages, actions) {{
    UNWIND passages + actions AS source
    MATCH (source)-[:{entity_links}]->(e:{entity})
    RETURN collect(DISTINCT e) AS candidates
}}
WITH a, passages, actions, stated_roles, candidates, [p IN passages | p.id] AS passage_ids
FOREACH (n IN actions + passages | DETACH DELETE n)
DETACH DELETE a
WITH passage_ids, size(passages) + size(actions) + 1 AS removed, candidates, stated_roles
CALL (stated_roles) {{
    UNWIND stated_roles AS r
    WITH r
    WHERE NOT EXISTS {{ (r)-[:{stated_in}]->(:{article}) }}
    DETACH DELETE r
    RETURN count(*) AS unstated
}}
WITH passage_ids, removed + unstated AS removed, candidates
CALL (candidates) {{
    UNWIND candidates AS e
    WITH e
    WHERE NOT EXISTS {{ (:{passage})-[:{mentions}]->(e) }}
      AND NOT EXISTS {{ (:{action})-[:{entity_links}]->(e) }}
    OPTIONAL MATCH (e)-[:{holds_role}]->(r:{role})
    WITH e, e.id AS entity_id, collect(r) AS roles
    FOREACH (r IN roles | DETACH DELETE r)
    DETACH DELETE e
    RETURN collect(entity_id) AS entity_ids, count(entity_id) + sum(size(roles)) AS orphans
}}
RETURN passage_ids, entity_ids, removed + orphans AS nodes_removed
""".strip()


DELETE_ARTICLE = _delete_article_query()
"""Delete an article, its passages and actions, the roles no other article states, then
the entities no passage or action mentions any more (with the roles they hold).

Parameters: ``$id``. Returns one row ``{passage_ids, entity_ids, nodes_removed}``, or no
row when the article does not exist.
"""

# --------------------------------------------------------------------------- entities

_ENTITY_KEY_PREFIX = entity_iri("")

ENTITIES_BY_ALIAS = f"""
WITH [name IN $names | toLower(name)] AS wanted
MATCH (e:{label("Entity")})
WHERE toLower(e.name) IN wanted
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) IN wanted)
   OR (e:{label("Person")}
       AND any(w IN wanted WHERE NOT w CONTAINS ' ' AND toLower(e.name) ENDS WITH ' ' + w))
RETURN e.id AS id,
       substring(e.iri, {len(_ENTITY_KEY_PREFIX)}) AS key,
       e.name AS name,
       e.type AS type,
       coalesce(e.aliases, []) AS aliases
ORDER BY key
""".strip()
"""Entities whose name or an alias equals one of ``$names``, case-insensitively, and the
persons whose last name is one of the single-word names, for resolving new mentions to
entities seen in earlier articles ("Petro" -> "Gustavo Petro").

Returns ``{id, key, name, type, aliases}`` rows.
"""

# --------------------------------------------------------------------------- counts and export


def _count_nodes_query() -> str:
    onto = load_ontology()
    parts = [
        # Counting before naming the label: a constant in RETURN would be a grouping key,
        # and an empty label would then yield no row at all.
        f"MATCH (n:{label(name)}) WITH count(n) AS count RETURN '{name}' AS label, count"
        for name in sorted(onto.node_labels)
    ]
    return "\nUNION ALL\n".join(parts)


COUNT_NODES_BY_LABEL = _count_nodes_query()
"""One row ``{label, count}`` per ontology label (a node counts under each of its labels)."""


def _export_nodes_query() -> str:
    onto = load_ontology()
    parts = [
        f"MATCH (n:{label(name)}) "
        "RETURN n.id AS id, n.iri AS iri, labels(n) AS labels, properties(n) AS properties"
        for name in onto.top_labels
    ]
    return "\nUNION ALL\n".join(parts)


EXPORT_NODES = _export_nodes_query()
"""Every node of the ontology: ``{id, iri, labels, properties}``."""


def _export_relationships_query() -> str:
    onto = load_ontology()
    parts = []
    for name in sorted(onto.relationship_types):
        spec = onto.relationships[name]
        parts.append(
            f"MATCH (a:{label(spec.start_label)})-[:{rel_type(name)}]->"
            f"(b:{label(spec.end_label)}) "
            f"RETURN '{name}' AS type, a.id AS start_id, b.id AS end_id"
        )
    return "\nUNION ALL\n".join(parts)


EXPORT_RELATIONSHIPS = _export_relationships_query()
"""Every relationship of the ontology: ``{type, start_id, end_id}``."""

PING = "RETURN 1 AS ok"


# =========================================================================== shared read parts
# Labels and relationship types of the read queries below, checked against the ontology once.

_ARTICLE, _PASSAGE, _ACTION = label("Article"), label("Passage"), label("Action")
_ENTITY, _ROLE = label("Entity"), label("Role")
_HAS_PASSAGE, _MENTIONS = rel_type("HAS_PASSAGE"), rel_type("MENTIONS")
_EVIDENCED_BY, _REPORTED_IN = rel_type("EVIDENCED_BY"), rel_type("REPORTED_IN")
_HAS_ACTOR, _HAS_TARGET = rel_type("HAS_ACTOR"), rel_type("HAS_TARGET")
_HAS_PLACE, _ATTRIBUTED_TO = rel_type("HAS_PLACE"), rel_type("ATTRIBUTED_TO")
_HOLDS_ROLE, _ROLE_IN = rel_type("HOLDS_ROLE"), rel_type("ROLE_IN")

# Every relationship from an action to an entity it involves.
_ACTION_ENTITY_RELS = "|".join(relationship_types_between({"Action"}, {"Entity"}))
# The nodes through which two entities are linked (by neighbors and path), and the
# relationships, either way, between them and entities.
_LINK_LABELS = (_ACTION, _ROLE)
_ENTITY_LINK_RELS = "|".join(
    sorted(
        relationship_types_between(set(_LINK_LABELS), {"Entity"})
        + relationship_types_between({"Entity"}, set(_LINK_LABELS))
    )
)
# The relationships naming who acts and who is acted upon.
_ROLE_RELS = f"{_HAS_ACTOR}|{_HAS_TARGET}"

_ENTITY_NAMES_INDEX = _string_literal(fulltext_index("Entity"))
_PASSAGE_TEXT_INDEX = _string_literal(fulltext_index("Passage"))

TOP_LABELS: tuple[str, ...] = tuple(label(name) for name in load_ontology().top_labels)
"""The label every node of the ontology has exactly one of (``Entity``, ``Action``...)."""


# =========================================================================== search
# Read queries of hybrid search (kg/search/engine.py).

# BM25 over passage text, filtered by the article's publication date and a mentioned entity.
SEARCH_PASSAGES_FULLTEXT = f"""
CALL db.index.fulltext.queryNodes({_PASSAGE_TEXT_INDEX}, $q, {{limit: $limit}}) YIELD node, score
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(node)
WHERE ($from IS NULL OR a.published >= $from)
  AND ($to IS NULL OR a.published <= $to)
  AND ($entity IS NULL OR EXISTS {{ (node)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $entity}}) }})
  AND (size($types) = 0 OR EXISTS {{
        (act:{_ACTION})-[:{_EVIDENCED_BY}]->(node) WHERE act.type IN $types }})
RETURN node.id AS passage_id, a.id AS article_id, node.text AS text,
       node.start AS start, node.end AS end, node.index AS index, score
ORDER BY score DESC
"""

# Actions in which an entity plays a role (actor / target), with their evidence.
# $rels lists the relationship types that count (only the target one for "against X").
SEARCH_ENTITY_ACTIONS = f"""
MATCH (e:{_ENTITY} {{id: $entity}})<-[r:{_ROLE_RELS}]-(act:{_ACTION})
WHERE type(r) IN $rels
  AND (size($types) = 0 OR act.type IN $types)
OPTIONAL MATCH (act)-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
WITH e, r, act, p, a, coalesce(act.date, a.published) AS day
WHERE ($from IS NULL OR day >= $from)
  AND ($to IS NULL OR day <= $to)
  AND ($mention IS NULL OR EXISTS {{ (p)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $mention}}) }}
       OR EXISTS {{ (act)-[:{_ACTION_ENTITY_RELS}]->(:{_ENTITY} {{id: $mention}}) }})
RETURN act.id AS action_id, act.type AS type, type(r) AS rel, e.name AS entity_name,
       coalesce(act.confidence, 0.5) AS confidence, toString(day) AS day,
       p.id AS passage_id, p.index AS passage_index, p.text AS text,
       p.start AS start, p.end AS end, a.id AS article_id
ORDER BY confidence DESC, day DESC, action_id
LIMIT $limit
"""

# Passages that mention an entity (the graph retriever's fallback after action evidence).
SEARCH_ENTITY_PASSAGES = f"""
MATCH (e:{_ENTITY} {{id: $entity}})<-[:{_MENTIONS}]-(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
WHERE ($from IS NULL OR a.published >= $from)
  AND ($to IS NULL OR a.published <= $to)
  AND (size($types) = 0 OR EXISTS {{
        (act:{_ACTION})-[:{_EVIDENCED_BY}]->(p) WHERE act.type IN $types }})
  AND ($mention IS NULL OR EXISTS {{ (p)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $mention}}) }})
RETURN p.id AS passage_id, p.index AS passage_index, p.text AS text, p.start AS start,
       p.end AS end, a.id AS article_id, e.name AS entity_name
ORDER BY a.published DESC, p.index ASC
LIMIT $limit
"""

# Actions of given types (when the query names event words but no entity).
SEARCH_ACTIONS_OF_TYPES = f"""
MATCH (act:{_ACTION}) WHERE act.type IN $types
OPTIONAL MATCH (act)-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
WITH act, p, a, coalesce(act.date, a.published) AS day
WHERE ($from IS NULL OR day >= $from)
  AND ($to IS NULL OR day <= $to)
  AND ($mention IS NULL OR EXISTS {{ (p)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $mention}}) }}
       OR EXISTS {{ (act)-[:{_ACTION_ENTITY_RELS}]->(:{_ENTITY} {{id: $mention}}) }})
RETURN act.id AS action_id, act.type AS type, 'TYPE' AS rel, null AS entity_name,
       coalesce(act.confidence, 0.5) AS confidence, toString(day) AS day,
       p.id AS passage_id, p.index AS passage_index, p.text AS text,
       p.start AS start, p.end AS end, a.id AS article_id
ORDER BY confidence DESC, day DESC, action_id
LIMIT $limit
"""

# Keep only the passages evidencing an action of the given types (post-filter for vectors).
SEARCH_PASSAGES_WITH_ACTION_TYPES = f"""
MATCH (act:{_ACTION})-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})
WHERE p.id IN $ids AND act.type IN $types
RETURN DISTINCT p.id AS passage_id
"""

# Actions evidenced by given passages (the actions of a query naming no entity).
SEARCH_ACTIONS_OF_PASSAGES = f"""
MATCH (act:{_ACTION})-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
WHERE p.id IN $ids AND (size($types) = 0 OR act.type IN $types)
WITH act, p, coalesce(act.date, a.published) AS day
WHERE ($from IS NULL OR day >= $from) AND ($to IS NULL OR day <= $to)
RETURN act.id AS action_id, act.type AS type, p.id AS passage_id, p.index AS passage_index,
       coalesce(act.confidence, 0.5) AS confidence
"""

# The passages of given articles, with offsets (search evaluation, bench/eval_search.py).
SEARCH_ARTICLE_PASSAGES = f"""
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE}) WHERE a.id IN $ids
RETURN a.id AS article_id, p.id AS id, p.start AS start, p.end AS end
"""


# =========================================================================== API reads
# Read queries behind kg.graph.reads (the GraphQL API, REST hydration, entity resolution).
# Every batch query takes `$ids` and returns one row per id it found, so DataLoaders cost
# one round trip per batch.

_API_ENTITY_KEYS = ".id, .iri, .name, .type, .aliases, .wikidata"
_API_ENTITY_FIELDS = "{" + _API_ENTITY_KEYS + "}"
_API_ARTICLE_FIELDS = "{.id, .iri, .title, .published, .url, .source, .section}"
_API_PASSAGE_KEYS = ".id, .iri, .index, .text, .start, .end"
_API_PASSAGE_FIELDS = "{" + _API_PASSAGE_KEYS + "}"
# Actions carry the ids of their evidence passage and article, so one row is self-contained.
_API_ACTION_FIELDS = (
    "{.id, .iri, .type, .mode, .date, .dateText, .negated, .hypothetical, .future,"
    " .confidence, .trigger, .evidenceStart, .evidenceEnd, .evidenceText, .actorTexts,"
    " .targetTexts, .actorCodes, .targetCodes,"
    f" passageId: head([(x)-[:{_EVIDENCED_BY}]->(ev:{_PASSAGE}) | ev.id]),"
    f" articleId: head([(x)-[:{_REPORTED_IN}]->(src:{_ARTICLE}) | src.id])}}"
)

READ_ENTITIES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
RETURN e {_API_ENTITY_FIELDS} AS entity
"""

READ_ARTICLES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE} {{id: id}})
RETURN a {_API_ARTICLE_FIELDS} AS article
"""

READ_PASSAGES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE} {{id: id}})
RETURN p {_API_PASSAGE_FIELDS} AS passage, a.id AS article_id
"""

READ_ACTIONS_BY_IDS = f"""
UNWIND $ids AS id
MATCH (x:{_ACTION} {{id: id}})
RETURN x {_API_ACTION_FIELDS} AS action
"""

READ_ACTION_PARTICIPANTS_BY_IDS = f"""
UNWIND $ids AS id
MATCH (x:{_ACTION} {{id: id}})
RETURN id AS action_id,
       [(x)-[:{_HAS_ACTOR}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}] AS actors,
       [(x)-[:{_HAS_TARGET}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}] AS targets,
       [(x)-[:{_HAS_PLACE}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}] AS places,
       [(x)-[:{_ATTRIBUTED_TO}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}] AS sources
"""

READ_ROLES_BY_HOLDER_IDS = f"""
UNWIND $ids AS id
MATCH (h:{_ENTITY} {{id: id}})-[:{_HOLDS_ROLE}]->(r:{_ROLE})
RETURN id AS holder_id, r.id AS role_id, r.title AS title,
       head([(r)-[:{_ROLE_IN}]->(o:{_ENTITY}) | o {_API_ENTITY_FIELDS}]) AS organization
ORDER BY holder_id, title, role_id
"""

# $rels: the relationship types that count (the actor one, the target one or both).
READ_ACTIONS_BY_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
OPTIONAL MATCH (x:{_ACTION})-[r:{_ROLE_RELS}]->(e) WHERE type(r) IN $rels
WITH id, x ORDER BY x.date IS NULL, x.date DESC, x.id
WITH id, collect(DISTINCT x) AS xs
RETURN id AS entity_id, size(xs) AS total,
       [x IN xs[$skip..$skip + $limit] | x {_API_ACTION_FIELDS}] AS actions
"""

READ_MENTIONS_BY_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
OPTIONAL MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE})-[:{_MENTIONS}]->(e)
WITH id, a, p ORDER BY a.published IS NULL, a.published DESC, a.id, p.index
WITH id, collect(p {{{_API_PASSAGE_KEYS}, articleId: a.id}}) AS ps
RETURN id AS entity_id, ps[..$limit] AS passages
"""

READ_RELATED_BY_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
OPTIONAL MATCH (e)<-[:{_ACTION_ENTITY_RELS}]-(x:{_ACTION})-[:{_ACTION_ENTITY_RELS}]->(n:{_ENTITY})
WHERE n <> e
WITH id, n, count(DISTINCT x) AS shared ORDER BY shared DESC, n.name, n.id
WITH id, collect(n {{{_API_ENTITY_KEYS}, shared: shared}}) AS related
RETURN id AS entity_id, related[..$limit] AS related
"""

READ_PASSAGES_BY_ARTICLE_IDS = f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE} {{id: id}})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE})
RETURN id AS article_id, p {_API_PASSAGE_FIELDS} AS passage
ORDER BY article_id, p.index
"""

READ_ENTITIES_BY_ARTICLE_IDS = f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE} {{id: id}})-[:{_HAS_PASSAGE}]->(:{_PASSAGE})-[:{_MENTIONS}]->(e:{_ENTITY})
WITH id, e, count(*) AS mentions ORDER BY mentions DESC, e.name, e.id
RETURN id AS article_id, e {_API_ENTITY_FIELDS} AS entity
"""

READ_ACTIONS_BY_ARTICLE_IDS = f"""
UNWIND $ids AS id
MATCH (x:{_ACTION})-[:{_REPORTED_IN}]->(a:{_ARTICLE} {{id: id}})
WITH id, x ORDER BY x.evidenceStart, x.id
RETURN id AS article_id, x {_API_ACTION_FIELDS} AS action
"""

READ_ENTITIES_PAGE = f"""
MATCH (e:{_ENTITY})
WHERE $type IS NULL OR $type IN labels(e)
WITH e ORDER BY toLower(e.name), e.id
WITH collect(e) AS es
RETURN size(es) AS total, [e IN es[$skip..$skip + $limit] | e {_API_ENTITY_FIELDS}] AS items
"""

READ_ENTITIES_SEARCH_PAGE = f"""
CALL db.index.fulltext.queryNodes({_ENTITY_NAMES_INDEX}, $lucene) YIELD node AS e, score
WHERE $type IS NULL OR $type IN labels(e)
WITH e, score ORDER BY score DESC, e.id
WITH collect(e) AS es
RETURN size(es) AS total, [e IN es[$skip..$skip + $limit] | e {_API_ENTITY_FIELDS}] AS items
"""

# The entity a key denotes: its id, else its name, else one of its aliases (compared
# case-insensitively; $name is the lower-cased key); the most mentioned wins a tie.
READ_ENTITY_BY_KEY = f"""
MATCH (e:{_ENTITY})
WHERE e.id = $key OR toLower(e.name) = $name
   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = $name)
RETURN e {_API_ENTITY_FIELDS} AS entity
ORDER BY CASE WHEN e.id = $key THEN 0 WHEN toLower(e.name) = $name THEN 1 ELSE 2 END,
         COUNT {{ (e)<-[:{_MENTIONS}]-(:{_PASSAGE}) }} DESC, e.id
LIMIT 1
"""

# Entities whose name or aliases match a Lucene query, best first, with their score.
READ_ENTITIES_BY_FULLTEXT = f"""
CALL db.index.fulltext.queryNodes({_ENTITY_NAMES_INDEX}, $lucene, {{limit: $limit}})
YIELD node AS e, score
RETURN e {_API_ENTITY_FIELDS} AS entity, score
ORDER BY score DESC, e.id
"""

# $actor_ids / $target_ids: null to ignore, else the action needs one of them in that role.
READ_ACTIONS_PAGE = f"""
MATCH (x:{_ACTION})
WHERE ($types IS NULL OR x.type IN $types)
  AND ($from IS NULL OR x.date >= $from)
  AND ($to IS NULL OR x.date <= $to)
  AND ($actor_ids IS NULL
       OR EXISTS {{ MATCH (x)-[:{_HAS_ACTOR}]->(a:{_ENTITY}) WHERE a.id IN $actor_ids }})
  AND ($target_ids IS NULL
       OR EXISTS {{ MATCH (x)-[:{_HAS_TARGET}]->(t:{_ENTITY}) WHERE t.id IN $target_ids }})
  AND ($actor_code IS NULL
       OR any(c IN coalesce(x.actorCodes, []) WHERE c STARTS WITH $actor_code))
  AND ($target_code IS NULL
       OR any(c IN coalesce(x.targetCodes, []) WHERE c STARTS WITH $target_code))
  AND ($actor_sector IS NULL
       OR any(c IN coalesce(x.actorCodes, [])
              WHERE c STARTS WITH $actor_sector OR substring(c, 3, 3) = $actor_sector))
WITH x ORDER BY x.date IS NULL, x.date DESC, x.id
WITH collect(x) AS xs
RETURN size(xs) AS total, [x IN xs[$skip..$skip + $limit] | x {_API_ACTION_FIELDS}] AS items
"""

READ_ARTICLES_PAGE = f"""
MATCH (a:{_ARTICLE})
WHERE ($from IS NULL OR a.published >= $from) AND ($to IS NULL OR a.published <= $to)
WITH a ORDER BY a.published IS NULL, a.published DESC, a.id
WITH collect(a) AS xs
RETURN size(xs) AS total, [a IN xs[$skip..$skip + $limit] | a {_API_ARTICLE_FIELDS}] AS items
"""

# One breadth-first step: entities one action or role away from the frontier.
READ_NEIGHBOR_STEP = f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})-[:{_ENTITY_LINK_RELS}]-(link)-[:{_ENTITY_LINK_RELS}]-(n:{_ENTITY})
WHERE NOT n.id IN $visited AND ({" OR ".join(f"link:{name}" for name in _LINK_LABELS)})
WITH n, count(DISTINCT link) AS links
RETURN n {_API_ENTITY_FIELDS} AS entity, links
ORDER BY links DESC, n.name, n.id
LIMIT $limit
"""


def _api_path_query(max_rels: int) -> str:
    # shortestPath bounds must be literals, hence one query per allowed length.
    return f"""
MATCH (a:{_ENTITY} {{id: $from_id}}), (b:{_ENTITY} {{id: $to_id}})
MATCH p = shortestPath((a)-[:{_ENTITY_LINK_RELS}*..{max_rels}]-(b))
RETURN [n IN nodes(p) | {{id: n.id, labels: labels(n), name: coalesce(n.name, n.title, n.type),
                         type: n.type}}] AS nodes,
       [r IN relationships(p) | {{type: type(r), start: startNode(r).id, end: endNode(r).id}}]
         AS relationships
"""


# Keyed by the maximum number of entity-to-entity hops (two relationships each).
READ_SHORTEST_PATH = {hops: _api_path_query(2 * hops) for hops in range(1, 5)}

READ_EXISTING_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
RETURN e.id AS id
"""
"""Parameters: ``$ids``. One row ``{id}`` per id that is an entity's."""

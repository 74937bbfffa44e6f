"""The write Cypher behind :class:`kg.graph.writes.Neo4jArticleWriter`.

Node and relationship merges are batched with ``UNWIND $rows`` and built per ontology class
or relationship type. Everything is built on call (cached where it takes no argument), so
importing this module parses no ontology.
"""

from __future__ import annotations

from functools import cache

from kg.graph.schema import (
    label,
    labels_of,
    prop,
    rel_type,
    relationship_types_between,
    string_literal,
)
from kg.rdf.ontology import Ontology
from kg.rdf.specs import ClassSpec, RelationshipSpec

# --------------------------------------------------------------------------- merges


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
            f"SET n{labels_of(spec, ontology)}\n"
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
            sep = string_literal(join.separator)
            lines.append(
                f"SET n.{key} = reduce(s = coalesce(n.{scalar}, ''), "
                f"v IN coalesce(n.{listed}, []) | s + {sep} + v)"
            )
    lines.append(
        f"FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | SET n{labels_of(spec, ontology)})"
    )
    lines.append("RETURN count(n) AS written")
    return "\n".join(lines)


def merge_relationships_query(rel: RelationshipSpec, ontology: Ontology) -> str:
    """MERGE a batch of relationships of one type between existing nodes.

    Parameters: ``$rows``, a list of ``{start, end}`` ids. Returns ``written``: rows whose
    two ends exist (the writer checks it equals the batch size).
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


@cache
def article_exists() -> str:
    """Parameters: ``$id``. One row ``{id}`` when the article exists."""
    return f"MATCH (a:{label('Article')} {{id: $id}}) RETURN a.id AS id"


@cache
def claim_article() -> str:
    """MERGE the article node and take its write lock; say whether it was stored before.

    Parameters: ``$id``. Returns one row ``{existed}``.

    Setting a property takes the node's exclusive lock even when the value does not change,
    so a second writer of the same article waits here until the first commits; and MERGE
    on a uniquely constrained key waits for a concurrent creation of the same node. A node
    created by this statement has no IRI yet (every stored article has one).
    """
    article = label("Article")
    return (
        f"MERGE (a:{article} {{{prop('id')}: $id}})\n"
        f"SET a.{prop('id')} = $id\n"
        f"RETURN a.{prop('iri')} IS NOT NULL AS existed"
    )


@cache
def existing_articles() -> str:
    """Parameters: ``$ids``. One row ``{id}`` per stored article among them."""
    return f"UNWIND $ids AS id MATCH (a:{label('Article')} {{id: id}}) RETURN a.id AS id"


@cache
def claim_articles() -> str:
    """:func:`claim_article` for many: parameters ``$ids`` (sorted, so concurrent batches
    lock in one order); one row ``{id, existed}`` per id."""
    article = label("Article")
    return (
        "UNWIND $ids AS id\n"
        f"MERGE (a:{article} {{{prop('id')}: id}})\n"
        f"SET a.{prop('id')} = id\n"
        f"RETURN id, a.{prop('iri')} IS NOT NULL AS existed"
    )


@cache
def lock_article() -> str:
    """Take the article's write lock. Parameters: ``$id``. One row when it exists."""
    return f"MATCH (a:{label('Article')} {{id: $id}})\nSET a.id = $id\nRETURN a.id AS id"


def _remove_article_query(*, keep_article: bool) -> str:
    article, passage, action = label("Article"), label("Passage"), label("Action")
    entity, role = label("Entity"), label("Role")
    has_passage, reported_in = rel_type("HAS_PASSAGE"), rel_type("REPORTED_IN")
    mentions, holds_role = rel_type("MENTIONS"), rel_type("HOLDS_ROLE")
    stated_in = rel_type("STATED_IN")
    entity_links = "|".join(relationship_types_between({"Passage", "Action"}, {"Entity"}))
    if keep_article:
        # The node stays (and keeps the lock this transaction holds on it); only what hangs
        # off it goes, so the roles it stated can be checked for other articles below.
        drop_article = "WITH *\nCALL (a) {\n    MATCH (a)-[link]-()\n    DELETE link\n}"
        article_count = 0
    else:
        drop_article = "DETACH DELETE a"
        article_count = 1
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
{drop_article}
WITH passage_ids, size(passages) + size(actions) + {article_count} AS removed, candidates,
     stated_roles
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


@cache
def delete_article() -> str:
    """Delete an article, its passages and actions, the roles no other article states, then
    the entities no passage or action mentions any more (with the roles they hold).

    Parameters: ``$id``. Returns one row ``{passage_ids, entity_ids, nodes_removed}``, or no
    row when the article does not exist.
    """
    return _remove_article_query(keep_article=False)


@cache
def clear_article() -> str:
    """Like :func:`delete_article`, but the article node itself stays (without any
    relationship), for a re-ingest to overwrite in the same transaction.

    Parameters: ``$id``. Returns ``{passage_ids, entity_ids, nodes_removed}`` (the article
    not counted), or no row when the article does not exist.
    """
    return _remove_article_query(keep_article=True)

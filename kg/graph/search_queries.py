"""The read Cypher of hybrid search (:mod:`kg.search.engine`), by name.

The names are module attributes (``search_queries.SEARCH_PASSAGES_FULLTEXT``), but their
text is built on first access (PEP 562 ``__getattr__``), so importing this module parses no
ontology. Labels and relationship types come from :func:`kg.graph.schema.vocabulary`, i.e.
from the ontology's allow-list; values always travel as parameters.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kg.graph.schema import vocabulary

__all__ = [
    "SEARCH_PASSAGES_FULLTEXT",
    "SEARCH_ENTITY_ACTIONS",
    "SEARCH_ENTITY_PASSAGES",
    "SEARCH_ACTIONS_OF_TYPES",
    "SEARCH_PASSAGES_WITH_ACTION_TYPES",
    "SEARCH_ACTIONS_OF_PASSAGES",
    "SEARCH_ARTICLE_PASSAGES",
]

if TYPE_CHECKING:
    # Declared for type checkers; the values come from __getattr__ below.
    SEARCH_PASSAGES_FULLTEXT: str
    SEARCH_ENTITY_ACTIONS: str
    SEARCH_ENTITY_PASSAGES: str
    SEARCH_ACTIONS_OF_TYPES: str
    SEARCH_PASSAGES_WITH_ACTION_TYPES: str
    SEARCH_ACTIONS_OF_PASSAGES: str
    SEARCH_ARTICLE_PASSAGES: str


@cache
def _queries() -> dict[str, str]:
    v = vocabulary()
    # Local names spelt like the module constants they replaced, so the query text reads
    # (and diffs) as it did; each is a label or type checked against the allow-list.
    _ARTICLE, _PASSAGE, _ACTION, _ENTITY = v.article, v.passage, v.action, v.entity
    _HAS_PASSAGE, _MENTIONS, _EVIDENCED_BY = v.has_passage, v.mentions, v.evidenced_by
    _ROLE_RELS, _ACTION_ENTITY_RELS = v.role_rels, v.action_entity_rels
    _PASSAGE_TEXT_INDEX = v.passage_text_index
    return {
        # BM25 over passage text, filtered by the article's publication date and a mentioned entity.
        "SEARCH_PASSAGES_FULLTEXT": f"""
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
""",
        # Actions in which an entity plays a role (actor / target), with their evidence.
        # $rels lists the relationship types that count (only the target one for "against X").
        "SEARCH_ENTITY_ACTIONS": f"""
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
""",
        # Passages that mention an entity (the graph retriever's fallback after action evidence).
        "SEARCH_ENTITY_PASSAGES": f"""
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
""",
        # Actions of given types (when the query names event words but no entity).
        "SEARCH_ACTIONS_OF_TYPES": f"""
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
""",
        # Keep only the passages evidencing an action of the given types (post-filter for vectors).
        "SEARCH_PASSAGES_WITH_ACTION_TYPES": f"""
MATCH (act:{_ACTION})-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})
WHERE p.id IN $ids AND act.type IN $types
RETURN DISTINCT p.id AS passage_id
""",
        # Actions evidenced by given passages (the actions of a query naming no entity).
        "SEARCH_ACTIONS_OF_PASSAGES": f"""
MATCH (act:{_ACTION})-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
WHERE p.id IN $ids AND (size($types) = 0 OR act.type IN $types)
WITH act, p, coalesce(act.date, a.published) AS day
WHERE ($from IS NULL OR day >= $from) AND ($to IS NULL OR day <= $to)
RETURN act.id AS action_id, act.type AS type, p.id AS passage_id, p.index AS passage_index,
       coalesce(act.confidence, 0.5) AS confidence
""",
        # The passages of given articles, with offsets (search evaluation, bench/eval_search.py).
        "SEARCH_ARTICLE_PASSAGES": f"""
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE}) WHERE a.id IN $ids
RETURN a.id AS article_id, p.id AS id, p.start AS start, p.end AS end
""",
    }


def __getattr__(name: str) -> str:
    """``SEARCH_*``: the query's text, built (once) on first access."""
    queries = _queries()
    if name in queries:
        return queries[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

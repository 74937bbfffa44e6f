"""The Cypher of hybrid search, behind :class:`kg.graph.search_graph.Neo4jSearchGraph`.

Labels and relationship types come from :mod:`kg.graph.schema` (the ontology's allow-list);
values travel as parameters. Every passage a query returns comes with the same columns, so
the adapter reads every passage row one way. The names are module attributes
(``search_queries.SEARCH_PASSAGES_FULLTEXT``) whose text is built on first access (PEP 562
``__getattr__``), so importing this module parses no ontology.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from kg.graph.event_queries import event_cypher
from kg.graph.read_queries import read_cypher
from kg.graph.schema import fulltext_index, label, rel_type, relationship_types_between

__all__ = [
    "SEARCH_PASSAGES_FULLTEXT",
    "SEARCH_ENTITY_EVIDENCE",
    "SEARCH_ACTIONS_OF_TYPES",
    "SEARCH_PASSAGES_WITH_ACTION_TYPES",
    "SEARCH_ACTIONS_OF_PASSAGES",
    "SEARCH_ARTICLE_PASSAGES",
    "SEARCH_ENTITIES_BY_FULLTEXT",
    "SEARCH_PASSAGE_ROLES",
    "SEARCH_COPY_ARTICLES",
    "SEARCH_PASSAGE_CONTEXT",
    "SEARCH_EVIDENCE_CONTEXT",
]

if TYPE_CHECKING:
    # Declared for type checkers; the values come from __getattr__ below.
    SEARCH_PASSAGES_FULLTEXT: str
    SEARCH_ENTITY_EVIDENCE: str
    SEARCH_ACTIONS_OF_TYPES: str
    SEARCH_PASSAGES_WITH_ACTION_TYPES: str
    SEARCH_ACTIONS_OF_PASSAGES: str
    SEARCH_ARTICLE_PASSAGES: str
    SEARCH_ENTITIES_BY_FULLTEXT: str
    SEARCH_PASSAGE_ROLES: str
    SEARCH_COPY_ARTICLES: str
    SEARCH_PASSAGE_CONTEXT: str
    SEARCH_EVIDENCE_CONTEXT: str
    ROLE_RELS: dict[str, tuple[str, ...]]


def _quoted(name: str) -> str:
    # Index names come from the ontology and are checked identifiers; quote them for Cypher.
    return f"'{name}'"


def _passage_map(p: str, a: str) -> str:
    # The passage columns below as map entries (for rows collected into a list).
    return (
        f"passage_id: {p}.id, passage_iri: {p}.iri, passage_index: {p}.index, "
        f"text: {p}.text, start: {p}.start, end: {p}.end, article_id: {a}.id"
    )


def _passage_columns(p: str, a: str) -> str:
    return (
        f"{p}.id AS passage_id, {p}.iri AS passage_iri, {p}.index AS passage_index, "
        f"{p}.text AS text, {p}.start AS start, {p}.end AS end, {a}.id AS article_id"
    )


@cache
def _queries() -> dict[str, Any]:
    _ARTICLE, _PASSAGE, _ACTION = label("Article"), label("Passage"), label("Action")
    _ENTITY = label("Entity")
    _HAS_PASSAGE, _MENTIONS = rel_type("HAS_PASSAGE"), rel_type("MENTIONS")
    _EVIDENCED_BY = rel_type("EVIDENCED_BY")
    _HAS_ACTOR, _HAS_TARGET = rel_type("HAS_ACTOR"), rel_type("HAS_TARGET")
    _REPORTED_IN, _DUPLICATE_OF = rel_type("REPORTED_IN"), rel_type("DUPLICATE_OF")

    # $duplicates (include them) or the article is no near-duplicate copy of another. In
    # the query itself, not after it: the LIMIT then counts originals only.
    def _original(a: str) -> str:
        return f"($duplicates OR NOT EXISTS {{ ({a})-[:{_DUPLICATE_OF}]->(:{_ARTICLE}) }})"

    _ORIGINAL_ACTION = (
        f"($duplicates OR NOT EXISTS {{ (act)-[:{_REPORTED_IN}]->(:{_ARTICLE})"
        f"-[:{_DUPLICATE_OF}]->(:{_ARTICLE}) }})"
    )

    # Every relationship from an action to an entity it involves.
    _ACTION_ENTITY_RELS = "|".join(relationship_types_between({"Action"}, {"Entity"}))
    # The relationships naming who acts and who is acted upon.
    _ROLE_RELS = f"{_HAS_ACTOR}|{_HAS_TARGET}"

    ROLE_RELS = {
        "actor": (_HAS_ACTOR,),
        "target": (_HAS_TARGET,),
        "any": (_HAS_ACTOR, _HAS_TARGET),
    }
    # The relationship types through which an entity plays a role (the ``$rels`` parameter).

    _READS = read_cypher()
    _ENTITY_NAMES_INDEX = _quoted(fulltext_index("Entity"))
    _PASSAGE_TEXT_INDEX = _quoted(fulltext_index("Passage"))

    _PASSAGE_COLUMNS = _passage_columns("p", "a")

    # BM25 over passage text, filtered by the article's publication date and a mentioned entity.
    SEARCH_PASSAGES_FULLTEXT = f"""
CALL db.index.fulltext.queryNodes({_PASSAGE_TEXT_INDEX}, $q, {{limit: $limit}}) YIELD node, score
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(node)
WHERE ($from IS NULL OR a.published >= $from)
  AND ($to IS NULL OR a.published <= $to)
  AND ($entity IS NULL OR EXISTS {{ (node)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $entity}}) }})
  AND (size($types) = 0 OR EXISTS {{
        (act:{_ACTION})-[:{_EVIDENCED_BY}]->(node) WHERE act.type IN $types }})
  AND {_original("a")}
RETURN {_passage_columns("node", "a")}, score
ORDER BY score DESC
"""

    # For each of the query's entities ($asks: {entity, rels}, in order), in one round trip:
    # the actions in which it plays a role (actor / target; $rels lists the relationship
    # types that count, only the target one for "against X"), with their evidence, and the
    # passages that merely mention it (the graph retriever's fallback after the evidence).
    # An entity's actions (its mentions) are walked only when it plays a role in (is
    # mentioned by) at most $walk of them; the count is the node's degree, read without a
    # walk. A walk grows with the graph: "United States" acts in more than a thousand
    # actions, and is mentioned thousands of times, at 10,000 articles. Past $walk, only
    # the actions evidenced by (the passages) of $near are kept, the passages the text
    # retrievers found, looked up by the id index: the read then stays bounded however
    # large the graph grows.
    # Each list keeps the order and the limit it would have as a query of its own. Every
    # action comes as the action reads return it, with its participants: the ones shown
    # are among these, and need no read of their own.
    SEARCH_ENTITY_EVIDENCE = f"""
UNWIND range(0, size($asks) - 1) AS i
WITH i, $asks[i] AS ask
CALL (ask) {{
  MATCH (e:{_ENTITY} {{id: ask.entity}})
  WITH e, COUNT {{ (e)<-[:{_ROLE_RELS}]-() }} <= $walk AS walk
  CALL (e, walk) {{
    MATCH (e)<-[r:{_ROLE_RELS}]-(x:{_ACTION}) WHERE walk
    RETURN r, x
    UNION
    UNWIND CASE WHEN walk THEN [] ELSE $near END AS near
    // From the passage, not from e (which the planner prefers, and which walks e's roles).
    CALL (near) {{
      MATCH (:{_PASSAGE} {{id: near}})<-[:{_EVIDENCED_BY}]-(x:{_ACTION})-[r:{_ROLE_RELS}]->(o)
      RETURN r, x, o
    }}
    WITH r, x WHERE o = e
    RETURN r, x
  }}
  WITH r, x
  WHERE type(r) IN ask.rels
    AND (size($types) = 0 OR x.type IN $types)
    AND {_ORIGINAL_ACTION.replace("(act)", "(x)")}
  OPTIONAL MATCH (x)-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
  WITH r, x, p, a, coalesce(x.date, a.published) AS day
  WHERE ($from IS NULL OR day >= $from)
    AND ($to IS NULL OR day <= $to)
    AND ($mention IS NULL OR EXISTS {{ (p)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $mention}}) }}
         OR EXISTS {{ (x)-[:{_ACTION_ENTITY_RELS}]->(:{_ENTITY} {{id: $mention}}) }})
  WITH r, x, p, a, coalesce(x.confidence, 0.5) AS confidence, toString(day) AS day
  ORDER BY confidence DESC, day DESC, x.id
  LIMIT $action_limit
  RETURN collect({{action_id: x.id, type: x.type, rel: type(r), confidence: confidence,
                  {_passage_map("p", "a")},
                  action: {_READS.action_projection},
                  participants: {_READS.participants_projection},
                  event: CASE WHEN $events THEN {event_cypher().event_projection} END}})
         AS actions
}}
CALL (ask) {{
  MATCH (e:{_ENTITY} {{id: ask.entity}})
  WITH e, COUNT {{ (e)<-[:{_MENTIONS}]-() }} <= $walk AS walk
  CALL (e, walk) {{
    MATCH (e)<-[:{_MENTIONS}]-(p:{_PASSAGE}) WHERE walk
    RETURN p
    UNION
    UNWIND CASE WHEN walk THEN [] ELSE $near END AS near
    MATCH (p:{_PASSAGE} {{id: near}})-[:{_MENTIONS}]->(e)
    RETURN p
  }}
  MATCH (p)<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
  WHERE ($from IS NULL OR a.published >= $from)
    AND ($to IS NULL OR a.published <= $to)
    AND (size($types) = 0 OR EXISTS {{
          (act:{_ACTION})-[:{_EVIDENCED_BY}]->(p) WHERE act.type IN $types }})
    AND ($mention IS NULL OR EXISTS {{ (p)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $mention}}) }})
    AND {_original("a")}
  WITH p, a
  ORDER BY a.published DESC, p.index ASC
  LIMIT $passage_limit
  RETURN collect({{{_passage_map("p", "a")}}}) AS passages
}}
RETURN i, actions, passages
ORDER BY i
"""

    # Actions of given types (when the query names event words but no entity). As for an
    # entity's actions, the actions of the types are walked only when there are at most
    # $walk of them (counted on the type index, without reading them); past it, those
    # evidenced by the passages of $near.
    SEARCH_ACTIONS_OF_TYPES = f"""
MATCH (t:{_ACTION}) WHERE t.type IN $types
WITH count(t) <= $walk AS walk
CALL (walk) {{
  MATCH (act:{_ACTION}) WHERE walk AND act.type IN $types
  RETURN act
  UNION
  UNWIND CASE WHEN walk THEN [] ELSE $near END AS near
  MATCH (:{_PASSAGE} {{id: near}})<-[:{_EVIDENCED_BY}]-(act:{_ACTION})
  WHERE act.type IN $types
  RETURN act
}}
WITH act WHERE {_ORIGINAL_ACTION}
OPTIONAL MATCH (act)-[:{_EVIDENCED_BY}]->(p:{_PASSAGE})<-[:{_HAS_PASSAGE}]-(a:{_ARTICLE})
WITH act, p, a, coalesce(act.date, a.published) AS day
WHERE ($from IS NULL OR day >= $from)
  AND ($to IS NULL OR day <= $to)
  AND ($mention IS NULL OR EXISTS {{ (p)-[:{_MENTIONS}]->(:{_ENTITY} {{id: $mention}}) }}
       OR EXISTS {{ (act)-[:{_ACTION_ENTITY_RELS}]->(:{_ENTITY} {{id: $mention}}) }})
RETURN act.id AS action_id, act.type AS type, null AS rel, null AS entity_name,
       coalesce(act.confidence, 0.5) AS confidence, toString(day) AS day,
       {_PASSAGE_COLUMNS}
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
WHERE p.id IN $ids AND (size($types) = 0 OR act.type IN $types) AND {_original("a")}
WITH act, p, a, coalesce(act.date, a.published) AS day
WHERE ($from IS NULL OR day >= $from) AND ($to IS NULL OR day <= $to)
RETURN act.id AS action_id, act.type AS type, null AS rel,
       coalesce(act.confidence, 0.5) AS confidence, {_PASSAGE_COLUMNS}
"""

    # The passages of given articles, with offsets (search evaluation, bench/eval_search.py).
    SEARCH_ARTICLE_PASSAGES = f"""
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE}) WHERE a.id IN $ids
RETURN a.id AS article_id, p.id AS id, p.start AS start, p.end AS end
"""

    # Entities whose name or aliases match a Lucene query (query understanding's lookup).
    SEARCH_ENTITIES_BY_FULLTEXT = f"""
CALL db.index.fulltext.queryNodes({_ENTITY_NAMES_INDEX}, $lucene, {{limit: $limit}})
YIELD node AS e, score
RETURN e {{.id, .iri, .name, .type, .aliases, .wikidata}} AS entity, score
ORDER BY score DESC, e.id
"""
    # The parts given entities play in the actions given passages evidence (role consistency).
    # Starts from the passages (a page of ids, by the uniqueness index), whose few actions
    # are then checked: starting from the entities walked every action of "United States".
    SEARCH_PASSAGE_ROLES = f"""
MATCH (p:{_PASSAGE}) WHERE p.id IN $ids
CALL (p) {{
  MATCH (p)<-[:{_EVIDENCED_BY}]-(act:{_ACTION})-[r:{_ROLE_RELS}]->(e:{_ENTITY})
  WHERE e.id IN $entities
  RETURN act, r, e
}}
RETURN p.id AS passage_id, e.id AS entity_id, type(r) AS rel, act.id AS action_id,
       act.type AS type
"""
    # Passages by id (with their text only when $texts) with their articles (each once),
    # the parts given entities play in the actions each evidences (the role check's rows,
    # as SEARCH_PASSAGE_ROLES), and when $actions the actions each evidences in scope (as
    # SEARCH_ACTIONS_OF_PASSAGES, with their records, participants and events): what showing,
    # checking and ranking a search's candidates needs, in one round trip. From each
    # passage (by the id index) to its few actions, then to their entities. One row.
    _CONTEXT_BODY = f"""
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE} {{id: id}})
WITH a, p, CASE WHEN size($entities) = 0 THEN [] ELSE
       [(p)<-[:{_EVIDENCED_BY}]-(act:{_ACTION})-[r:{_ROLE_RELS}]->(e:{_ENTITY})
        WHERE e.id IN $entities
        | {{entity_id: e.id, rel: type(r), action_id: act.id, type: act.type}}]
     END AS roles,
     CASE WHEN NOT $actions THEN [] ELSE
       [(p)<-[:{_EVIDENCED_BY}]-(x:{_ACTION})
        WHERE (size($types) = 0 OR x.type IN $types) AND {_original("a")}
          AND ($from IS NULL OR coalesce(x.date, a.published) >= $from)
          AND ($to IS NULL OR coalesce(x.date, a.published) <= $to)
        | {{action_id: x.id, type: x.type, confidence: coalesce(x.confidence, 0.5),
            action: {_READS.action_projection},
            participants: {_READS.participants_projection},
            event: {event_cypher().event_projection}}}]
     END AS actions
RETURN collect({{id: p.id, article_id: a.id, roles: roles, actions: actions,
                 passage: CASE WHEN $texts THEN {_READS.passage_projection} END}}) AS passages,
       [x IN collect(DISTINCT a) | x {_READS.article_projection.removeprefix("a ")}] AS articles
"""
    SEARCH_PASSAGE_CONTEXT = f"UNWIND $ids AS id{_CONTEXT_BODY}"
    # SEARCH_ENTITY_EVIDENCE and, in the same round trip, SEARCH_PASSAGE_CONTEXT (without
    # texts or actions) of the passages it reached and of $ids (the fulltext retriever's):
    # the graph retriever's candidates come with their articles and the role check's rows,
    # so no read waits for it (one round trip fewer on a search's longest chain).
    SEARCH_EVIDENCE_CONTEXT = f"""
CALL () {{
{SEARCH_ENTITY_EVIDENCE}}}
WITH collect({{i: i, actions: actions, passages: passages}}) AS found
CALL (found) {{
  UNWIND reduce(ids = $ids, f IN found |
         ids + [x IN f.actions WHERE x.passage_id IS NOT NULL | x.passage_id]
             + [x IN f.passages | x.passage_id]) AS id
  WITH DISTINCT id{_CONTEXT_BODY}}}
RETURN found, passages, articles
"""
    # The near-duplicate copies (the vector retriever leaves their points out in Qdrant).
    # Walks the DUPLICATE_OF relationships (the type's lookup index), never the articles.
    SEARCH_COPY_ARTICLES = f"""
MATCH (c:{_ARTICLE})-[:{_DUPLICATE_OF}]->(:{_ARTICLE})
RETURN DISTINCT c.id AS article_id
"""
    return {
        "SEARCH_COPY_ARTICLES": SEARCH_COPY_ARTICLES,
        "SEARCH_PASSAGE_CONTEXT": SEARCH_PASSAGE_CONTEXT,
        "SEARCH_EVIDENCE_CONTEXT": SEARCH_EVIDENCE_CONTEXT,
        "SEARCH_PASSAGE_ROLES": SEARCH_PASSAGE_ROLES,
        "SEARCH_PASSAGES_FULLTEXT": SEARCH_PASSAGES_FULLTEXT,
        "SEARCH_ENTITY_EVIDENCE": SEARCH_ENTITY_EVIDENCE,
        "SEARCH_ACTIONS_OF_TYPES": SEARCH_ACTIONS_OF_TYPES,
        "SEARCH_PASSAGES_WITH_ACTION_TYPES": SEARCH_PASSAGES_WITH_ACTION_TYPES,
        "SEARCH_ACTIONS_OF_PASSAGES": SEARCH_ACTIONS_OF_PASSAGES,
        "SEARCH_ARTICLE_PASSAGES": SEARCH_ARTICLE_PASSAGES,
        "SEARCH_ENTITIES_BY_FULLTEXT": SEARCH_ENTITIES_BY_FULLTEXT,
        "ROLE_RELS": ROLE_RELS,
    }


def __getattr__(name: str) -> Any:
    try:
        return _queries()[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None

"""The read Cypher behind :class:`kg.graph.reads.Neo4jGraphReader` (the API's reads).

Every batch query takes ``$ids`` and returns one row per id it found, so the GraphQL
DataLoaders cost one round trip per batch. The text is built on first use by
:func:`read_cypher` (no ontology is parsed at import time); labels and relationship types
come from :func:`kg.graph.schema.vocabulary`, i.e. from the ontology's allow-list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.graph.schema import label, rel_type, vocabulary

MAX_PATH_HOPS = 4
"""The longest shortest path asked for, in entity-to-entity hops."""


@dataclass(frozen=True, slots=True)
class ReadCypher:
    """The read statements, one field per query."""

    entities_by_ids: str
    articles_by_ids: str
    passages_by_ids: str
    actions_by_ids: str
    action_participants_by_ids: str
    roles_by_holder_ids: str
    actions_by_entity_ids: str
    mentions_by_entity_ids: str
    related_by_entity_ids: str
    passages_by_article_ids: str
    entities_by_article_ids: str
    actions_by_article_ids: str
    entities_page: str
    entities_search_page: str
    entity_by_key: str
    entity_by_key_scan: str
    entities_by_fulltext: str
    actions_page: str
    articles_page: str
    neighbor_step: str
    existing_entity_ids: str
    action_projection: str
    """An action ``x`` as the action queries return it (a map), for other queries."""
    participants_projection: str
    """The entities action ``x`` involves, by role (a map of lists), for other queries."""
    article_projection: str
    """An article ``a`` as the article queries return it (a map), for other queries."""
    passage_projection: str
    """A passage ``p`` as the passage queries return it (a map), for other queries."""


@cache
def read_cypher() -> ReadCypher:
    """The read statements of the default ontology, built once."""
    v = vocabulary()
    # Local names spelt like the module constants they replaced, so the query text reads
    # (and diffs) as it did; each is a label or type checked against the allow-list.
    _ARTICLE, _PASSAGE, _ACTION = v.article, v.passage, v.action
    _ENTITY, _ROLE = v.entity, v.role
    _HAS_PASSAGE, _MENTIONS = v.has_passage, v.mentions
    _EVIDENCED_BY, _REPORTED_IN = v.evidenced_by, v.reported_in
    _HAS_ACTOR, _HAS_TARGET = v.has_actor, v.has_target
    _HAS_PLACE, _ATTRIBUTED_TO = v.has_place, v.attributed_to
    _HOLDS_ROLE, _ROLE_IN = v.holds_role, v.role_in
    _ACTION_ENTITY_RELS, _ENTITY_LINK_RELS = v.action_entity_rels, v.entity_link_rels
    _LINK_LABELS, _ROLE_RELS = v.link_labels, v.role_rels
    # Events and their reports (kg/graph/events.py), checked against the allow-list.
    _EVENT, _REPORTS = label("Event"), rel_type("REPORTS")
    _ENTITY_NAMES_INDEX = v.entity_names_index

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

    _participants = (
        f"{{actors: [(x)-[:{_HAS_ACTOR}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}],"
        f" targets: [(x)-[:{_HAS_TARGET}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}],"
        f" places: [(x)-[:{_HAS_PLACE}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}],"
        f" sources: [(x)-[:{_ATTRIBUTED_TO}]->(e:{_ENTITY}) | e {_API_ENTITY_FIELDS}]}}"
    )

    return ReadCypher(
        action_projection=f"x {_API_ACTION_FIELDS}",
        participants_projection=_participants,
        article_projection=f"a {_API_ARTICLE_FIELDS}",
        passage_projection=f"p {_API_PASSAGE_FIELDS}",
        entities_by_ids=f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
RETURN e {_API_ENTITY_FIELDS} AS entity
""",
        articles_by_ids=f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE} {{id: id}})
RETURN a {_API_ARTICLE_FIELDS} AS article
""",
        passages_by_ids=f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE} {{id: id}})
RETURN p {_API_PASSAGE_FIELDS} AS passage, a.id AS article_id
""",
        actions_by_ids=f"""
UNWIND $ids AS id
MATCH (x:{_ACTION} {{id: id}})
RETURN x {_API_ACTION_FIELDS} AS action
""",
        action_participants_by_ids=f"""
UNWIND $ids AS id
MATCH (x:{_ACTION} {{id: id}})
RETURN id AS action_id, {_participants} AS participants
""",
        roles_by_holder_ids=f"""
UNWIND $ids AS id
MATCH (h:{_ENTITY} {{id: id}})-[:{_HOLDS_ROLE}]->(r:{_ROLE})
RETURN id AS holder_id, r.id AS role_id, r.title AS title,
       head([(r)-[:{_ROLE_IN}]->(o:{_ENTITY}) | o {_API_ENTITY_FIELDS}]) AS organization
ORDER BY holder_id, title, role_id
""",
        # $rels: the relationship types that count (the actor one, the target one or both).
        actions_by_entity_ids=f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
OPTIONAL MATCH (x:{_ACTION})-[r:{_ROLE_RELS}]->(e) WHERE type(r) IN $rels
WITH id, x ORDER BY x.date IS NULL, x.date DESC, x.id
WITH id, collect(DISTINCT x) AS xs
RETURN id AS entity_id, size(xs) AS total,
       [x IN xs[$skip..$skip + $limit] | x {_API_ACTION_FIELDS}] AS actions
""",
        mentions_by_entity_ids=f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
OPTIONAL MATCH (a:{_ARTICLE})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE})-[:{_MENTIONS}]->(e)
WITH id, a, p ORDER BY a.published IS NULL, a.published DESC, a.id, p.index
WITH id, collect(p {{{_API_PASSAGE_KEYS}, articleId: a.id}}) AS ps
RETURN id AS entity_id, ps[..$limit] AS passages
""",
        related_by_entity_ids=f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
OPTIONAL MATCH (e)<-[:{_ACTION_ENTITY_RELS}]-(x:{_ACTION})-[:{_ACTION_ENTITY_RELS}]->(n:{_ENTITY})
WHERE n <> e
WITH id, n, count(DISTINCT x) AS shared ORDER BY shared DESC, n.name, n.id
WITH id, collect(n {{{_API_ENTITY_KEYS}, shared: shared}}) AS related
RETURN id AS entity_id, related[..$limit] AS related
""",
        passages_by_article_ids=f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE} {{id: id}})-[:{_HAS_PASSAGE}]->(p:{_PASSAGE})
RETURN id AS article_id, p {_API_PASSAGE_FIELDS} AS passage
ORDER BY article_id, p.index
""",
        entities_by_article_ids=f"""
UNWIND $ids AS id
MATCH (a:{_ARTICLE} {{id: id}})-[:{_HAS_PASSAGE}]->(:{_PASSAGE})-[:{_MENTIONS}]->(e:{_ENTITY})
WITH id, e, count(*) AS mentions ORDER BY mentions DESC, e.name, e.id
RETURN id AS article_id, e {_API_ENTITY_FIELDS} AS entity
""",
        actions_by_article_ids=f"""
UNWIND $ids AS id
MATCH (x:{_ACTION})-[:{_REPORTED_IN}]->(a:{_ARTICLE} {{id: id}})
WITH id, x ORDER BY x.evidenceStart, x.id
RETURN id AS article_id, x {_API_ACTION_FIELDS} AS action
""",
        entities_page=f"""
MATCH (e:{_ENTITY})
WHERE $type IS NULL OR $type IN labels(e)
WITH e ORDER BY toLower(e.name), e.id
WITH collect(e) AS es
RETURN size(es) AS total, [e IN es[$skip..$skip + $limit] | e {_API_ENTITY_FIELDS}] AS items
""",
        entities_search_page=f"""
CALL db.index.fulltext.queryNodes({_ENTITY_NAMES_INDEX}, $lucene) YIELD node AS e, score
WHERE $type IS NULL OR $type IN labels(e)
WITH e, score ORDER BY score DESC, e.id
WITH collect(e) AS es
RETURN size(es) AS total, [e IN es[$skip..$skip + $limit] | e {_API_ENTITY_FIELDS}] AS items
""",
        # The entity a key denotes: its id, else its name, else one of its aliases (compared
        # case-insensitively; $name is the lower-cased key); the most mentioned wins a tie.
        # Both lookups use an index, so the cost does not grow with the graph: the id its
        # uniqueness constraint's, the names the fulltext index, asked for the key as a
        # phrase ($phrase). Every exact match holds that phrase (the same analyzer reads
        # both), and is short, so it ranks among the first $candidates; the WHERE keeps
        # only the exact ones. Only passages mention (the ontology's domain of MENTIONS), so
        # the count names no label and reads the node's degree instead of its mentions.
        entity_by_key=f"""
CALL () {{
  MATCH (e:{_ENTITY} {{id: $key}})
  RETURN e
  UNION
  CALL db.index.fulltext.queryNodes({_ENTITY_NAMES_INDEX}, $phrase, {{limit: $candidates}})
  YIELD node AS e
  WITH e
  WHERE toLower(e.name) = $name OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = $name)
  RETURN e
}}
RETURN e {_API_ENTITY_FIELDS} AS entity
ORDER BY CASE WHEN e.id = $key THEN 0 WHEN toLower(e.name) = $name THEN 1 ELSE 2 END,
         COUNT {{ (e)<-[:{_MENTIONS}]-() }} DESC, e.id
LIMIT 1
""",
        # The same answer by reading every entity: only for a key holding no letter or
        # digit, which the fulltext analyzer would reduce to nothing.
        entity_by_key_scan=f"""
MATCH (e:{_ENTITY})
WHERE e.id = $key OR toLower(e.name) = $name
   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = $name)
RETURN e {_API_ENTITY_FIELDS} AS entity
ORDER BY CASE WHEN e.id = $key THEN 0 WHEN toLower(e.name) = $name THEN 1 ELSE 2 END,
         COUNT {{ (e)<-[:{_MENTIONS}]-() }} DESC, e.id
LIMIT 1
""",
        # Entities whose name or aliases match a Lucene query, best first, with their score.
        entities_by_fulltext=f"""
CALL db.index.fulltext.queryNodes({_ENTITY_NAMES_INDEX}, $lucene, {{limit: $limit}})
YIELD node AS e, score
RETURN e {_API_ENTITY_FIELDS} AS entity, score
ORDER BY score DESC, e.id
""",
        # $actor_ids / $target_ids: null to ignore, else the action needs one of them in that role.
        actions_page=f"""
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
OPTIONAL MATCH (x)-[:{_REPORTS}]->(ev:{_EVENT})
WITH x, ev ORDER BY x.id
// $by_sources: one row per event (its first matching report), most sources first.
WITH CASE WHEN $by_sources THEN coalesce(ev.id, x.id) ELSE x.id END AS key,
     collect(x)[0] AS x, coalesce(max(ev.sourceCount), 1) AS sources
WITH x, CASE WHEN $by_sources THEN sources ELSE 0 END AS rank
WITH x ORDER BY rank DESC, x.date IS NULL, x.date DESC, x.id
WITH collect(x) AS xs
RETURN size(xs) AS total, [x IN xs[$skip..$skip + $limit] | x {_API_ACTION_FIELDS}] AS items
""",
        articles_page=f"""
MATCH (a:{_ARTICLE})
WHERE ($from IS NULL OR a.published >= $from) AND ($to IS NULL OR a.published <= $to)
WITH a ORDER BY a.published IS NULL, a.published DESC, a.id
WITH collect(a) AS xs
RETURN size(xs) AS total, [a IN xs[$skip..$skip + $limit] | a {_API_ARTICLE_FIELDS}] AS items
""",
        # One breadth-first step: entities one action or role away from the frontier.
        neighbor_step=f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})-[:{_ENTITY_LINK_RELS}]-(link)-[:{_ENTITY_LINK_RELS}]-(n:{_ENTITY})
WHERE NOT n.id IN $visited AND ({" OR ".join(f"link:{name}" for name in _LINK_LABELS)})
WITH n, count(DISTINCT link) AS links
RETURN n {_API_ENTITY_FIELDS} AS entity, links
ORDER BY links DESC, n.name, n.id
LIMIT $limit
""",
        existing_entity_ids=f"""
UNWIND $ids AS id
MATCH (e:{_ENTITY} {{id: id}})
RETURN e.id AS id
""",
    )


@cache
def shortest_path_query(max_hops: int) -> str:
    """The shortest path between ``$from_id`` and ``$to_id`` in at most ``max_hops``
    entity-to-entity hops (two relationships each, through an action or a role).

    Raises:
        ValueError: ``max_hops`` is not in 1..MAX_PATH_HOPS.
    """
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_PATH_HOPS}")
    v = vocabulary()
    _ENTITY, _ENTITY_LINK_RELS = v.entity, v.entity_link_rels
    # shortestPath bounds must be literals, hence one query per allowed length; the bound
    # is an int checked above, never user text.
    max_rels = 2 * max_hops
    return f"""
MATCH (a:{_ENTITY} {{id: $from_id}}), (b:{_ENTITY} {{id: $to_id}})
MATCH p = shortestPath((a)-[:{_ENTITY_LINK_RELS}*..{max_rels}]-(b))
RETURN [n IN nodes(p) | {{id: n.id, labels: labels(n), name: coalesce(n.name, n.title, n.type),
                         type: n.type}}] AS nodes,
       [r IN relationships(p) | {{type: type(r), start: startNode(r).id, end: endNode(r).id}}]
         AS relationships
"""

"""STAGING: read queries of kg.graph_reads, to be appended to kg/stores/cypher.py."""

# --------------------------------------------------------------------------- API reads (D1)
# Read queries behind kg.graph_reads (the GraphQL API). Every batch query takes `$ids` and
# returns one row per id it found, so DataLoaders cost one round trip per batch.

ENTITY_FIELDS = "{.id, .iri, .name, .type, .aliases, .wikidata}"
ARTICLE_FIELDS = "{.id, .iri, .title, .published, .url, .source, .section}"
PASSAGE_FIELDS = "{.id, .iri, .index, .text, .start, .end}"
# Actions carry the ids of their evidence passage and article, so one row is self-contained.
ACTION_FIELDS = (
    "{.id, .iri, .type, .mode, .date, .dateText, .negated, .hypothetical, .future,"
    " .confidence, .trigger, .evidenceStart, .evidenceEnd, .evidenceText, .actorTexts,"
    " .targetTexts,"
    " passageId: head([(x)-[:EVIDENCED_BY]->(ev:Passage) | ev.id]),"
    " articleId: head([(x)-[:REPORTED_IN]->(src:Article) | src.id])}"
)
# Relationship types linking an action to the entities it involves.
ACTION_ENTITY_RELS = "HAS_ACTOR|HAS_TARGET|HAS_PLACE|ATTRIBUTED_TO"
# Undirected links walked by neighbors and path: actions and roles join entities.
ENTITY_LINK_RELS = "HAS_ACTOR|HAS_TARGET|HAS_PLACE|ATTRIBUTED_TO|HOLDS_ROLE|ROLE_IN"

READ_ENTITIES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
RETURN e {ENTITY_FIELDS} AS entity
"""

READ_ARTICLES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (a:Article {{id: id}})
RETURN a {ARTICLE_FIELDS} AS article
"""

READ_PASSAGES_BY_IDS = f"""
UNWIND $ids AS id
MATCH (a:Article)-[:HAS_PASSAGE]->(p:Passage {{id: id}})
RETURN p {PASSAGE_FIELDS} AS passage, a.id AS article_id
"""

READ_ACTIONS_BY_IDS = f"""
UNWIND $ids AS id
MATCH (x:Action {{id: id}})
RETURN x {ACTION_FIELDS} AS action
"""

READ_ACTION_PARTICIPANTS_BY_IDS = f"""
UNWIND $ids AS id
MATCH (x:Action {{id: id}})
RETURN id AS action_id,
       [(x)-[:HAS_ACTOR]->(e:Entity) | e {ENTITY_FIELDS}] AS actors,
       [(x)-[:HAS_TARGET]->(e:Entity) | e {ENTITY_FIELDS}] AS targets,
       [(x)-[:HAS_PLACE]->(e:Entity) | e {ENTITY_FIELDS}] AS places,
       [(x)-[:ATTRIBUTED_TO]->(e:Entity) | e {ENTITY_FIELDS}] AS sources
"""

READ_ROLES_BY_HOLDER_IDS = f"""
UNWIND $ids AS id
MATCH (h:Entity {{id: id}})-[:HOLDS_ROLE]->(r:Role)
RETURN id AS holder_id, r.id AS role_id, r.title AS title,
       head([(r)-[:ROLE_IN]->(o:Entity) | o {ENTITY_FIELDS}]) AS organization
ORDER BY holder_id, title, role_id
"""

# $rels: the relationship types that count (HAS_ACTOR, HAS_TARGET or both).
READ_ACTIONS_BY_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
OPTIONAL MATCH (x:Action)-[r:HAS_ACTOR|HAS_TARGET]->(e) WHERE type(r) IN $rels
WITH id, x ORDER BY x.date IS NULL, x.date DESC, x.id
WITH id, collect(DISTINCT x) AS xs
RETURN id AS entity_id, size(xs) AS total,
       [x IN xs[$skip..$skip + $limit] | x {ACTION_FIELDS}] AS actions
"""

READ_MENTIONS_BY_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
OPTIONAL MATCH (a:Article)-[:HAS_PASSAGE]->(p:Passage)-[:MENTIONS]->(e)
WITH id, a, p ORDER BY a.published IS NULL, a.published DESC, a.id, p.index
WITH id, collect(p {PASSAGE_FIELDS, articleId: a.id}) AS ps
RETURN id AS entity_id, ps[..$limit] AS passages
"""

READ_RELATED_BY_ENTITY_IDS = f"""
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
OPTIONAL MATCH (e)<-[:{ACTION_ENTITY_RELS}]-(x:Action)-[:{ACTION_ENTITY_RELS}]->(n:Entity)
WHERE n <> e
WITH id, n, count(DISTINCT x) AS shared ORDER BY shared DESC, n.name, n.id
WITH id, collect(n {ENTITY_FIELDS, shared: shared}) AS related
RETURN id AS entity_id, related[..$limit] AS related
"""

READ_PASSAGES_BY_ARTICLE_IDS = f"""
UNWIND $ids AS id
MATCH (a:Article {{id: id}})-[:HAS_PASSAGE]->(p:Passage)
RETURN id AS article_id, p {PASSAGE_FIELDS} AS passage
ORDER BY article_id, p.index
"""

READ_ENTITIES_BY_ARTICLE_IDS = f"""
UNWIND $ids AS id
MATCH (a:Article {{id: id}})-[:HAS_PASSAGE]->(:Passage)-[:MENTIONS]->(e:Entity)
WITH id, e, count(*) AS mentions ORDER BY mentions DESC, e.name, e.id
RETURN id AS article_id, e {ENTITY_FIELDS} AS entity
"""

READ_ACTIONS_BY_ARTICLE_IDS = f"""
UNWIND $ids AS id
MATCH (x:Action)-[:REPORTED_IN]->(a:Article {{id: id}})
WITH id, x ORDER BY x.evidenceStart, x.id
RETURN id AS article_id, x {ACTION_FIELDS} AS action
"""

READ_ENTITIES_PAGE = f"""
MATCH (e:Entity)
WHERE $type IS NULL OR $type IN labels(e)
WITH e ORDER BY toLower(e.name), e.id
WITH collect(e) AS es
RETURN size(es) AS total, [e IN es[$skip..$skip + $limit] | e {ENTITY_FIELDS}] AS items
"""

READ_ENTITIES_SEARCH_PAGE = f"""
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node AS e, score
WHERE $type IS NULL OR $type IN labels(e)
WITH e, score ORDER BY score DESC, e.id
WITH collect(e) AS es
RETURN size(es) AS total, [e IN es[$skip..$skip + $limit] | e {ENTITY_FIELDS}] AS items
"""

# Exact, case-insensitive match on the name or an alias; the name wins over an alias.
READ_ENTITY_BY_EXACT_NAME = f"""
MATCH (e:Entity)
WHERE toLower(e.name) = $name OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = $name)
RETURN e {ENTITY_FIELDS} AS entity
ORDER BY CASE WHEN toLower(e.name) = $name THEN 0 ELSE 1 END,
         COUNT {{ (e)<-[:MENTIONS]-(:Passage) }} DESC, e.id
LIMIT 1
"""

READ_ENTITY_BY_FULLTEXT = f"""
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node AS e, score
RETURN e {ENTITY_FIELDS} AS entity
ORDER BY score DESC, e.id
LIMIT 1
"""

READ_ENTITY_IDS_BY_EXACT_NAME = """
MATCH (e:Entity)
WHERE toLower(e.name) = $name OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = $name)
RETURN e.id AS id
"""

# $actor_ids / $target_ids: null to ignore, else the action needs one of them in that role.
READ_ACTIONS_PAGE = f"""
MATCH (x:Action)
WHERE ($types IS NULL OR x.type IN $types)
  AND ($from IS NULL OR x.date >= $from)
  AND ($to IS NULL OR x.date <= $to)
  AND ($actor_ids IS NULL
       OR EXISTS {{ MATCH (x)-[:HAS_ACTOR]->(a:Entity) WHERE a.id IN $actor_ids }})
  AND ($target_ids IS NULL
       OR EXISTS {{ MATCH (x)-[:HAS_TARGET]->(t:Entity) WHERE t.id IN $target_ids }})
WITH x ORDER BY x.date IS NULL, x.date DESC, x.id
WITH collect(x) AS xs
RETURN size(xs) AS total, [x IN xs[$skip..$skip + $limit] | x {ACTION_FIELDS}] AS items
"""

READ_ARTICLES_PAGE = f"""
MATCH (a:Article)
WHERE ($from IS NULL OR a.published >= $from) AND ($to IS NULL OR a.published <= $to)
WITH a ORDER BY a.published IS NULL, a.published DESC, a.id
WITH collect(a) AS xs
RETURN size(xs) AS total, [a IN xs[$skip..$skip + $limit] | a {ARTICLE_FIELDS}] AS items
"""

# One breadth-first step: entities one action or role away from the frontier.
READ_NEIGHBOR_STEP = f"""
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})-[:{ENTITY_LINK_RELS}]-(link)-[:{ENTITY_LINK_RELS}]-(n:Entity)
WHERE NOT n.id IN $visited AND (link:Action OR link:Role)
WITH n, count(DISTINCT link) AS links
RETURN n {ENTITY_FIELDS} AS entity, links
ORDER BY links DESC, n.name, n.id
LIMIT $limit
"""


def _path_query(max_rels: int) -> str:
    # shortestPath bounds must be literals, hence one query per allowed length.
    return f"""
MATCH (a:Entity {{id: $from_id}}), (b:Entity {{id: $to_id}})
MATCH p = shortestPath((a)-[:{ENTITY_LINK_RELS}*..{max_rels}]-(b))
RETURN [n IN nodes(p) | {{id: n.id, labels: labels(n), name: coalesce(n.name, n.title, n.type),
                         type: n.type}}] AS nodes,
       [r IN relationships(p) | {{type: type(r), start: startNode(r).id, end: endNode(r).id}}]
         AS relationships
"""


# Keyed by the maximum number of entity-to-entity hops (two relationships each).
READ_SHORTEST_PATH = {hops: _path_query(2 * hops) for hops in range(1, 5)}

READ_NODES_EXIST = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id
"""

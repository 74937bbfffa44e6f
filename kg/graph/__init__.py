"""The Neo4j adapter of the graph ports (:mod:`kg.core.ports`), split by reason to change.

- :mod:`~kg.graph.store`: the shared connection (driver, sessions, retries, error mapping);
- :mod:`~kg.graph.schema`: the ontology's allow-list, constraints and indexes;
- :mod:`~kg.graph.writes` (+ :mod:`~kg.graph.write_queries`): ``ArticleWriter``;
- :mod:`~kg.graph.reads` (+ :mod:`~kg.graph.read_queries`, :mod:`~kg.graph.rows`):
  ``GraphReader``;
- :mod:`~kg.graph.admin` (+ :mod:`~kg.graph.export_queries`): ``GraphAdmin``;
- :mod:`~kg.graph.search_queries`: the Cypher of hybrid search;
- :mod:`~kg.graph.lucene`: user text made safe for the fulltext indexes.
"""

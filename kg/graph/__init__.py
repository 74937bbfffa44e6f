"""The Neo4j adapter: driver and sessions, Cypher, typed reads and writes."""

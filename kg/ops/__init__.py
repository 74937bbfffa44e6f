"""Operations: the Maven-assembled Neo4j server and its CLI."""

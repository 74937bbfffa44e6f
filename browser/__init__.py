"""Neo4j Browser helpers: the GraSS style, a DevTools client and the README screenshot."""

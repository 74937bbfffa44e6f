"""RDF: the ontology as the single source of truth, mapping to RDF and SHACL, export."""

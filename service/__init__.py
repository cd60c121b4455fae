"""The web service: the SPARQL 1.1 endpoint and Graph Store over the knowledge graph."""

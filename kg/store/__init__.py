"""Triple stores the graph is loaded into and queried from."""

"""The SPARQL behind each resource answer, one text per question, with the IRI spliced in.

Every IRI is checked by `service.linked_data.safe_iri` before it is written between
`< >`, and every search term is written as a literal by rdflib, so no request text
reaches a query unquoted.
"""

from __future__ import annotations

from rdflib import Literal

PREFIXES = """PREFIX ocs: <https://w3id.org/tw-ocs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def describe(iri: str) -> str:
    """What the graph says about `iri` (a symmetric concise bounded description, W3C CBD §3):
    its own triples, the triples that point at it, the blank nodes on either side in full
    (the score axioms of near matches), and the labels and codes of its neighbours."""
    return f"""{PREFIXES}
CONSTRUCT {{
  <{iri}> ?p ?o . ?o ?bp ?bo . ?o ?lp ?ol .
  ?s ?q <{iri}> . ?s ?sp ?so . ?s ?slp ?sl .
}}
WHERE {{
  {{
    <{iri}> ?p ?o .
    OPTIONAL {{ ?o ?bp ?bo FILTER(isBlank(?o)) }}
    OPTIONAL {{ VALUES ?lp {{ skos:prefLabel rdfs:label skos:notation }} ?o ?lp ?ol FILTER(isIRI(?o)) }}
  }} UNION {{
    ?s ?q <{iri}> .
    OPTIONAL {{ ?s ?sp ?so FILTER(isBlank(?s)) }}
    OPTIONAL {{ VALUES ?slp {{ skos:prefLabel rdfs:label skos:notation }} ?s ?slp ?sl FILTER(isIRI(?s)) }}
  }}
}}"""


def named_graph(iri: str) -> str:
    """Every triple of the named graph `iri`."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"


def document(iri: str) -> str:
    """The whole graph of the source document whose standard is `iri` (empty when it has none)."""
    return f"""{PREFIXES}
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{ GRAPH ?g {{ <{iri}> dcterms:source ?source . ?s ?p ?o }} }}"""


def concept_use(iri: str) -> str:
    """The standards whose items point at the shared concept `iri`, and the tasks (with levels) that need them."""
    return f"""{PREFIXES}
SELECT ?standard ?code ?name ?item ?itemCode ?task ?taskCode ?taskLabel ?level
WHERE {{
  GRAPH ?g {{
    ?item ocs:concept <{iri}> ; skos:notation ?itemCode .
    ?standard ocs:hasKnowledge|ocs:hasSkill|ocs:hasAttitude ?item ; skos:notation ?code .
    OPTIONAL {{ ?standard skos:prefLabel ?name }}
    OPTIONAL {{
      ?block ocs:requiresKnowledge|ocs:requiresSkill ?item ; ocs:level ?level .
      ?task ocs:hasBlock ?block ; skos:notation ?taskCode ; skos:prefLabel ?taskLabel .
    }}
  }}
}}
ORDER BY ?code ?taskCode ?level"""


def nearest(terms: list[str], limit: int = 10) -> str:
    """Resources whose code or label holds one of `terms` (for the 404 page)."""
    values = " ".join(Literal(term.lower()).n3() for term in terms)
    return f"""{PREFIXES}
SELECT DISTINCT ?s ?label WHERE {{
  VALUES ?term {{ {values} }}
  ?s skos:notation|skos:prefLabel|rdfs:label ?label .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?label)), ?term))
}}
ORDER BY STRLEN(STR(?label)) ?s
LIMIT {limit}"""

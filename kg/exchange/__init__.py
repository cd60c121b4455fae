"""Exchange formats: one standard's graph as a 1EdTech CASE 1.1 package or CTDL-ASN JSON-LD."""

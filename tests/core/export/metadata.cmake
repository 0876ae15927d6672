# Tests of lineage, sidecars, embedded metadata and re-import.

# Tests of the gallery grid.

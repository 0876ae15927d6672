# Owned by the gallery grid work.

# Owned by the lineage/metadata work; see CMakeLists.txt.

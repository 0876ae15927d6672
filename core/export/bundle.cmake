# Owned by the exporter work; see CMakeLists.txt.

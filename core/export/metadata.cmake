# Owned by the lineage/metadata work; see CMakeLists.txt.
# Lineage of a stored image (store → brief, concept, prompt, models, seed, timings) and its
# sidecar JSON; metadata embedded in exported PNG/JPEG/WebP files (Qt text chunks, Exiv2 XMP).
target_sources(brieflow_core PRIVATE
    lineage.cpp lineage.h
    imagemetadata.cpp imagemetadata.h
)

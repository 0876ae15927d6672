# Owned by the exporter work; see CMakeLists.txt.
# File names, the exporter (background, progress, cancel), ZIP and PDF.
target_sources(brieflow_core PRIVATE
    campaignsheet.cpp campaignsheet.h
    exportfile.cpp exportfile.h
    exportnames.cpp exportnames.h
    exporter.cpp exporter.h
    zipbundle.cpp zipbundle.h
)

# Owned by the lineage/metadata work; see CMakeLists.txt.
# exportfixture.h: a store of finished campaign jobs with real image files, shared by the export
# tests (header-only; tst_exportfixture checks it looks like what the engine writes).
brieflow_add_test(NAME tst_exportfixture SOURCES tst_exportfixture.cpp exportfixture.h
    LIBS Brieflow::core)
brieflow_add_test(NAME tst_lineage SOURCES tst_lineage.cpp exportfixture.h LIBS Brieflow::core)
brieflow_add_test(NAME tst_imagemetadata SOURCES tst_imagemetadata.cpp exportfixture.h
    LIBS Brieflow::core)

# Owned by the exporter work; see CMakeLists.txt.
# Tests of names, the exporter, ZIP and PDF.
brieflow_add_test(NAME tst_exportnames SOURCES tst_exportnames.cpp LIBS Brieflow::core)
# libzip directly: the test reads the bundles back with it.
brieflow_add_test(NAME tst_zipbundle SOURCES tst_zipbundle.cpp LIBS Brieflow::core PkgConfig::LIBZIP)
brieflow_add_test(NAME tst_campaignsheet SOURCES tst_campaignsheet.cpp LIBS Brieflow::core)
brieflow_add_test(NAME tst_exporter SOURCES tst_exporter.cpp exportfixture.h LIBS Brieflow::core)

# Tests of the gallery grid: the model, the panel and its actions.
brieflow_add_test(NAME tst_gallerymodel
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gallerymodel.cpp ${CMAKE_CURRENT_LIST_DIR}/gallerytestutil.h
    LIBS Brieflow::ui brieflow_test_support LABELS gui)
brieflow_add_test(NAME tst_gallerypanel
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gallerypanel.cpp ${CMAKE_CURRENT_LIST_DIR}/gallerytestutil.h
    LIBS Brieflow::ui brieflow_test_support LABELS gui)

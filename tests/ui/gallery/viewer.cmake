# Tests of the viewer and export dialog: the image viewer's maths and states, the preview and
# compare windows (with tests/core/export/exportfixture.h's finished jobs), the export dialog
# end to end, and the job detail's Export button.
brieflow_add_test(NAME tst_imageviewer SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imageviewer.cpp
    LIBS Brieflow::ui LABELS gui)
brieflow_add_test(NAME tst_previewwindow SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_previewwindow.cpp
    LIBS Brieflow::ui LABELS gui)
brieflow_add_test(NAME tst_exportdialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_exportdialog.cpp
    LIBS Brieflow::ui LABELS gui)

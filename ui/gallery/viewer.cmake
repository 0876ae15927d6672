# Owned by the viewer/export dialog work: the image viewer (zoom, pan, fit), the preview and
# compare windows, the metadata panel and the export dialog.
target_sources(brieflow_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/comparewindow.cpp ${CMAKE_CURRENT_LIST_DIR}/comparewindow.h
    ${CMAKE_CURRENT_LIST_DIR}/exportdialog.cpp ${CMAKE_CURRENT_LIST_DIR}/exportdialog.h
    ${CMAKE_CURRENT_LIST_DIR}/imageviewer.cpp ${CMAKE_CURRENT_LIST_DIR}/imageviewer.h
    ${CMAKE_CURRENT_LIST_DIR}/metadatapanel.cpp ${CMAKE_CURRENT_LIST_DIR}/metadatapanel.h
    ${CMAKE_CURRENT_LIST_DIR}/previewwindow.cpp ${CMAKE_CURRENT_LIST_DIR}/previewwindow.h
)

# Owned by the gallery grid work: the grid's model, tile delegate, filter bar and panel (with
# its actions and the viewer windows it opens), "New job from this prompt" and File ▸ Open
# image… (re-import).
target_sources(brieflow_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/galleryicons.h
    ${CMAKE_CURRENT_LIST_DIR}/gallerydelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/gallerydelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/galleryfilterbar.cpp ${CMAKE_CURRENT_LIST_DIR}/galleryfilterbar.h
    ${CMAKE_CURRENT_LIST_DIR}/gallerymodel.cpp ${CMAKE_CURRENT_LIST_DIR}/gallerymodel.h
    ${CMAKE_CURRENT_LIST_DIR}/gallerypanel.cpp ${CMAKE_CURRENT_LIST_DIR}/gallerypanel.h
    ${CMAKE_CURRENT_LIST_DIR}/galleryviewers.cpp
    ${CMAKE_CURRENT_LIST_DIR}/imagereimport.cpp ${CMAKE_CURRENT_LIST_DIR}/imagereimport.h
    ${CMAKE_CURRENT_LIST_DIR}/promptjobdialog.cpp ${CMAKE_CURRENT_LIST_DIR}/promptjobdialog.h
)

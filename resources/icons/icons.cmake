# The SVG icons, embedded in brieflow_ui under ":/icons/<name>.svg" (drawn for a light
# background) and ":/icons/dark/<name>.svg" (the same drawings recoloured for a dark one).
# Hand-written 24x24 SVGs with 2 px strokes on whole-pixel coordinates; see README.md here for
# the names and colours. QIcon loads them through the SVG icon engine plugin (Debian libqt6svg6).
set(brieflow_icon_names
    # job and step states (docs: ui.md, "States and colour")
    state-pending state-processing state-succeeded state-failed state-canceled
    state-needs-attention
    # actions
    generate retry cancel duplicate delete folder-open pause play search edit import-csv
    settings copy details move-top
    # navigation, gallery and export (issue 6)
    create gallery star star-filled export compare zoom-in zoom-out zoom-fit image-open
    # the Monitoring view (issue 8)
    monitor
    # the application icon (also installed as the hicolor scalable app icon, packaging/)
    brieflow)

set(brieflow_icon_light_files "")
set(brieflow_icon_dark_files "")
set(brieflow_icon_dark_dir "${CMAKE_CURRENT_BINARY_DIR}/icons-dark")
# Light-theme colour -> dark-theme colour. The app icon keeps its own colours.
set(brieflow_icon_dark_map
    "#3c4043=#e8eaed" "#5f6368=#bdc1c6" "#1a73e8=#8ab4f8" "#1e8e3e=#81c995"
    "#d93025=#f28b82" "#80868b=#9aa0a6" "#e37400=#fdd663")
foreach(name IN LISTS brieflow_icon_names)
    set(src "${CMAKE_CURRENT_LIST_DIR}/${name}.svg")
    list(APPEND brieflow_icon_light_files "${src}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${src}")
    file(READ "${src}" svg)
    if(NOT name STREQUAL "brieflow")
        foreach(pair IN LISTS brieflow_icon_dark_map)
            string(REPLACE "=" ";" pair "${pair}")
            list(GET pair 0 from)
            list(GET pair 1 to)
            string(REPLACE "${from}" "${to}" svg "${svg}")
        endforeach()
    endif()
    file(CONFIGURE OUTPUT "${brieflow_icon_dark_dir}/${name}.svg" CONTENT "${svg}" @ONLY)
    list(APPEND brieflow_icon_dark_files "${brieflow_icon_dark_dir}/${name}.svg")
endforeach()

qt_add_resources(brieflow_ui brieflow_icons
    PREFIX /icons
    BASE "${PROJECT_SOURCE_DIR}/resources/icons"
    FILES ${brieflow_icon_light_files})
qt_add_resources(brieflow_ui brieflow_icons_dark
    PREFIX /icons/dark
    BASE "${brieflow_icon_dark_dir}"
    FILES ${brieflow_icon_dark_files})

# Proves the core and the CLI are headless: no file under core/ includes a QtWidgets header,
# and the brieflow-cli binary does not depend on libQt6Widgets.
# Run as: cmake -DSOURCE_DIR=... -DCLI_BINARY=... -P check_headless.cmake
file(GLOB_RECURSE core_files "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp")
set(offenders "")
foreach(f IN LISTS core_files)
    file(STRINGS "${f}" hits REGEX "#include *<(QtWidgets/|Q(Widget|MainWindow|Dialog|MessageBox|Application|PushButton|Label)>)")
    if(hits)
        list(APPEND offenders "${f}")
    endif()
endforeach()
if(offenders)
    message(FATAL_ERROR "core/ must stay headless, but these files include QtWidgets: ${offenders}")
endif()

file(GET_RUNTIME_DEPENDENCIES
    EXECUTABLES "${CLI_BINARY}"
    RESOLVED_DEPENDENCIES_VAR resolved
    UNRESOLVED_DEPENDENCIES_VAR unresolved)
foreach(lib IN LISTS resolved unresolved)
    if(lib MATCHES "Qt6Widgets")
        message(FATAL_ERROR "brieflow-cli depends on ${lib}: it must link only the core")
    endif()
endforeach()
list(LENGTH core_files n)
message(STATUS "headless: ${n} core files free of QtWidgets; brieflow-cli does not load Qt6Widgets")

# CPack: `cpack` in a build folder makes build/<dir>/brieflow_<version>_<arch>.deb from the
# install rules in packaging/CMakeLists.txt. Library dependencies come from dpkg-shlibdeps
# (Debian package dpkg-dev); the Qt plugins the programs load at run time, which no linker sees,
# are listed by hand below.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME brieflow)
set(CPACK_PACKAGE_VENDOR "Brieflow contributors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "turn marketing briefs into campaign images with AI")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/package")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Brieflow maintainers <maintainers@brieflow.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The long Description (CPack puts the summary above it as the synopsis line).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Brieflow takes a product brief (product, audience, value proposition) through a
durable pipeline on Replicate's API: it writes a campaign concept, writes an
image prompt from it and draws the images. Every step is stored locally, can be
watched, retried or edited; a crash or a lost connection never loses a job.
.
This package has the desktop app (brieflow), the command-line interface
(brieflow-cli) and example briefs. Both have an offline demo mode.")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded as plugins: the SQLite driver (job database), the TLS backend (in libqt6network6, found
# by shlibdeps), the SVG icon engine and, for the desktop app, the platform plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
if(BRIEFLOW_BUILD_UI)
    string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libqt6svg6, qt6-qpa-plugins")
endif()
# WebP and other image formats the models may answer with.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-image-formats-plugins, hicolor-icon-theme")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)

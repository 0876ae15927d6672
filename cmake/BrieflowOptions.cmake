# brieflow_options: the one INTERFACE target that carries project-wide compile settings.
# Every target links it PRIVATE; nothing here is set directory-wide.
add_library(brieflow_options INTERFACE)
add_library(Brieflow::options ALIAS brieflow_options)

target_compile_features(brieflow_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_definitions(brieflow_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    # Qt 6.4 spells it _BEFORE; _UP_TO arrived in 6.5.
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    $<$<CONFIG:Debug>:QT_FORCE_ASSERTS>
    $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>
    BRIEFLOW_VERSION_STRING="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(brieflow_options INTERFACE
        -Wall -Wextra -Wpedantic
        -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
        -Woverloaded-virtual -Wconversion
        -Wnull-dereference -Wdouble-promotion -Wformat=2
        -Wimplicit-fallthrough)
    if(BRIEFLOW_WERROR)
        target_compile_options(brieflow_options INTERFACE -Werror)
    endif()
    if(BRIEFLOW_SANITIZE)
        target_compile_options(brieflow_options INTERFACE
            -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(brieflow_options INTERFACE -fsanitize=address,undefined)
    endif()
endif()

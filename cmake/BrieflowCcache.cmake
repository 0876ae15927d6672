# Use ccache when it is installed; rebuilds after a one-file change stay fast.
find_program(BRIEFLOW_CCACHE ccache)
if(BRIEFLOW_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${BRIEFLOW_CCACHE}")
endif()

# Build properties, read and written as ESP-IDF v5.4's idf_build_get_property / idf_build_set_property
# (tools/cmake/build.cmake) do. ESP-IDF keeps them on a hidden target; a global property per name is enough here.
#
#   idf_build_get_property(var PROJECT_NAME)          PROJECT_NAME PROJECT_DIR BUILD_DIR IDF_PATH IDF_TARGET
#   idf_build_set_property(COMPILE_OPTIONS -Wx APPEND) IDF_VER PROJECT_VER CONFIG_DIR SDKCONFIG_HEADER
#                                                      SDKCONFIG_CMAKE COMPILE_OPTIONS COMPILE_DEFINITIONS
#                                                      BUILD_COMPONENTS __COMPONENT_REQUIRES_COMMON
function(idf_build_set_property property value)
    cmake_parse_arguments(_ "APPEND" "" "" ${ARGN})
    if(__APPEND)
        set_property(GLOBAL APPEND PROPERTY "IDF_HOST_BUILD_${property}" "${value}")
    else()
        set_property(GLOBAL PROPERTY "IDF_HOST_BUILD_${property}" "${value}")
    endif()
endfunction()

function(idf_build_get_property var property)
    cmake_parse_arguments(_ "GENERATOR_EXPRESSION" "" "" ${ARGN})
    get_property(value GLOBAL PROPERTY "IDF_HOST_BUILD_${property}")
    set(${var} "${value}" PARENT_SCOPE)
endfunction()

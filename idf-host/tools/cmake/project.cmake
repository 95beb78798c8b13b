# The IDF_PATH stand-in's entry point: an ESP-IDF project's top-level CMakeLists includes this file
# ($ENV{IDF_PATH}/tools/cmake/project.cmake) and then calls project(). As in ESP-IDF v5.4's project.cmake, project()
# is overridden: it discovers the components, runs Kconfig, adds every component and links the result. Here the
# result is one shared object that `uart-tunnel device` loads beside the ESP-IDF host layer instead of an ELF.
#
# `uart-tunnel device --project DIR` configures with these cache variables (it is their one home):
#   IDF_HOST_C_FLAGS, IDF_HOST_LINK_FLAGS  compile and link flags of FirmwareCompiler (-fPIC, -Werror=implicit-…, lwIP)
#   IDF_HOST_INCLUDE                       the host layer's ESP-IDF headers (CShims/CEspIdfHost/esp-idf/include)
#   IDF_HOST_ENTRY                         the entry function (app_main)
#   IDF_HOST_SETS                          --set NAME=value pairs, applied after sdkconfig
#   SDKCONFIG, SDKCONFIG_DEFAULTS          as ESP-IDF's (-DSDKCONFIG=…), defaults: PROJECT_DIR/sdkconfig{,.defaults}
cmake_minimum_required(VERSION 3.16)

get_filename_component(IDF_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(IDF_TARGET "esp32")

include("${CMAKE_CURRENT_LIST_DIR}/build_properties.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/component.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/component_manager.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/host_components.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/kconfig.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/embed.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/link.cmake")

foreach(required IDF_HOST_INCLUDE IDF_HOST_C_FLAGS)
    if(NOT DEFINED ${required})
        __idf_host_fatal("${required} is not set: this IDF_PATH stand-in builds projects for "
                            "`uart-tunnel device --project DIR`, which sets it")
    endif()
endforeach()
if(NOT IDF_HOST_ENTRY)
    set(IDF_HOST_ENTRY app_main)
endif()
if(NOT IDF_HOST_PYTHON)
    set(IDF_HOST_PYTHON /usr/bin/python3)  # Debian's, where python3-kconfiglib is installed
endif()
# Set here, not in project(): a project may append to them between this include and project(), as on ESP-IDF.
idf_build_set_property(COMPILE_OPTIONS "${IDF_HOST_C_FLAGS}")
idf_build_set_property(COMPILE_DEFINITIONS "")

# Like ESP-IDF's project() macro (tools/cmake/project.cmake, v5.4): the real project() runs first, then the build.
# A macro, so that variables the project set before it (EXTRA_COMPONENT_DIRS, COMPONENT_DIRS, SDKCONFIG_DEFAULTS)
# and the CONFIG_* it defines are seen in the project's own scope afterwards.
macro(project project_name)
    _project(${project_name} C ASM)
    set(PROJECT_DIR "${CMAKE_CURRENT_LIST_DIR}")
    idf_build_set_property(PROJECT_NAME "${project_name}")
    idf_build_set_property(PROJECT_DIR "${PROJECT_DIR}")
    idf_build_set_property(BUILD_DIR "${CMAKE_BINARY_DIR}")
    idf_build_set_property(IDF_PATH "${IDF_PATH}")
    idf_build_set_property(IDF_TARGET "${IDF_TARGET}")
    idf_build_set_property(IDF_VER "v5.4-host")
    idf_build_set_property(PROJECT_VER "1")
    idf_build_set_property(PYTHON "${IDF_HOST_PYTHON}")
    idf_build_set_property(CONFIG_DIR "${CMAKE_BINARY_DIR}/config")
    idf_build_set_property(SDKCONFIG_HEADER "${CMAKE_BINARY_DIR}/config/sdkconfig.h")
    idf_build_set_property(SDKCONFIG_CMAKE "${CMAKE_BINARY_DIR}/config/sdkconfig.cmake")
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)

    __idf_host_discover_components()
    __idf_host_run_kconfig()
    include("${CMAKE_BINARY_DIR}/config/sdkconfig.cmake")
    __idf_host_add_host_components()
    __idf_host_add_project_components()
    __idf_host_check_requirements()
    __idf_host_link_firmware(${project_name})
endmacro()

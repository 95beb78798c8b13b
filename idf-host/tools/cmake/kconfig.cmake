# Kconfig -> sdkconfig.h, sdkconfig.cmake and the full sdkconfig, with a real Kconfig implementation (Debian's
# kconfiglib, run by IDF_HOST_PYTHON, default /usr/bin/python3) through tools/kconfig/confgen.py. As ESP-IDF v5.4's
# kconfig.cmake: the options come from the host's Kconfig (ESP-IDF's own options, v5.4 defaults) and every
# discovered component's Kconfig (under "Component config") and Kconfig.projbuild (top level); values from
# SDKCONFIG_DEFAULTS (default PROJECT_DIR/sdkconfig.defaults, each followed by its .<target> file if present), then
# SDKCONFIG (default PROJECT_DIR/sdkconfig), then IDF_HOST_SETS (--set). It runs at configure time, before any
# component's CMakeLists.txt, so those see CONFIG_* as on ESP-IDF.
#
# Unlike idf.py, the full sdkconfig is written to the build directory, not the project: the host models a subset of
# ESP-IDF's options, and a partial sdkconfig in the project would change a later real ESP-IDF build.
function(__idf_host_run_kconfig)
    if(NOT SDKCONFIG)
        set(SDKCONFIG "${PROJECT_DIR}/sdkconfig")
    endif()
    if(NOT DEFINED SDKCONFIG_DEFAULTS)
        set(SDKCONFIG_DEFAULTS "")
        if(EXISTS "${PROJECT_DIR}/sdkconfig.defaults")
            set(SDKCONFIG_DEFAULTS "${PROJECT_DIR}/sdkconfig.defaults")
        endif()
    endif()
    set(defaults "")
    foreach(file ${SDKCONFIG_DEFAULTS})
        get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${PROJECT_DIR}")
        if(NOT EXISTS "${file}")
            __idf_host_fatal("SDKCONFIG_DEFAULTS file ${file} does not exist")
        endif()
        list(APPEND defaults "${file}")
        if(EXISTS "${file}.${IDF_TARGET}")
            list(APPEND defaults "${file}.${IDF_TARGET}")
        endif()
    endforeach()
    get_property(kconfigs GLOBAL PROPERTY IDF_HOST_KCONFIGS)
    get_property(projbuilds GLOBAL PROPERTY IDF_HOST_KCONFIG_PROJBUILDS)
    set(config_dir "${CMAKE_BINARY_DIR}/config")
    execute_process(
        COMMAND "${IDF_HOST_PYTHON}" "${IDF_PATH}/tools/kconfig/confgen.py"
                --host-kconfig "${IDF_PATH}/Kconfig"
                --kconfigs ${kconfigs} --projbuilds ${projbuilds}
                --defaults ${defaults} --config "${SDKCONFIG}" --set ${IDF_HOST_SETS}
                --out-dir "${config_dir}" --out-sdkconfig "${CMAKE_BINARY_DIR}/sdkconfig"
        RESULT_VARIABLE status ERROR_VARIABLE messages)
    string(STRIP "${messages}" messages)
    if(NOT status EQUAL 0)
        string(REGEX REPLACE "^.*error: " "" messages "${messages}")
        __idf_host_fatal("Kconfig: ${messages}")
    endif()
    if(messages)
        message(NOTICE "${messages}")
    endif()
    # Configure again when any Kconfig input changes.
    set_property(DIRECTORY "${PROJECT_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 "${IDF_PATH}/Kconfig" ${kconfigs} ${projbuilds} ${defaults})
    if(EXISTS "${SDKCONFIG}")
        set_property(DIRECTORY "${PROJECT_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${SDKCONFIG}")
    endif()
    idf_build_set_property(SDKCONFIG "${SDKCONFIG}")
    idf_build_set_property(SDKCONFIG_DEFAULTS "${defaults}")
endfunction()

# The project's output: one shared object (lib<project>.so) where ESP-IDF links <project>.elf
# (project.cmake, v5.4: every build component linked into the executable, WHOLE_ARCHIVE ones whole). The archives
# are linked in one group so circular requirements resolve, and unreferenced objects stay out as in ESP-IDF's link;
# the freertos host component's "-u <entry>" pulls in the entry function. The host layer's symbols stay undefined
# and resolve against the uart-tunnel executable when the object is loaded (see FirmwareCompiler.swift).
# IDF_HOST_LINK_FLAGS is FirmwareCompiler.linkFlags, so a project's object gets the same --wrap list as a --driver
# one: the heap (malloc…) and the socket calls (socket…, lwip_socket…; src/netif/socket_wraps.c).
function(__idf_host_link_firmware project_name)
    set(stub "${CMAKE_BINARY_DIR}/project_so_src.c")
    if(NOT EXISTS "${stub}")
        file(WRITE "${stub}" "/* CMake needs a source for the shared object; the code is in the components. */\n")
    endif()
    add_library(firmware SHARED "${stub}")
    set_target_properties(firmware PROPERTIES OUTPUT_NAME "${project_name}")
    target_compile_options(firmware PRIVATE ${IDF_HOST_C_FLAGS})
    get_property(components GLOBAL PROPERTY IDF_HOST_BUILD_COMPONENTS)
    set(grouped "")
    foreach(component ${components})
        get_property(type TARGET "__idf_${component}" PROPERTY TYPE)
        get_property(whole GLOBAL PROPERTY "IDF_HOST_COMPONENT_${component}_WHOLE_ARCHIVE")
        if(type STREQUAL STATIC_LIBRARY AND whole)
            target_link_libraries(firmware PRIVATE "-Wl,--whole-archive" "__idf_${component}" "-Wl,--no-whole-archive")
        else()
            list(APPEND grouped "__idf_${component}")
        endif()
    endforeach()
    target_link_libraries(firmware PRIVATE "-Wl,--start-group" ${grouped} "-Wl,--end-group" ${IDF_HOST_LINK_FLAGS})
    # The components' inputs, for the toolkit's build cache (ProjectBuild.swift hashes these directories).
    set(inputs "")
    foreach(component ${components})
        get_property(dir GLOBAL PROPERTY "IDF_HOST_COMPONENT_${component}_DIR")
        list(APPEND inputs "${dir}")
    endforeach()
    string(REPLACE ";" "\n" inputs "${inputs}")
    file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/firmware_object.txt" CONTENT "$<TARGET_FILE:firmware>\n")
    file(WRITE "${CMAKE_BINARY_DIR}/component_dirs.txt" "${inputs}\n")
endfunction()

# target_add_binary_data(target file BINARY|TEXT [RENAME_TO name] [DEPENDS …]), the function ESP-IDF v5.4's
# tools/cmake/utilities.cmake offers and EMBED_FILES / EMBED_TXTFILES use: the file becomes an assembler source
# defining <name>, _binary_<name>_start, _binary_<name>_end and <name>_length (its size; TEXT adds a NUL byte
# after the data, inside _end, not counted in _length). <name> is the file name made a C identifier.
# The source is written at build time by scripts/embed_file.cmake, so an edited file is embedded again.
function(target_add_binary_data target embed_file embed_type)
    cmake_parse_arguments(_ "" "RENAME_TO" "DEPENDS" ${ARGN})
    get_filename_component(embed_file "${embed_file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(name "${embed_file}" NAME)
    if(__RENAME_TO)
        set(name "${__RENAME_TO}")
    endif()
    string(MAKE_C_IDENTIFIER "${name}" symbol)
    set(source "${CMAKE_CURRENT_BINARY_DIR}/${symbol}.S")
    add_custom_command(OUTPUT "${source}"
        COMMAND "${CMAKE_COMMAND}" -D "DATA_FILE=${embed_file}" -D "SOURCE_FILE=${source}"
                -D "FILE_TYPE=${embed_type}" -D "SYMBOL=${symbol}" -P "${IDF_PATH}/tools/cmake/scripts/embed_file.cmake"
        MAIN_DEPENDENCY "${embed_file}"
        DEPENDS "${IDF_PATH}/tools/cmake/scripts/embed_file.cmake" ${__DEPENDS}
        COMMENT "Embedding ${embed_type} file ${name}"
        VERBATIM)
    set_source_files_properties("${source}" PROPERTIES GENERATED TRUE)
    target_sources(${target} PRIVATE "${source}")
endfunction()

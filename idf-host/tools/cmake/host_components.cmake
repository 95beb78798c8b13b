# The ESP-IDF components the host provides, each under its ESP-IDF name, as INTERFACE targets: the host layer's
# headers (one directory, CShims/CEspIdfHost/esp-idf/include), plus a Debian library where ESP-IDF bundles one.
# Their code is the host layer in the `uart-tunnel` executable (the firmware's undefined symbols resolve against it
# when the shared object is loaded), so nothing here is compiled — except the components built on mbedTLS, which the
# executable does not link: esp-tls and esp_https_server are STATIC libraries from idf-host/components/<name>,
# compiled with the project's flags and sdkconfig into the firmware, calling the host httpd's public API as
# ESP-IDF's esp_https_server calls esp_http_server's.
#
#   json      ESP-IDF bundles cJSON ("cJSON.h"): Debian's libcjson-dev
#   mbedtls   ESP-IDF bundles mbedTLS: Debian's libmbedtls-dev
#   esp-tls, esp_https_server   compiled into the firmware, linked with mbedtls (without libmbedtls-dev their
#             headers stop the build with an #error naming it)
#   esp_wifi  placeholder for the Wi-Fi host layer (its headers come with it)

set(IDF_HOST_PROVIDED_COMPONENTS
    # ESP-IDF v5.4's common components (build.cmake __build_init): every component requires these.
    cxx newlib freertos esp_hw_support heap log soc hal esp_rom esp_common esp_system
    # The rest the host layer implements.
    esp_log esp_netif lwip esp_event esp_timer nvs_flash driver esp_driver_uart esp_http_server esp_https_server
    esp-tls json mbedtls esp_wifi spi_flash esp_partition vfs pthread)

idf_build_set_property(__COMPONENT_REQUIRES_COMMON
    "cxx;newlib;freertos;esp_hw_support;heap;log;soc;hal;esp_rom;esp_common;esp_system")

function(__idf_host_add_host_components)
    get_property(project_components GLOBAL PROPERTY IDF_HOST_COMPONENTS)
    foreach(name ${IDF_HOST_PROVIDED_COMPONENTS})
        if(name IN_LIST project_components)
            continue()  # the project's own component of that name replaces the host's
        endif()
        add_library("__idf_${name}" INTERFACE)
        add_library("idf::${name}" ALIAS "__idf_${name}")
        target_include_directories("__idf_${name}" INTERFACE "${IDF_HOST_INCLUDE}")
        set_property(GLOBAL PROPERTY "IDF_HOST_COMPONENT_${name}_DIR" "${IDF_HOST_INCLUDE}")
        set_property(GLOBAL PROPERTY "IDF_HOST_COMPONENT_${name}_SOURCE" host)
    endforeach()
    if(TARGET __idf_json AND NOT "json" IN_LIST project_components)
        target_include_directories(__idf_json INTERFACE /usr/include/cjson)
        target_link_libraries(__idf_json INTERFACE cjson)
    endif()
    if(TARGET __idf_mbedtls AND NOT "mbedtls" IN_LIST project_components)
        target_link_libraries(__idf_mbedtls INTERFACE mbedtls mbedx509 mbedcrypto)
    endif()
    __idf_host_add_source_component(esp-tls "__idf_mbedtls")
    __idf_host_add_source_component(esp_https_server "__idf_esp-tls;__idf_esp_http_server;__idf_esp_event")
    # ESP-IDF v5.4's freertos component links "-u app_main" so the archive holding app_main is always pulled in.
    if(NOT "freertos" IN_LIST project_components)
        target_link_options(__idf_freertos INTERFACE "LINKER:-u,${IDF_HOST_ENTRY}")
    endif()
endfunction()

# A host component whose C sources (idf-host/components/<name>/*.c) are compiled into the firmware: the INTERFACE
# target made above becomes a STATIC library of them, built like a project component (the project's compile flags and
# sdkconfig.h) and linking `requires`. Left an INTERFACE (headers only) when the project has its own component of
# that name or Debian's mbedTLS headers are missing.
function(__idf_host_add_source_component name requires)
    get_property(project_components GLOBAL PROPERTY IDF_HOST_COMPONENTS)
    if(name IN_LIST project_components OR NOT EXISTS /usr/include/mbedtls/ssl.h)
        return()
    endif()
    set(dir "${IDF_PATH}/components/${name}")
    file(GLOB sources "${dir}/*.c")
    list(SORT sources)
    set(lib "__idf_${name}_code")
    add_library(${lib} STATIC ${sources})
    set_target_properties(${lib} PROPERTIES OUTPUT_NAME "${name}" LINKER_LANGUAGE C)
    idf_build_get_property(config_dir CONFIG_DIR)
    target_include_directories(${lib} PRIVATE "${config_dir}" "${IDF_HOST_INCLUDE}")
    target_compile_options(${lib} PRIVATE ${IDF_HOST_C_FLAGS})
    target_compile_definitions(${lib} PRIVATE "ESP_IDF_HOST_PROJECT_SDKCONFIG=\"${config_dir}/sdkconfig.h\"")
    target_link_libraries(${lib} PUBLIC ${requires})
    target_link_libraries("__idf_${name}" INTERFACE ${lib})
    set_property(GLOBAL PROPERTY "IDF_HOST_COMPONENT_${name}_DIR" "${dir}")
endfunction()

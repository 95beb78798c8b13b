/*
 * http_parser.h on the host: the request-method enum esp_http_server uses
 * (values as in nodejs/http-parser, which ESP-IDF bundles).  The parser itself is
 * not provided.
 */
#ifndef ESP_IDF_HOST_HTTP_PARSER_H
#define ESP_IDF_HOST_HTTP_PARSER_H

enum http_method {
    HTTP_DELETE = 0,
    HTTP_GET = 1,
    HTTP_HEAD = 2,
    HTTP_POST = 3,
    HTTP_PUT = 4,
    HTTP_CONNECT = 5,
    HTTP_OPTIONS = 6,
    HTTP_TRACE = 7,
    HTTP_PATCH = 28,
};

#endif

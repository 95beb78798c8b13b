#!/bin/bash -eu
# OSS-Fuzz-style build of the UART RX fuzz target: a firmware's C files (instrumented with $CFLAGS) on the ESP-IDF
# host layer (plain -O1: not instrumented, so coverage is the firmware's) and Debian's liblwip, linked with
# $LIB_FUZZING_ENGINE into $OUT/$FUZZER_NAME, with its seed corpus and dictionary beside it when they exist.
#
#   CC, CFLAGS, LIB_FUZZING_ENGINE, OUT   as OSS-Fuzz / ClusterFuzzLite set them (defaults: the toolchain's clang,
#                                         libFuzzer with ASan + UBSan)
#   FIRMWARE_SOURCES   the firmware's .c files, space separated (default: every .c under firmware/main)
#   FIRMWARE_INCLUDES  -I flags for them (default: firmware/main and each component's include/)
#   FUZZ_ENTRY         the entry function (default app_main)
#   FUZZER_NAME        default uart_rx_fuzzer
#   WORK               scratch directory for objects (default: a temporary one)
#   FUZZ_LDFLAGS       extra link flags (ClusterFuzzLite: an rpath to the liblwip it ships beside the binary)
#   HOST_OBJECTS       a directory for the host layer's objects, shared between targets: compiled there once
#                      (marked by .complete), reused after; with HOST_ONLY=1 only that is done
#
# `uart-tunnel fuzz` runs this script with the toolchain's clang; CI runs it the same way to prove it builds.
set -eu   # also when run as `bash build.sh`, which ignores the -eu of the #! line
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC="${CC:-clang}"
CFLAGS="${CFLAGS:--O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link}"
LIB_FUZZING_ENGINE="${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}"
OUT="${OUT:-$ROOT/.build/fuzz}"
FUZZER_NAME="${FUZZER_NAME:-uart_rx_fuzzer}"
FUZZ_ENTRY="${FUZZ_ENTRY:-app_main}"
HOST_CFLAGS="${HOST_CFLAGS:--O1 -g}"
JOBS="${JOBS:-$(nproc)}"
if [ -z "${FIRMWARE_SOURCES:-}" ]; then
    FIRMWARE_SOURCES="$(find "$ROOT/firmware/main" -name '*.c' | sort | tr '\n' ' ')"
    FIRMWARE_INCLUDES="-I$ROOT/firmware/main $(find "$ROOT/firmware/main" -type d -name include | sort | sed 's/^/-I/' | tr '\n' ' ')"
fi
FIRMWARE_INCLUDES="${FIRMWARE_INCLUDES:-}"
OWN_WORK=""
if [ -z "${WORK:-}" ]; then
    WORK="$(mktemp -d)"
    OWN_WORK="$WORK"
fi
trap '[ -n "$OWN_WORK" ] && rm -rf "$OWN_WORK"' EXIT
mkdir -p "$OUT" "$WORK/firmware"

HOST="$ROOT/CShims/CEspIdfHost"
LWIP_CFLAGS="$(pkg-config --cflags lwip 2>/dev/null || echo -I/usr/include/lwip)"
LWIP_LIBS="$(pkg-config --libs lwip 2>/dev/null || echo -llwip)"
COMMON="-std=gnu17 -pthread -D_GNU_SOURCE -DESP_PLATFORM=1 -DESP_IDF_HOST=1 -I$HOST/esp-idf/include $LWIP_CFLAGS"
HOST_INCLUDES="-I$HOST/src -I$HOST/include -I$ROOT/CShims/CLwIPShims/include -I$ROOT/CShims/CUartTunnelWire/include"

# The host layer, the wire rules, the lwIP shims and the harness: not instrumented (the entry is the firmware's,
# named at link time).
HOST_DIR="${HOST_OBJECTS:-$WORK/host}"
mkdir -p "$HOST_DIR"
if [ ! -f "$HOST_DIR/.complete" ]; then
    HOST_FILES="$(ls "$HOST"/src/*/*.c) $ROOT/CShims/CLwIPShims/shim.c $ROOT/CShims/CUartTunnelWire/wire.c $(ls "$ROOT"/fuzz/harness/*.c)"
    printf '%s\n' $HOST_FILES | xargs -P "$JOBS" -I{} sh -c \
        'f="{}"; o="$0/$(echo "$f" | tr / _).o"; '"$CC"' '"$HOST_CFLAGS"' '"$COMMON"' '"$HOST_INCLUDES"' -c "$f" -o "$o"' "$HOST_DIR"
    touch "$HOST_DIR/.complete"
fi
if [ "${HOST_ONLY:-0}" = 1 ]; then exit 0; fi

# The firmware: coverage and sanitizers, as its own build would include it (-Werror for calls the layer lacks).
for f in $FIRMWARE_SOURCES; do
    $CC $CFLAGS $COMMON $FIRMWARE_INCLUDES -Wall -Werror=implicit-function-declaration -Werror=implicit-int \
        -c "$f" -o "$WORK/firmware/$(echo "$f" | tr / _).o"
done

WRAP="-fuse-ld=lld -Wl,--wrap=pthread_cond_broadcast -Wl,--wrap=pthread_cond_signal -Wl,--wrap=pthread_create"
# The firmware's socket calls (POSIX and lwip_* names) reach lwIP by descriptor (src/netif/socket_wraps.c; the
# names are FirmwareCompiler.socketWrapNames). The host objects share this link: their own calls on Linux
# descriptors pass through, and theirs to liblwip go through __real_lwip_* (src/netif/sockets.c).
WRAP="$WRAP -Wl,--wrap=socket,--wrap=bind,--wrap=listen,--wrap=accept,--wrap=connect,--wrap=send,--wrap=recv,--wrap=sendto"
WRAP="$WRAP -Wl,--wrap=recvfrom,--wrap=setsockopt,--wrap=getsockopt,--wrap=getsockname,--wrap=getpeername,--wrap=shutdown"
WRAP="$WRAP -Wl,--wrap=close,--wrap=read,--wrap=write,--wrap=select,--wrap=poll,--wrap=fcntl,--wrap=ioctl"
WRAP="$WRAP -Wl,--wrap=sendmsg,--wrap=recvmsg,--wrap=lwip_sendmsg,--wrap=lwip_recvmsg"
WRAP="$WRAP -Wl,--wrap=lwip_socket,--wrap=lwip_bind,--wrap=lwip_listen,--wrap=lwip_accept,--wrap=lwip_connect"
WRAP="$WRAP -Wl,--wrap=lwip_send,--wrap=lwip_recv,--wrap=lwip_sendto,--wrap=lwip_recvfrom,--wrap=lwip_setsockopt"
WRAP="$WRAP -Wl,--wrap=lwip_getsockopt,--wrap=lwip_getsockname,--wrap=lwip_getpeername,--wrap=lwip_shutdown"
WRAP="$WRAP -Wl,--wrap=lwip_close,--wrap=lwip_read,--wrap=lwip_write,--wrap=lwip_poll,--wrap=lwip_fcntl,--wrap=lwip_ioctl"
WRAP="$WRAP -Wl,--wrap=getaddrinfo,--wrap=gethostbyname"   # said once per name (src/netif/resolver_wraps.c)
$CC $CFLAGS $LIB_FUZZING_ENGINE "$HOST_DIR"/*.o "$WORK"/firmware/*.o -rdynamic $WRAP -Wl,--defsym=uart_tunnel_fuzz_entry="$FUZZ_ENTRY" \
    $LWIP_LIBS -lpthread -ldl ${FUZZ_LDFLAGS:-} \
    -o "$OUT/$FUZZER_NAME"
for extra in dict options; do
    if [ -f "$ROOT/fuzz/uart_rx_fuzzer.$extra" ]; then cp "$ROOT/fuzz/uart_rx_fuzzer.$extra" "$OUT/$FUZZER_NAME.$extra"; fi
done
if [ -d "$ROOT/fuzz/corpus" ]; then
    (cd "$ROOT/fuzz/corpus" && zip -q -r "$OUT/${FUZZER_NAME}_seed_corpus.zip" . 2>/dev/null) || true
fi

#!/bin/bash -eu
# The Swift libFuzzer targets, built by the Swift toolchain's swiftc module by module (as `swift build` would, with
# -sanitize=fuzzer,address on the code under test) into $OUT:
#
#   record_decoder_fuzzer  the RecordDecoder (Sources/UartTunnelWire)
#   swift_driver_fuzzer    the Swift reference driver (Sources/UartTunnelDevice/SwiftNetifDriver.swift) on the
#                          TunnelNetif (Sources/UartTunnelLwIP) and Debian's real liblwip
#
# Only the modules under test get coverage and ASan (-O, as a release build); their dependencies are plain -O, and
# the harness (fuzz/swift/*.swift, with steps.c and wire_view.c from fuzz/harness: the same input format and oracle
# as the firmware target) has no coverage, so libFuzzer's features and its time are the code under test's.
# Not part of `swift build`: plain builds are unaffected.
#
#   OUT            where the binaries go (default .build/fuzz)
#   SWIFTC, CC     the toolchain's swiftc and clang
#   FUZZ_TARGETS   which to build (default: both)
#   SWIFT_SANITIZERS  the code under test's -sanitize= list (default fuzzer,address; fuzzer alone measures what
#                  ASan costs)
#   SWIFT_LINK_FLAGS  extra link flags (ClusterFuzzLite: -static-stdlib and an rpath, as its runner has no Swift)
#
# Each binary gets the firmware target's dictionary and seed corpus beside it (<name>.dict,
# <name>_seed_corpus.zip): the inputs are the same steps format.
set -eu   # also when run as `bash build.sh`, which ignores the -eu of the #! line
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SWIFTC="${SWIFTC:-swiftc}"
CC="${CC:-clang}"
OUT="${OUT:-$ROOT/.build/fuzz}"
FUZZ_TARGETS="${FUZZ_TARGETS:-record_decoder_fuzzer swift_driver_fuzzer}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT" "$WORK/modules" "$WORK/objects"
SWIFT_SANITIZERS="${SWIFT_SANITIZERS:-fuzzer,address}"
UNDER_TEST="-O -g -sanitize=$SWIFT_SANITIZERS"
PLAIN="-O -g"
LWIP_CFLAGS="$(pkg-config --cflags lwip 2>/dev/null || echo -I/usr/include/lwip)"
LWIP_XCC="$(for flag in $LWIP_CFLAGS; do printf -- '-Xcc %s ' "$flag"; done)"
LWIP_LIBS="$(pkg-config --libs lwip 2>/dev/null || echo -llwip)"

# A C module: its headers (space separated) in a module map for Swift, its objects plain -O2 (not code under test).
c_module() {
    local name="$1" headers="$2"; shift 2
    mkdir -p "$WORK/modules/$name"
    {
        echo "module $name {"
        for header in $headers; do echo "    header \"$header\""; done
        echo "    export *"
        echo "}"
    } > "$WORK/modules/$name/module.modulemap"
    for f in "$@"; do
        "$CC" -O2 -g $LWIP_CFLAGS -I"$(dirname "$f")/include" -I"$ROOT/CShims/CUartTunnelWire/include" \
            -c "$f" -o "$WORK/objects/${name}_$(basename "$f" .c).o"
    done
}

# The harness's globals are its own (one thread drives each input): no run-time exclusivity checks there.
HARNESS_SANITIZERS="$(echo "$SWIFT_SANITIZERS" | tr , '\n' | grep -v '^fuzzer$' | paste -sd, -)"
HARNESS_FLAGS="$PLAIN ${HARNESS_SANITIZERS:+-sanitize=$HARNESS_SANITIZERS} -enforce-exclusivity=unchecked"

# A Swift module from its directory's files (every .swift under it), into one object.
swift_module() {
    local name="$1" flags="$2" directory="$3"; shift 3
    # shellcheck disable=SC2046
    "$SWIFTC" $flags -parse-as-library -wmo -module-name "$name" -I "$WORK/modules" -I "$ROOT/Sources/CLwIP" \
        $LWIP_XCC "$@" -emit-module -emit-module-path "$WORK/modules/$name.swiftmodule" \
        -c $(find "$directory" -name '*.swift' | sort) -o "$WORK/objects/$name.o"
}

c_module CUartTunnelWire "$ROOT/CShims/CUartTunnelWire/include/CUartTunnelWire.h" "$ROOT/CShims/CUartTunnelWire/wire.c"
c_module CFuzzHarness "$ROOT/fuzz/harness/steps.h $ROOT/fuzz/harness/wire_view.h" \
    "$ROOT/fuzz/harness/steps.c" "$ROOT/fuzz/harness/wire_view.c"
swift_module UartTunnelWire "$UNDER_TEST" "$ROOT/Sources/UartTunnelWire"
HARNESS="$WORK/objects/CUartTunnelWire_wire.o $WORK/objects/CFuzzHarness_steps.o $WORK/objects/CFuzzHarness_wire_view.o"

for target in $FUZZ_TARGETS; do
    case "$target" in
    record_decoder_fuzzer)
        swift_module RecordDecoderFuzzer "$HARNESS_FLAGS" "$ROOT/fuzz/swift/decoder" \
            "$ROOT/fuzz/swift/StepPlayer.swift"
        # shellcheck disable=SC2086
        "$SWIFTC" -sanitize="$SWIFT_SANITIZERS" -use-ld=lld "$WORK/objects/UartTunnelWire.o" "$WORK/objects/RecordDecoderFuzzer.o" \
            $HARNESS ${SWIFT_LINK_FLAGS:-} -o "$OUT/record_decoder_fuzzer"
        ;;
    swift_driver_fuzzer)
        c_module CLwIPShims "$ROOT/CShims/CLwIPShims/include/CLwIPShims.h" "$ROOT/CShims/CLwIPShims/shim.c"
        c_module CFuzzLwIPReset "$ROOT/fuzz/harness/lwip_reset.h" "$ROOT/fuzz/harness/lwip_reset.c"
        c_module CUartTunnelLinux "$(ls "$ROOT"/CShims/CUartTunnelLinux/include/*.h | tr '\n' ' ')" \
            "$ROOT"/CShims/CUartTunnelLinux/*.c
        swift_module UartTunnelSystem "$PLAIN" "$ROOT/Sources/UartTunnelSystem"
        swift_module Logging "$PLAIN" "$ROOT/.build/checkouts/swift-log/Sources/Logging" -swift-version 6 -package-name swift_log \
            -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
            -enable-upcoming-feature InternalImportsByDefault -enable-upcoming-feature NonisolatedNonsendingByDefault
        swift_module UartTunnelLog "$PLAIN" "$ROOT/Sources/UartTunnelLog"
        swift_module UartTunnelLink "$PLAIN" "$ROOT/Sources/UartTunnelLink"
        swift_module UartTunnelLwIP "$UNDER_TEST" "$ROOT/Sources/UartTunnelLwIP"
        swift_module UartTunnelDevice "$UNDER_TEST" "$ROOT/Sources/UartTunnelDevice"
        swift_module SwiftDriverFuzzer "$HARNESS_FLAGS" "$ROOT/fuzz/swift/driver" \
            "$ROOT/fuzz/swift/StepPlayer.swift"
        "$SWIFTC" -sanitize="$SWIFT_SANITIZERS" -use-ld=lld $(ls "$WORK"/objects/*.o | grep -v RecordDecoderFuzzer) \
            -o "$OUT/swift_driver_fuzzer" $LWIP_LIBS -lpthread -ldl ${SWIFT_LINK_FLAGS:-}
        ;;
    *) echo "fuzz/swift/build.sh: unknown target $target" >&2; exit 2 ;;
    esac
    cp "$ROOT/fuzz/uart_rx_fuzzer.dict" "$OUT/$target.dict"
    if [ -d "$ROOT/fuzz/corpus" ] && command -v zip >/dev/null; then
        rm -f "$OUT/${target}_seed_corpus.zip"
        (cd "$ROOT/fuzz/corpus" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
    fi
done

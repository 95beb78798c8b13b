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
# as the firmware target) has neither, so libFuzzer's features and its time are the code under test's.
# Not part of `swift build`: plain builds are unaffected.
#
# The modules under test are instrumented in clang's order, not swiftc's. `swiftc -sanitize=fuzzer,address` adds
# SanitizerCoverage after AddressSanitizer (performLLVMOptimizations in swift/lib/IRGen/IRGen.cpp registers both at
# the optimizer's last extension point, ASan first), so coverage also traces ASan's own shadow checks: every load
# and store gets a traced compare and two edges, half the decoder target's counters. So swiftc emits the module's
# LLVM IR (SIL-optimized; its LLVM passes, Swift's ARC ones among them, left out), every function is marked
# sanitize_address as `-sanitize=address` marks it, and the Swift toolchain's own clang (the same LLVM) runs -O2
# with -fsanitize=fuzzer-no-link,address, which adds coverage first, as for C. The object is checked for both.
#
#   OUT            where the binaries go (default .build/fuzz)
#   SWIFTC, CC     the toolchain's swiftc, and the clang for the C harness (OSS-Fuzz's $CC under ClusterFuzzLite)
#   SWIFT_CLANG    the clang that instruments the Swift IR (default: the one beside swiftc, whose LLVM reads it)
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
SWIFT_CLANG="${SWIFT_CLANG:-$(dirname "$(readlink -f "$(command -v "$SWIFTC")")")/clang}"
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

# The harness's globals are its own (one thread drives each input): no run-time exclusivity checks there. It is
# not code under test: uninstrumented, as the C harness is, it runs beside ASan's runtime and costs what it costs.
HARNESS_FLAGS="$PLAIN -enforce-exclusivity=unchecked"

# A Swift module from its directory's files (every .swift under it), into one object.
swift_module() {
    local name="$1" flags="$2" directory="$3"; shift 3
    # shellcheck disable=SC2046
    "$SWIFTC" $flags -parse-as-library -wmo -module-name "$name" -I "$WORK/modules" -I "$ROOT/Sources/CLwIP" \
        $LWIP_XCC "$@" -emit-module -emit-module-path "$WORK/modules/$name.swiftmodule" \
        -c $(find "$directory" -name '*.swift' | sort) -o "$WORK/objects/$name.o"
}

# A module under test (see the top): swiftc's IR, marked for ASan, instrumented and optimized by SWIFT_CLANG.
under_test_module() {
    local name="$1" directory="$2" ir="$WORK/$1.ll" object="$WORK/objects/$1.o"
    # shellcheck disable=SC2046
    "$SWIFTC" $PLAIN -parse-as-library -wmo -module-name "$name" -I "$WORK/modules" -I "$ROOT/Sources/CLwIP" \
        $LWIP_XCC -emit-module -emit-module-path "$WORK/modules/$name.swiftmodule" \
        -emit-ir -Xfrontend -disable-llvm-optzns $(find "$directory" -name '*.swift' | sort) -o "$ir"
    case ",$SWIFT_SANITIZERS," in
    *,address,*) sed -i -E 's/^(attributes #[0-9]+ = \{ )(.*"target-cpu")/\1sanitize_address \2/' "$ir" ;;
    esac
    "$SWIFT_CLANG" -O2 -g -fsanitize="$(echo "$SWIFT_SANITIZERS" | sed 's/fuzzer/fuzzer-no-link/')" -c "$ir" -o "$object"
    instrumented "$object" fuzzer __sanitizer_cov_8bit_counters_init
    instrumented "$object" address __asan_report_
}

# Fails the build when a module under test lacks a sanitizer it was asked for (the IR's marks not taking, say).
instrumented() {
    case ",$SWIFT_SANITIZERS," in *,"$2",*) ;; *) return 0 ;; esac
    if ! nm "$1" | grep -q "$3"; then
        echo "fuzz/swift/build.sh: $(basename "$1") has no $2 instrumentation (no $3 in it)" >&2
        exit 1
    fi
}

c_module CUartTunnelWire "$ROOT/CShims/CUartTunnelWire/include/CUartTunnelWire.h" "$ROOT/CShims/CUartTunnelWire/wire.c"
c_module CFuzzHarness "$ROOT/fuzz/harness/steps.h $ROOT/fuzz/harness/wire_view.h" \
    "$ROOT/fuzz/harness/steps.c" "$ROOT/fuzz/harness/wire_view.c"
under_test_module UartTunnelWire "$ROOT/Sources/UartTunnelWire"
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
        under_test_module UartTunnelLwIP "$ROOT/Sources/UartTunnelLwIP"
        under_test_module UartTunnelDevice "$ROOT/Sources/UartTunnelDevice"
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

#!/bin/bash -eu
# The Swift RecordDecoder's libFuzzer target: Sources/UartTunnelWire and RecordDecoderFuzzer.swift in one module,
# with the C wire rules (CShims/CUartTunnelWire) beside it, built by the Swift toolchain's swiftc with
# -sanitize=fuzzer,address into $OUT/record_decoder_fuzzer. Not part of `swift build`: plain builds are unaffected.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SWIFTC="${SWIFTC:-swiftc}"
CC="${CC:-clang}"
OUT="${OUT:-$ROOT/.build/fuzz}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT" "$WORK/module"
cat > "$WORK/module/module.modulemap" <<MAP
module CUartTunnelWire {
    header "$ROOT/CShims/CUartTunnelWire/include/CUartTunnelWire.h"
    export *
}
MAP
"$CC" -O1 -g -fsanitize=fuzzer-no-link,address -I"$ROOT/CShims/CUartTunnelWire/include" \
    -c "$ROOT/CShims/CUartTunnelWire/wire.c" -o "$WORK/wire.o"
"$SWIFTC" -O -g -sanitize=fuzzer,address -parse-as-library -module-name UartTunnelWire \
    -I "$WORK/module" "$ROOT"/Sources/UartTunnelWire/*.swift "$ROOT/fuzz/swift/RecordDecoderFuzzer.swift" \
    "$WORK/wire.o" -o "$OUT/record_decoder_fuzzer"

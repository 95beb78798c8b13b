#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz entry: $CC, $CFLAGS, $LIB_FUZZING_ENGINE and $OUT come from the base builder.
# The fuzz binary links Debian's liblwip dynamically; OSS-Fuzz's runner image needs it beside the binary.
"$SRC/uart-tunnel/fuzz/build.sh"
mkdir -p "$OUT/lib"
cp "$(pkg-config --variable=libdir lwip 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)"/liblwip.so* "$OUT/lib/" 2>/dev/null || true
patchelf --set-rpath '$ORIGIN/lib' "$OUT/uart_rx_fuzzer" 2>/dev/null || true

#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz entry: $CC, $CFLAGS, $LIB_FUZZING_ENGINE and $OUT come from the base builder.
# Debian has no static liblwip: the binary finds the copy shipped in $OUT/lib through its rpath.
FUZZ_LDFLAGS='-Wl,-rpath,$ORIGIN/lib' "$SRC/uart-tunnel/fuzz/build.sh"
mkdir -p "$OUT/lib"
cp -L "$(pkg-config --variable=libdir lwip 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)"/liblwip.so.0 "$OUT/lib/"

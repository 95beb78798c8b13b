#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz entry: $CC, $CFLAGS, $LIB_FUZZING_ENGINE and $OUT come from the base builder.
# Debian has no static liblwip: the binaries find the copy shipped in $OUT/lib through their rpath.
FUZZ_LDFLAGS='-Wl,-rpath,$ORIGIN/lib' "$SRC/uart-tunnel/fuzz/build.sh"
mkdir -p "$OUT/lib"
cp -L "$(pkg-config --variable=libdir lwip 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)"/liblwip.so.0 "$OUT/lib/"

# The Swift targets (RecordDecoder, the Swift driver on lwIP): with the image's swiftc, for ASan builds only (the
# sanitizers Swift supports are address and thread). The runner has no Swift: the runtime libraries they load
# from the toolchain are shipped in $OUT/lib beside liblwip (a static stdlib would not take Foundation along).
if command -v swiftc >/dev/null && [ "${SANITIZER:-address}" = address ]; then
    SWIFTC=swiftc CC="${CC:-clang}" OUT="$OUT" \
        SWIFT_LINK_FLAGS='-no-toolchain-stdlib-rpath -Xlinker -rpath -Xlinker $ORIGIN/lib' \
        "$SRC/uart-tunnel/fuzz/swift/build.sh"
    TOOLCHAIN_LIB="$(cd "$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib" && pwd -P)"
    for target in ${FUZZ_TARGETS:-record_decoder_fuzzer swift_driver_fuzzer}; do
        LD_LIBRARY_PATH="$TOOLCHAIN_LIB/swift/linux" ldd "$OUT/$target" | awk '$2 == "=>" { print $3 }' \
            | { grep "^$TOOLCHAIN_LIB/" || true; } | xargs -r cp -L -t "$OUT/lib/"
    done
else
    echo "ClusterFuzzLite: Swift targets skipped (no swiftc, or sanitizer ${SANITIZER:-} is not address)" >&2
fi

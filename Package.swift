// swift-tools-version: 6.1
// uart-tunnel: the real lwIP stack on Linux behind a netif that mirrors the ESP32
// firmware's UART tunnel driver, plus the host bridge and conformance checks.
import PackageDescription

let package = Package(
    name: "uart-tunnel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "uart-tunnel", targets: ["uart-tunnel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // 1. Debian's liblwip, found through pkg-config.
        .systemLibrary(
            name: "CLwIP",
            path: "Sources/CLwIP",
            pkgConfig: "lwip",
            providers: [.apt(["liblwip-dev"])]
        ),
        // 2. C shims: lwIP macros and globals as out-of-line functions.
        .target(name: "CLwIPShims", dependencies: ["CLwIP"], path: "CShims/CLwIPShims"),

        // The ESP-IDF host layer: enough of ESP-IDF (uart, esp_netif, FreeRTOS tasks, esp_log, esp_http_server)
        // for firmware C drivers to run unmodified on host lwIP.
        // Its ESP-IDF headers (esp-idf/include) are for firmware compiled at run time, not for Swift. The firmware
        // .so resolves the host layer's symbols from the executable, hence --export-dynamic on whatever links it.
        // It depends on the lwIP shim (tcpip_init once, the PBUF_POOL check) and the wire rules, both below its base.
        .target(name: "CEspIdfHost", dependencies: ["CLwIP", "CLwIPShims", "CUartTunnelWire"], path: "CShims/CEspIdfHost",
                cSettings: [.headerSearchPath("esp-idf/include"), .headerSearchPath("src"), .define("_GNU_SOURCE")],
                linkerSettings: [.linkedLibrary("dl"), .unsafeFlags(["-Xlinker", "--export-dynamic"])]),
        // Syscalls wrapped in one place with typed errors.
        .target(name: "CUartTunnelLinux", path: "CShims/CUartTunnelLinux"),
        .target(name: "UartTunnelSystem", dependencies: ["CUartTunnelLinux"]),
        // ESP_LOG-style logging (levels and line format) on swift-log.
        .target(name: "UartTunnelLog", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // 3. Wire format, no lwIP. Its rules that the ESP-IDF host layer applies too (record bounds and header, the
        // gateway-ARP request, the ARP reply) live in one small C file both call.
        .target(name: "CUartTunnelWire", path: "CShims/CUartTunnelWire"),
        .target(name: "UartTunnelWire", dependencies: ["CUartTunnelWire"]),
        // 4. lwIP adapter: stack lifecycle, tunnel netif, static ARP.
        .target(name: "UartTunnelLwIP", dependencies: ["CLwIP", "CLwIPShims", "UartTunnelWire"]),
        // 5. Links: byte streams between a device and its peer.
        .target(name: "UartTunnelLink", dependencies: [
            "UartTunnelSystem", "UartTunnelWire", "UartTunnelLog", .product(name: "Logging", package: "swift-log"),
        ]),
        // The device endpoint: a link, the tunnel netif and the HTTP server on lwIP.
        .target(name: "UartTunnelDevice", dependencies: [
            "CLwIP", "CLwIPShims", "UartTunnelLwIP", "UartTunnelLink", "UartTunnelWire", "UartTunnelSystem",
            "UartTunnelLog", .product(name: "Logging", package: "swift-log"),
        ]),
        // Firmware C code (the in-repo driver or a user's) compiled at run time and run as a device driver.
        .target(name: "UartTunnelFirmwareHost", dependencies: [
            "CEspIdfHost", "CLwIP", "CLwIPShims", "UartTunnelDevice", "UartTunnelLink", "UartTunnelLwIP",
            "UartTunnelWire", "UartTunnelSystem", "UartTunnelLog", .product(name: "Logging", package: "swift-log"),
        ]),
        // 6. Bridge: TCP <-> TUN/TAP on Linux.
        .target(name: "UartTunnelBridge", dependencies: [
            "UartTunnelSystem", "UartTunnelWire", "UartTunnelLink", "UartTunnelLog", .product(name: "Logging", package: "swift-log"),
        ]),
        // 7. Checks: conformance suites with a report.
        .target(name: "UartTunnelChecks", dependencies: [
            "UartTunnelSystem", "UartTunnelWire", "UartTunnelLink", "UartTunnelLog",
        ]),
        // Fuzzing a firmware's UART RX path: fuzz/build.sh builds libFuzzer binaries with the toolchain's clang; this
        // module runs them, turns findings into reproducers and replays captures.
        .target(name: "UartTunnelFuzz", dependencies: [
            "UartTunnelFirmwareHost", "UartTunnelLink", "UartTunnelWire", "UartTunnelSystem",
        ]),
        // 8. The CLI.
        .executableTarget(name: "uart-tunnel", dependencies: [
            "UartTunnelDevice", "UartTunnelFirmwareHost", "UartTunnelBridge", "UartTunnelChecks", "UartTunnelWire", "UartTunnelLink",
            "UartTunnelSystem", "UartTunnelLwIP", "UartTunnelFuzz",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "UartTunnelLog", .product(name: "Logging", package: "swift-log"),
        ]),

        // Test support: the `.ownThreads` trait (blocking tests on threads of their own, quiet logs) for every test target.
        .target(name: "UartTunnelTestSupport", dependencies: ["UartTunnelChecks", "UartTunnelLog"]),

        // One test target per module, named <Module>Tests.
        .testTarget(name: "CUartTunnelWireTests", dependencies: ["CUartTunnelWire"]),
        .testTarget(name: "UartTunnelSystemTests", dependencies: ["UartTunnelSystem", "UartTunnelTestSupport"]),
        .testTarget(name: "UartTunnelLogTests", dependencies: [
            "UartTunnelLog", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "UartTunnelWireTests", dependencies: [
            "UartTunnelWire", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "UartTunnelLwIPTests", dependencies: [
            "UartTunnelLwIP", "UartTunnelDevice", "UartTunnelWire", "UartTunnelLink", "UartTunnelSystem", "UartTunnelChecks",
            "UartTunnelLog", "UartTunnelTestSupport", "CLwIP", "CLwIPShims",
        ]),
        .testTarget(name: "UartTunnelLinkTests", dependencies: [
            "UartTunnelLink", "UartTunnelWire", "UartTunnelSystem", "UartTunnelChecks", "UartTunnelLog",
            "UartTunnelTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        // The device as a process: `uart-tunnel device` started the way users start it.
        .testTarget(name: "UartTunnelDeviceTests", dependencies: [
            "UartTunnelDevice", "UartTunnelSystem", "UartTunnelWire", "UartTunnelChecks", "UartTunnelLog",
            "UartTunnelTestSupport",
        ]),
        // Fixtures: C drivers the tests compile at run time through `uart-tunnel device --driver`, not part of the target.
        .testTarget(name: "UartTunnelFirmwareHostTests", dependencies: [
            "UartTunnelFirmwareHost", "UartTunnelChecks", "UartTunnelSystem", "UartTunnelWire", "UartTunnelLink", "UartTunnelLog",
            "UartTunnelTestSupport",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "UartTunnelBridgeTests", dependencies: [
            "UartTunnelBridge", "UartTunnelWire", "UartTunnelSystem", "UartTunnelChecks", "UartTunnelLog",
            "UartTunnelTestSupport",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "UartTunnelChecksTests", dependencies: [
            "UartTunnelChecks", "UartTunnelSystem", "UartTunnelWire", "UartTunnelLog", "UartTunnelTestSupport",
        ]),
        // The CLI as a user meets it: the built `uart-tunnel`, its --help, its errors, audit.
        .testTarget(name: "UartTunnelCLITests", dependencies: ["UartTunnelChecks", "UartTunnelTestSupport"]),
        // Fixtures: clean-room drivers with planted bugs, built into fuzz binaries at run time, not part of the target.
        .testTarget(name: "UartTunnelFuzzTests", dependencies: [
            "UartTunnelFuzz", "UartTunnelLink", "UartTunnelWire", "UartTunnelChecks", "UartTunnelTestSupport",
        ], exclude: ["Fixtures"]),
    ]
)

import Logging
import UartTunnelSystem
import UartTunnelWire

/// Brings the interface to the wanted state: MAC (tap), MTU, IPv4 address and netmask, no IPv6 router
/// advertisements or autoconfiguration from the device (unless allowed), link up. Each setting is
/// read first and changed only when it differs, so an interface configured beforehand by an administrator
/// works for a bridge without CAP_NET_ADMIN; a missing privilege is reported with the `ip` command to run.
enum InterfaceSetup {
    static func apply(_ configuration: BridgeConfiguration, name: InterfaceName, logger: Logger) throws(BridgeError) {
        let interface = NetworkInterface(name)
        let dev = name.rawValue
        let address = configuration.address

        if configuration.mode == .tap {
            // Without the host MAC the device's static ARP entry points at an address the kernel drops.
            let mac = configuration.hostMAC
            try ensure("MAC \(mac) on \(dev)", fix: "sudo ip link set dev \(dev) address \(mac)", logger,
                       read: { () throws(SystemError) in try interface.hardwareAddress() == mac.bytes },
                       write: { () throws(SystemError) in try interface.setHardwareAddress(mac.bytes) })
        }
        try ensure("MTU \(configuration.mtu) on \(dev)", fix: "sudo ip link set dev \(dev) mtu \(configuration.mtu)", logger,
                   read: { () throws(SystemError) in try interface.mtu() == configuration.mtu },
                   write: { () throws(SystemError) in try interface.setMTU(configuration.mtu) })
        try ensure("address \(address) on \(dev)", fix: "sudo ip addr add \(address) dev \(dev)", logger,
                   read: { () throws(SystemError) in
                       let current = try interface.ipv4Address()
                       let mask = try interface.ipv4Netmask()  // `&&` would make the throw untyped
                       return current == address.address.bytes && mask == address.netmask.bytes
                   },
                   write: { () throws(SystemError) in
                       // SIOCSIFADDR resets the netmask to the classful default, so the mask goes second.
                       try interface.setIPv4Address(address.address.bytes)
                       try interface.setIPv4Netmask(address.netmask.bytes)
                   })
        if !configuration.acceptRouterAdvertisements {
            // A device's Router Advertisement would otherwise install a default route and an address on the host
            // (accept_ra is 1 by default): firmware under test must not be able to rewrite the host's routing.
            for name in ["accept_ra", "autoconf"] {
                let setting = KernelSetting("net/ipv6/conf/\(dev)/\(name)")
                guard setting.exists else { continue }  // IPv6 disabled: nothing to accept
                try ensure("\(name)=0 on \(dev)", fix: "sudo sysctl -w \(setting)=0", logger,
                           read: { () throws(SystemError) in try setting.read() == "0" },
                           write: { () throws(SystemError) in try setting.write("0") })
            }
        }
        try ensure("link up on \(dev)", fix: "sudo ip link set dev \(dev) up", logger,
                   read: { () throws(SystemError) in try interface.isUp() },
                   write: { () throws(SystemError) in try interface.setUp() })
    }

    private static func ensure(
        _ setting: String, fix: String, _ logger: Logger,
        read: () throws(SystemError) -> Bool, write: () throws(SystemError) -> Void
    ) throws(BridgeError) {
        do {
            if try read() {
                logger.debug("\(setting): already set")
                return
            }
            try write()
            logger.debug("\(setting): set")
        } catch {
            throw .configureInterface(error, setting: setting, fix: fix)
        }
    }
}

import UartTunnelDevice

extension FirmwareDriver {
    /// A `TunnelDevice` driver factory that compiles and loads `sources` when the device is created.
    public static func factory(sources: FirmwareSources, options: Options = Options()) -> TunnelDevice.DriverFactory {
        { configuration, logger, send in
            try FirmwareDriver(sources: sources, configuration: configuration, logger: logger, send: send,
                               options: options)
        }
    }
}

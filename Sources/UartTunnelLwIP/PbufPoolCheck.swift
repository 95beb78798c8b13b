import CLwIPShims

/// Compares PBUF_POOL's element size as liblwip was built with what its installed headers promise.
///
/// Debian's liblwip 2.1.3 was built with a 616-byte pool element while its headers say
/// `PBUF_POOL_BUFSIZE` 1536 (element 1560): `pbuf_alloc(PBUF_RAW, 1514, PBUF_POOL)` then returns one pbuf
/// that writes past its heap block, and glibc aborts under bulk TCP. A mismatch means pool pbufs are refused.
public struct PbufPoolCheck: Sendable, Equatable, CustomStringConvertible {
    public let libraryElementSize: Int
    public let headerElementSize: Int
    public let headerBufferSize: Int

    public static func inspect() -> PbufPoolCheck {
        PbufPoolCheck(
            libraryElementSize: Int(CLwIPShims_libraryPoolElementSize()),
            headerElementSize: Int(CLwIPShims_headerPoolElementSize()),
            headerBufferSize: Int(CLwIPShims_headerPoolBufSize()),
            isConsistent: CLwIPShims_pbufPoolConsistent() == 1
        )
    }

    /// The check itself is `CLwIPShims_pbufPoolConsistent`, which the ESP-IDF host layer's pbuf_alloc uses too.
    public let isConsistent: Bool

    public var description: String {
        if isConsistent {
            return "PBUF_POOL consistent: element \(libraryElementSize) bytes in library and headers"
        }
        return "PBUF_POOL mismatch: liblwip was built with \(libraryElementSize)-byte pool elements but its headers "
            + "say \(headerElementSize) (PBUF_POOL_BUFSIZE \(headerBufferSize)); a full frame in a pool pbuf would "
            + "overrun its heap block, so received frames use PBUF_RAM"
    }
}

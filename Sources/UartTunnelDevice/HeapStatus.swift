/// A firmware driver's heap (`--heap-kb`, the ESP-IDF host layer's src/system/heap.c), for `/api/status`.
public struct HeapStatus: Sendable, Codable, Equatable {
    public var sizeBytes: Int
    public var inUseBytes: Int
    /// The lowest free figure so far: what esp_get_minimum_free_heap_size reports.
    public var minimumFreeBytes: Int
    /// Allocations that returned NULL because the heap was full.
    public var refused: Int

    public init(sizeBytes: Int, inUseBytes: Int, minimumFreeBytes: Int, refused: Int) {
        self.sizeBytes = sizeBytes
        self.inUseBytes = inUseBytes
        self.minimumFreeBytes = minimumFreeBytes
        self.refused = refused
    }

    public var summary: String {
        "heap \(inUseBytes) of \(sizeBytes) B in use, minimum free \(minimumFreeBytes) B, refused \(refused)"
    }
}

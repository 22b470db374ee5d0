#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable array in fixed-size chunks, for a worker's cells: growing never copies (an element's
/// address is stable for its life), it can be put in any order in place, and it is emptied from the
/// front with each chunk freed as soon as its last element has been moved out.
///
/// At a 15-minute grain over years a worker holds hundreds of thousands of cells. A doubling array
/// holds up to twice what it needs and three times during a growth; handing the cells over as a new
/// array in key order then needed a second copy of all of them. Here the cells exist once throughout.
struct ChunkedStore<Element>: ~Copyable {
    static var chunkShift: Int { 11 }
    static var chunkSize: Int { 1 << chunkShift }

    private var chunks: UnsafeMutablePointer<UnsafeMutablePointer<Element>>
    private var chunkCapacity = 4
    private var chunkCount = 0
    /// Elements appended, including those moved out.
    private(set) var count = 0
    /// Elements moved out from the front (`takeFirst`); the chunks before theirs are freed.
    private var taken = 0

    init() {
        chunks = .allocate(capacity: chunkCapacity)
    }

    deinit {
        for index in taken..<count { address(index).deinitialize(count: 1) }
        for chunk in (taken >> Self.chunkShift)..<chunkCount { Self.free(chunks[chunk]) }
        chunks.deallocate()
    }

    /// Elements not yet moved out.
    var remaining: Int { count - taken }

    /// Where the first element not yet moved out lives, if any.
    var first: UnsafeMutablePointer<Element>? { taken < count ? address(taken) : nil }

    /// Where element `index` lives; valid until it is moved out.
    @inline(__always)
    func address(_ index: Int) -> UnsafeMutablePointer<Element> {
        chunks[index >> Self.chunkShift] + (index & (Self.chunkSize - 1))
    }

    /// Appends `element` and returns its (stable) address.
    @discardableResult
    mutating func append(_ element: Element) -> UnsafeMutablePointer<Element> {
        precondition(taken == 0, "no appends once elements are taken out")
        if count == chunkCount << Self.chunkShift {
            if chunkCount == chunkCapacity {
                let larger = UnsafeMutablePointer<UnsafeMutablePointer<Element>>.allocate(capacity: chunkCapacity * 2)
                larger.moveInitialize(from: chunks, count: chunkCount)
                chunks.deallocate()
                chunks = larger
                chunkCapacity *= 2
            }
            (chunks + chunkCount).initialize(to: Self.allocateChunk())
            chunkCount += 1
        }
        let slot = address(count)
        slot.initialize(to: element)
        count += 1
        return slot
    }

    /// Reorders the elements in place so that position `p` holds the element that was at `order[p]`
    /// (`order` is a permutation of `0..<count`; it is used as scratch and left with its bits inverted).
    mutating func permute(_ order: inout [Int32]) {
        precondition(taken == 0 && order.count == count, "a permutation of every element")
        for start in 0..<count where order[start] >= 0 {
            // Follow the cycle through `start`: each position takes its source's element, and the
            // last takes the element first lifted out of `start`.
            let lifted = address(start).move()
            var position = start
            while true {
                let source = Int(order[position])
                order[position] = ~order[position]
                if source == start {
                    address(position).initialize(to: lifted)
                    break
                }
                address(position).moveInitialize(from: address(source), count: 1)
                position = source
            }
        }
    }

    /// Moves the first element not yet taken out, freeing its chunk when it was the chunk's last.
    mutating func takeFirst() -> Element {
        precondition(taken < count, "an element left to take")
        let element = address(taken).move()
        taken += 1
        if taken & (Self.chunkSize - 1) == 0 || taken == count {
            let chunk = (taken - 1) >> Self.chunkShift
            Self.free(chunks[chunk])
            // A chunk freed early must not be freed again in `deinit`.
            if taken == count && taken & (Self.chunkSize - 1) != 0 { chunkCount = chunk }
        }
        return element
    }

    /// A chunk's bytes, a whole number of pages.
    private static var chunkBytes: Int {
        let page = 4096
        return (chunkSize * MemoryLayout<Element>.stride + page - 1) / page * page
    }

    /// Chunks are mapped directly, not taken from `malloc`: a freed chunk then leaves the process at
    /// once. From `malloc` (a worker thread's arena) a freed chunk stayed resident, so while the
    /// merge moved cells into the cube's array the resident size grew by the cells' whole size.
    private static func allocateChunk() -> UnsafeMutablePointer<Element> {
        guard let memory = mmap(nil, chunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED else {
            fatalError("out of memory: could not map \(chunkBytes) bytes for cells")
        }
        return memory.bindMemory(to: Element.self, capacity: chunkSize)
    }

    private static func free(_ chunk: UnsafeMutablePointer<Element>) {
        munmap(chunk, chunkBytes)
    }
}

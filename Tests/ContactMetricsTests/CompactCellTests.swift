import Foundation
import Testing
@testable import ContactMetrics

/// The compact parts of a cell against plain dictionaries: category tables (sorted arrays), the worker's
/// table of cell positions, and histograms taken straight from the store's BLOBs.
struct CompactCellTests {
    static let labels = ["covid", "theft", "fraud", "antisocial behaviour", "criminal damage, vehicle", "caf\u{E9}", "cafe\u{301}", ""]

    /// The counters' subscripts skip the bounds check: every field's raw value must index their storage, and
    /// every slot must be a field's (a storage once read 14 where it held 15).
    @Test func everyCounterHasItsSlot() {
        #expect(ContactCounters.Field.allCases.map(\.rawValue) == Array(0..<ContactCounters.storageSize))
        #expect(IncidentCounters.Field.allCases.map(\.rawValue) == Array(0..<IncidentCounters.storageSize))
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func categoryCountsAgreeWithADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var counts = CategoryCounts(), other = CategoryCounts()
        var reference: [String: Int64] = [:], otherReference: [String: Int64] = [:]
        for _ in 0..<500 {
            let label = Self.labels[Int(random.next() % UInt64(Self.labels.count))]
            let amount = Int64(random.next() % 5) + 1
            switch random.next() % 4 {
            case 0:
                other[label, default: 0] += amount
                otherReference[label, default: 0] += amount
            case 1 where random.unit() < 0.2:
                counts[label] = nil
                reference[label] = nil
            default:
                counts[label, default: 0] += amount
                reference[label, default: 0] += amount
            }
        }
        // "café" spelled composed and decomposed is one label, as it is one dictionary key.
        #expect(counts.dictionary == reference && other.dictionary == otherReference)
        #expect(counts.count == reference.count && counts.isEmpty == reference.isEmpty)
        #expect(counts.map(\.key) == reference.keys.sorted(), "iterated in label order")
        for label in Self.labels { #expect(counts[label] == reference[label]) }
        var merged = counts
        merged.add(other)
        #expect(merged.dictionary == reference.merging(otherReference, uniquingKeysWith: +))
        #expect(merged == CategoryCounts(Array(counts) + Array(other)), "built from repeated labels, counts add")
        #expect(CategoryCounts(reference) == counts && (counts == other) == (reference == otherReference))
    }

    /// `String`'s `<` is not a consistent order for some text outside NFC: U+0F73 and U+0F71 compare
    /// neither `<` nor `==` either way, while U+0F73 == U+0F71 U+0F72. Equal labels left apart by the sort
    /// are still one category (a store BLOB of such labels once stopped the run in `dictionary`).
    @Test func equalLabelsThatSortApartAreOneCategory() {
        let counts = CategoryCounts([(key: "\u{F73}", value: Int64(1)), (key: "\u{F71}", value: 1), (key: "\u{F71}\u{F72}", value: 1)])
        #expect(counts.count == 2 && counts.dictionary == ["\u{F73}": 2, "\u{F71}": 1])
        #expect(counts["\u{F71}\u{F72}"] == 2 && counts["\u{F73}"] == 2)
        // Merging such labels never loses a count or stops the run (which of them Swift holds equal is its own).
        var merged: CategoryCounts = ["\u{F73}": 1]
        merged.add(["\u{F71}": 1, "\u{F71}\u{F72}": 4])
        #expect(merged.reduce(0) { $0 + $1.value } == 6 && merged.dictionary.values.reduce(0, +) == 6)
    }

    /// `--dedupe` takes a cell's removed categories away in one pass; labels left at 0 go.
    @Test func subtractingCategoriesAgreesWithADictionary() {
        var counts: CategoryCounts = ["covid": 3, "theft": 1, "fraud": 2]
        counts.subtract(["covid": 1, "theft": 1])
        #expect(counts.dictionary == ["covid": 2, "fraud": 2] && counts.count == 2)
        var many = CategoryCounts((0..<5_000).map { (key: "label \($0)", value: Int64(2)) })
        many.subtract(CategoryCounts((0..<5_000).map { (key: "label \($0)", value: Int64($0 % 2 + 1)) }))
        #expect(many.count == 2_500 && many.allSatisfy { $0.value == 1 })
    }

    @Test func categoryTablesTakeTheRoomOfTheirLabels() {
        var grown = CategoryCounts()
        for (index, label) in Self.labels.prefix(5).enumerated() { grown[label] = Int64(index + 1) }
        var shrunk = grown
        shrunk.shrinkToFit()
        #expect(shrunk == grown)
        let built = CategoryCounts(Array(grown))
        #expect(built == grown)
        // What the cell holds: no more than one spare entry (what the allocation rounds up to).
        #expect(CategoryCounts.spareCapacity(of: shrunk) <= 1 && CategoryCounts.spareCapacity(of: built) <= 1)
    }

    /// Incident cells keep their referrals as compact tables too: equal to a recount of the rows, in label
    /// order, with no spare room, across thread counts, block sizes and `--dedupe` (which takes away).
    @Test(arguments: [(1, 1 << 20), (2, 4096), (3, 4099)])
    func incidentReferralsAreCompactTables(threads: Int, blockSize: Int) throws {
        let agencies = ["Social Services", "Local Authorities", "NHS", "caf\u{E9} partners", "none"]
        var random = SplitMix64(seed: UInt64(threads * 31 + blockSize))
        var csv = "incident_id,raised_at,deployed,referred_to\n"
        var expected: [Int64: [String: Int64]] = [:]
        for row in 0..<3_000 {
            let seconds = 1_554_076_800 + Int(random.next() % (3 * 86_400))
            let agency = agencies[Int(random.next() % UInt64(agencies.count))]
            let id = row % 10 == 9 ? row - 1 : row  // every tenth row repeats the id before it
            let time = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
            csv += "\(id),\(time),yes,\"\(agency)\"\n"
            if row % 10 != 9 && agency != "none" { expected[Int64(seconds / 900), default: [:]][agency, default: 0] += 1 }
        }
        var options = TestSupport.options(grain: .utcQuarterHour, threads: threads, blockSize: blockSize)
        options.dedupe = true
        let result = try TestSupport.ingest([TestSupport.temporaryFile(csv, name: "incidents.csv")], options)
        let referrals = result.cube.incidents.mapValues(\.referredByAgency).filter { !$0.value.isEmpty }
        #expect(referrals.mapValues(\.dictionary) == expected)
        for table in referrals.values {
            #expect(table.map(\.key) == table.dictionary.keys.sorted())
            #expect(CategoryCounts.spareCapacity(of: table) <= 1)
        }
    }

    /// The position table finds every key it was given, across its growths, against a dictionary.
    @Test(arguments: [1, 17, 5_000, 70_000])
    func cellPositionsAgreeWithADictionary(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        var table = CellPositions(initialCapacity: 1)
        var keys = GrowableArray<UInt64>()
        var reference: [UInt64: Int] = [:]
        for _ in 0..<count * 2 {
            // Keys as the accumulator packs them: periods close together, a few channels.
            let key = packCellKey(period: Int64(random.next() % UInt64(count)) - 3, label: Int32(random.next() % 3))
            let (position, isNew) = table.position(of: key, appendingTo: &keys)
            if let known = reference[key] {
                #expect(position == known && !isNew)
            } else {
                #expect(isNew && position == reference.count)
                reference[key] = position
            }
        }
        #expect(table.count == reference.count && keys.count == reference.count)
        for (key, position) in reference { #expect(keys[position] == key) }
    }

    /// A stored histogram is taken as its bytes; one written with longer varints than needed (by other
    /// software) is rebuilt, so equal histograms stay equal.
    @Test func storedHistogramsAreTakenAsTheyAre() throws {
        let histogram = WaitHistogram(counts: [0: 2, 9: 1, 300: 4, 86_400: 1])
        var decoded = WaitHistogram(), totals = StoreTotals()
        try CellEncoding.encode(histogram).withUnsafeBytes { try CellEncoding.decode($0, into: &decoded, totals: &totals, total: 0) }
        #expect(decoded == histogram && decoded.bytes == histogram.bytes)
        // (0, 2) with both varints padded to two bytes: 0x80 0x00 is 0, 0x84 0x00 is zigzag 4 = 2.
        let padded: [UInt8] = [0x80, 0x00, 0x84, 0x00]
        var rebuilt = WaitHistogram()
        try padded.withUnsafeBytes { try CellEncoding.decode($0, into: &rebuilt, totals: &totals, total: 0) }
        #expect(rebuilt == WaitHistogram(counts: [0: 2]))
        // Added into a histogram that already has waits, it merges.
        try CellEncoding.encode(histogram).withUnsafeBytes { try CellEncoding.decode($0, into: &rebuilt, totals: &totals, total: 0) }
        #expect(rebuilt.counts == [0: 4, 9: 1, 300: 4, 86_400: 1])
    }

    /// A label is shared only with a label of the same bytes: a store written before labels were
    /// normalised may spell one category "cafe\u{301}" in one cell and "café" in another, and each
    /// cell keeps its own spelling, as it did when each cell decoded its own.
    @Test func storedLabelsKeepTheirSpelling() throws {
        var shared = SharedLabels(), totals = StoreTotals()
        var decomposed = CategoryCounts(), composed = CategoryCounts()
        try CellEncoding.encode(["cafe\u{301} au lait, large": 1] as CategoryCounts).withUnsafeBytes {
            try CellEncoding.decode($0, into: &decomposed, totals: &totals, total: 0, shared: &shared)
        }
        try CellEncoding.encode(["caf\u{E9} au lait, large": 2] as CategoryCounts).withUnsafeBytes {
            try CellEncoding.decode($0, into: &composed, totals: &totals, total: 0, shared: &shared)
        }
        #expect(decomposed.map { Array($0.key.utf8) } == [Array("cafe\u{301} au lait, large".utf8)])
        #expect(composed.map { Array($0.key.utf8) } == [Array("caf\u{E9} au lait, large".utf8)])
    }

    /// Rolling cells up adds their categories under the spelling met first (as a dictionary did), and
    /// equals adding them one by one, with thousands of labels.
    @Test func rollingUpAddsCategoriesLikeADictionary() {
        var cube = Cube(grain: .utcQuarterHour)
        var reference: [String: Int64] = [:]
        var keys: [CellKey] = [], cells: [ContactCell] = []
        for slot in 0..<3_000 {
            var cell = ContactCell()
            let label = slot == 0 ? "cafe\u{301}" : slot == 1 ? "caf\u{E9}" : "label \(slot % 1_500)"
            cell.categories[label] = Int64(slot % 7 + 1)
            cell.counters.received = Int64(slot % 7 + 1)
            reference[label, default: 0] += Int64(slot % 7 + 1)
            keys.append(CellKey(period: Int64(slot), channel: "online"))
            cells.append(cell)
        }
        cube.contacts = ContactCells(keys: keys, values: cells)
        let year = cube.rolledUp(to: .local(.year)) { _ in 2019 }
        let categories = year.contacts.values.first?.categories
        #expect(categories?.dictionary == reference && reference.count == 1_501)
        #expect(categories?.first { $0.key == "caf\u{E9}" }.map { Array($0.key.utf8) } == Array("cafe\u{301}".utf8))
    }

    /// Labels read from the store are shared between cells, whatever their length.
    @Test func storedLabelsAreSharedBetweenCells() throws {
        let labels: CategoryCounts = ["criminal damage, vehicle": 2, "covid": 1]
        let bytes = CellEncoding.encode(labels)
        var shared = SharedLabels(), totals = StoreTotals()
        var first = CategoryCounts(), second = CategoryCounts()
        try bytes.withUnsafeBytes { try CellEncoding.decode($0, into: &first, totals: &totals, total: 0, shared: &shared) }
        try bytes.withUnsafeBytes { try CellEncoding.decode($0, into: &second, totals: &totals, total: 0, shared: &shared) }
        #expect(first == labels && second == labels)
        // The long label of the second cell is the first cell's string (the same UTF-8 storage), not a copy.
        let long = "criminal damage, vehicle"
        #expect(Self.storage(of: first.first { $0.key == long }!.key) == Self.storage(of: second.first { $0.key == long }!.key))
        // Decoded twice without sharing, they are two copies: the check above can tell.
        var apart = CategoryCounts(), again = CategoryCounts()
        try bytes.withUnsafeBytes { try CellEncoding.decode($0, into: &apart, totals: &totals, total: 0) }
        try bytes.withUnsafeBytes { try CellEncoding.decode($0, into: &again, totals: &totals, total: 0) }
        #expect(Self.storage(of: apart.first { $0.key == long }!.key) != Self.storage(of: again.first { $0.key == long }!.key))
    }

    private static func storage(of text: String) -> UnsafePointer<UInt8>? {
        var text = text
        return text.withUTF8 { $0.baseAddress }
    }
}

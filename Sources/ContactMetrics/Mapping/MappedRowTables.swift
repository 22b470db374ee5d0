/// The parts of a `MappedColumns` that the row decoder reads for every row (candidate columns, skip
/// and outcome rules, null tokens), in flat buffers this object owns. Reading them takes no reference
/// counting: the arrays, the nested rule arrays and the boxes of the recursive `FieldTest` did, about
/// seven retains and seven releases a row (measured with callgrind on Amazon Connect records), all on
/// objects every worker shares, so that the two cores of a run fought over their counts
/// (`swift_retain` and `swift_release` were 15% of a 2-thread profile).
final class MappedRowTables: @unchecked Sendable {  // immutable after init
    /// A range of one of the buffers below: candidate columns (first non-empty wins) of `columns`,
    /// strings of `values`, tests of `tests`, bytes of `bytes`.
    struct Slice {
        var start: Int32
        var count: Int32
    }

    /// One field test: the field (after null tokens) is empty, or equals one of `values` ignoring
    /// ASCII case; `negated` turns the answer (an odd number of `not`s).
    struct Test {
        var column: Int
        var negated: Bool
        var testsEmpty: Bool
        var values: Slice
    }

    /// Tests that must all pass; for an outcome rule, the outcome it gives.
    struct Rule {
        var tests: Slice
        var outcome: ContactContribution.Outcome
    }

    let columns: UnsafeBufferPointer<Int>
    let tests: UnsafeBufferPointer<Test>
    let skipRules: UnsafeBufferPointer<Rule>
    let outcomeRules: UnsafeBufferPointer<Rule>
    let values: UnsafeBufferPointer<Slice>
    let bytes: UnsafeBufferPointer<UInt8>
    /// The null tokens: a range of `values`.
    let nullValues: Slice
    /// The channel labels `MappedColumns.channelMap` gives the index of: a range of `values`.
    let channelLabels: Slice

    let contactId: Slice
    let channel: Slice
    let outcome: Slice
    let category: Slice
    let wrapUp: Slice
    let updatedAt: Slice

    init(contactId: [Int], channel: [Int], outcome: [Int], category: [Int], wrapUp: [Int], updatedAt: [Int],
         skipRules: [[MappedColumns.Condition]], outcomeRules: [MappedColumns.OutcomeRule], nullValues: [[UInt8]],
         channelLabels: [[UInt8]]) {
        var columnList: [Int] = [], testList: [Test] = [], valueList: [Slice] = [], byteList: [UInt8] = []
        func candidates(_ list: [Int]) -> Slice {
            defer { columnList += list }
            return Slice(start: Int32(columnList.count), count: Int32(list.count))
        }
        func strings(_ list: [[UInt8]]) -> Slice {
            let start = valueList.count
            for value in list {
                valueList.append(Slice(start: Int32(byteList.count), count: Int32(value.count)))
                byteList += value
            }
            return Slice(start: Int32(start), count: Int32(list.count))
        }
        func rule(_ conditions: [MappedColumns.Condition], _ outcome: ContactContribution.Outcome) -> Rule {
            let start = testList.count
            for condition in conditions {
                var test = condition.test, negated = false
                while case .not(let inner) = test {
                    negated.toggle()
                    test = inner
                }
                var values = Slice(start: 0, count: 0), testsEmpty = false
                switch test {
                case .empty: testsEmpty = true
                case .oneOf(let list): values = strings(list)
                case .not: preconditionFailure("unwrapped above")
                }
                testList.append(Test(column: condition.column, negated: negated, testsEmpty: testsEmpty, values: values))
            }
            return Rule(tests: Slice(start: Int32(start), count: Int32(testList.count - start)), outcome: outcome)
        }
        self.contactId = candidates(contactId)
        self.channel = candidates(channel)
        self.outcome = candidates(outcome)
        self.category = candidates(category)
        self.wrapUp = candidates(wrapUp)
        self.updatedAt = candidates(updatedAt)
        let skip = skipRules.map { rule($0, .other) }
        let outcomes = outcomeRules.map { rule($0.conditions, $0.outcome) }
        self.nullValues = strings(nullValues)
        self.channelLabels = strings(channelLabels)
        self.columns = Self.owned(columnList)
        self.tests = Self.owned(testList)
        self.skipRules = Self.owned(skip)
        self.outcomeRules = Self.owned(outcomes)
        self.values = Self.owned(valueList)
        self.bytes = Self.owned(byteList)
    }

    deinit {
        columns.deallocate()
        tests.deallocate()
        skipRules.deallocate()
        outcomeRules.deallocate()
        values.deallocate()
        bytes.deallocate()
    }

    /// A copy of `list` in memory this object frees (never empty, so that every base address is real).
    private static func owned<Element>(_ list: [Element]) -> UnsafeBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(1, list.count))
        _ = buffer.initialize(from: list)
        return UnsafeBufferPointer(start: buffer.baseAddress, count: list.count)
    }

    /// The bytes of value `index` of `values`.
    @inline(__always)
    func value(_ index: Int) -> UnsafeRawBufferPointer {
        let value = values[index]
        return UnsafeRawBufferPointer(start: bytes.baseAddress! + Int(value.start), count: Int(value.count))
    }

    /// The channel labels, for equality of two mappings.
    var channelLabelList: [[UInt8]] {
        (0..<Int(channelLabels.count)).map { Array(value(Int(channelLabels.start) + $0)) }
    }

    /// Whether `field` equals one of the strings `slice` of `values` (ASCII letters in either case).
    @inline(__always)
    func equalsOne(_ field: UnsafeRawBufferPointer, of slice: Slice) -> Bool {
        var index = Int(slice.start)
        let end = index &+ Int(slice.count)
        while index < end {
            if Int(values[index].count) == field.count, MappedFields.equalsIgnoringCase(field, value(index)) { return true }
            index &+= 1
        }
        return false
    }

    /// Whether `field` is a null token (an empty field is one too).
    @inline(__always)
    func isNull(_ field: UnsafeRawBufferPointer) -> Bool {
        field.isEmpty || nullValues.count > 0 && equalsOne(field, of: nullValues)
    }
}

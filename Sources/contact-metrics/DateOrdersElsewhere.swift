import ContactMetrics

/// The date orders `ingest` knows from outside a file, for a file whose day-month dates all read both ways (a UK
/// night of the 1st to the 12th of a month): the order the store's source of the same name was read in (so that a
/// night corrected with `--date-order` stays corrected when a nightly glob takes it in again), else the order the
/// store's sources read with the same config were read in and the run's files prove, when those agree (a source read
/// through another system's config says nothing of this one's dates: a review's US config moved a UK night a month).
struct DateOrdersElsewhere {
    /// Day- or month-first orders of stored sources, by name.
    private let bySource: [String: DateOrder]
    /// The stored sources read with the run's config.
    private let sameConfig: Set<String>
    private let shared: (order: DateOrder, whose: String)?
    /// Why no order is shared, when the store's sources and the run's files give both: said when a file is refused.
    private(set) var conflict: String?

    /// - Parameter config: the run's `config=` reading value (`IngestOptions.readingRecord`).
    init(store: ContactStore?, inputs: [String], encoding: TextEncoding?, config: String) throws {
        var bySource: [String: DateOrder] = [:], sameConfig = Set<String>()
        for source in try store?.sources() ?? [] {
            if let order = source.readingValue("date-order").flatMap(DateOrder.init(rawValue:)), order != .yearFirst { bySource[source.name] = order }
            if source.readingValue("config") == config { sameConfig.insert(source.name) }
        }
        self.bySource = bySource
        self.sameConfig = sameConfig
        let stored = Set(bySource.filter { sameConfig.contains($0.key) }.values)
        // A file alone (a nightly run) has no other files to prove an order: its own scan, in its run, is the only one.
        let proven = inputs.count > 1 ? try IngestEngine.provenDateOrder(of: inputs, encoding: encoding) : nil
        let orders = stored.union(proven.map { [$0] } ?? [])
        guard orders.count == 1, let order = orders.first else {
            shared = nil
            let otherConfigs = Set(bySource.filter { !sameConfig.contains($0.key) }.values)
            if orders.isEmpty && !otherConfigs.isEmpty {
                // A config edited, or another system's: the store's orders are not taken, and the refusal says why.
                conflict = "the store's sources read with another config (or none) were read "
                    + otherConfigs.map { $0 == .dayFirst ? "day first" : "month first" }.sorted().joined(separator: " and ")
                    + "; their order is taken only with the same config"
            }
            if orders.count > 1 {
                func named(_ order: DateOrder) -> String {
                    let names = bySource.filter { $0.value == order && sameConfig.contains($0.key) }.keys.sorted()
                    let first = order == .dayFirst ? "day first" : "month first"
                    return names.isEmpty ? "the run's other files prove \(first)" : "\(DisplayFormat.list(names.map { Escaping.visible($0) }, shown: 2)) read \(first)"
                }
                conflict = "the store's sources and the run's files do not agree on an order to read it in: \(named(.dayFirst)), \(named(.monthFirst))"
            }
            return
        }
        let whose = stored.isEmpty ? "the run's other files prove"
            : proven == nil ? "the store's sources were read" : "the store's sources were read and the run's other files prove"
        shared = (order, whose)
    }

    func order(forSourceNamed name: String) -> (order: DateOrder, whose: String)? {
        if let order = bySource[name], sameConfig.contains(name) { return (order, "the store's source of that name was read") }
        return shared
    }
}

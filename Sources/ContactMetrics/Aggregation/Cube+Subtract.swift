extension Cube {
    /// Takes `removed` out again (`--dedupe`: what the rows that repeat an earlier id added). Every
    /// cell of `removed` is part of a cell of this cube; a cell left with no rows is dropped.
    mutating func subtract(_ removed: Cube) {
        for (key, taken) in removed.contacts {
            guard var cell = contacts[key] else { continue }
            cell.counters.subtract(taken.counters)
            cell.answerWaits.subtract(taken.answerWaits)
            cell.abandonWaits.subtract(taken.abandonWaits)
            for (name, count) in taken.categories {
                let remaining = cell.categories[name, default: 0] - count
                cell.categories[name] = remaining == 0 ? nil : remaining
            }
            contacts[key] = cell.counters.received == 0 ? nil : cell
        }
        for (period, taken) in removed.incidents {
            guard var cell = incidents[period] else { continue }
            cell.counters.subtract(taken.counters)
            for (name, count) in taken.referredByAgency {
                let remaining = cell.referredByAgency[name, default: 0] - count
                cell.referredByAgency[name] = remaining == 0 ? nil : remaining
            }
            incidents[period] = cell.counters.incidents == 0 ? nil : cell
        }
    }
}

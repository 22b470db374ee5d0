extension Cube {
    /// Takes `removed` out again (`--dedupe`: what the rows that repeat an earlier id added). Every
    /// cell of `removed` is part of a cell of this cube; a cell left with no rows is dropped.
    mutating func subtract(_ removed: Cube) {
        if !removed.contacts.isEmpty {
            // Both in key order: one pass, and emptied cells removed in the same pass.
            var next = 0
            let takenKeys = removed.contacts.keys, takenCells = removed.contacts.values
            contacts.updateAll { key, cell in
                while next < takenKeys.count && takenKeys[next] < key { next += 1 }
                guard next < takenKeys.count && takenKeys[next] == key else { return true }
                let taken = takenCells[next]
                cell.counters.subtract(taken.counters)
                cell.answerWaits.subtract(taken.answerWaits)
                cell.abandonWaits.subtract(taken.abandonWaits)
                cell.categories.subtract(taken.categories)
                return cell.counters.received != 0
            }
        }
        for (period, taken) in removed.incidents {
            guard var cell = incidents[period] else { continue }
            cell.counters.subtract(taken.counters)
            cell.referredByAgency.subtract(taken.referredByAgency)
            incidents[period] = cell.counters.incidents == 0 ? nil : cell
        }
    }
}

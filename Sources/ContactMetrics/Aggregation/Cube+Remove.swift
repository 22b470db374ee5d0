extension Cube {
    /// Takes one row's contribution out again (`--dedupe`): what adding it did, with the sign turned.
    mutating func remove(_ row: DuplicateRow.Row, labels: WorkerLabels) {
        switch row {
        case .contact(let contact):
            let key = CellKey(period: contact.period, channel: labels.channels[Int(contact.channel)])
            guard var cell = contacts[key] else { return }
            cell.counters.count(contact, sign: -1)
            if contact.waitSeconds >= 0 {
                if contact.outcome == .answered { cell.answerWaits.add(seconds: contact.waitSeconds, count: -1) }
                if contact.outcome == .abandoned { cell.abandonWaits.add(seconds: contact.waitSeconds, count: -1) }
            }
            if contact.category >= 0 {
                let name = labels.categories[Int(contact.category)]
                let remaining = cell.categories[name, default: 0] - 1
                cell.categories[name] = remaining == 0 ? nil : remaining
            }
            contacts[key] = cell.counters.received == 0 ? nil : cell
        case .incident(let incident):
            guard var cell = incidents[incident.period] else { return }
            cell.counters.count(incident, sign: -1)
            if incident.referral == 1 {
                let name = labels.agencies[Int(incident.agency)]
                let remaining = cell.referredByAgency[name, default: 0] - 1
                cell.referredByAgency[name] = remaining == 0 ? nil : remaining
            }
            incidents[incident.period] = cell.counters.incidents == 0 ? nil : cell
        }
    }
}

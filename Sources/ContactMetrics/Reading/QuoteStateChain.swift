import Foundation

/// Tells the worker of each range of a file the quote state (`QuoteState`) at the range's start.
///
/// The state at the start of range i+1 is a function of the state at the start of range i and the
/// bytes of range i alone. A worker does not know its entry state when it reads its range, so it
/// works out the exit state for each of the three possible entry states (cheap: only quotes are
/// looked at), publishes that table, and waits for the ranges before its own. Ranges are handed
/// out in order and the table is the first thing computed for each, so the wait is at most one read
/// of one range, and usually none.
final class QuoteStateChain: @unchecked Sendable {
    /// The exit state for each entry state, by raw value.
    typealias Exits = (QuoteState, QuoteState, QuoteState)

    private let condition = NSCondition()
    private var exits: [Exits?]
    /// `entryStates[i]` is valid for every i ≤ `resolved`.
    private var entryStates: [QuoteState]
    private var resolved = 0
    private var abandoned = false

    init(rangeCount: Int) {
        exits = Array(repeating: nil, count: rangeCount)
        entryStates = Array(repeating: .outside, count: rangeCount + 1)  // the first data byte starts a record
    }

    func publish(range index: Int, exits table: Exits) {
        condition.lock()
        defer { condition.unlock() }
        exits[index] = table
        let before = resolved
        while resolved < exits.count, let table = exits[resolved] {
            switch entryStates[resolved] {
            case .outside: entryStates[resolved + 1] = table.0
            case .inside: entryStates[resolved + 1] = table.1
            case .afterQuoteInside: entryStates[resolved + 1] = table.2
            }
            resolved += 1
        }
        if resolved != before { condition.broadcast() }
    }

    /// The state before the first byte of range `index`; waits until every earlier range has
    /// published. Returns nil once the run is abandoned.
    func entryState(range index: Int) -> QuoteState? {
        condition.lock()
        defer { condition.unlock() }
        while resolved < index && !abandoned { condition.wait() }
        return abandoned ? nil : entryStates[index]
    }

    /// Wakes every waiter with nil (a worker failed or gave up on range reading).
    func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        condition.unlock()
    }
}

import Testing
@testable import ContactMetrics

/// Many inputs' alike notes are said for the first three and counted for the rest (730 daily files printed
/// 730 lines that differed in a name and a count).
@Suite struct RepeatedNotesTests {
    @Test func alikeNotesBeyondTheFirstThreeAreCounted() {
        let paths = (1...6).map { "night \($0).csv" } + ["night 1.csv.gz"]
        let notes = paths.prefix(6).enumerated().map { "\($1): \(1_000 * ($0 + 1)) rows' outcomes are \"transferred\"" }
            + ["night 1.csv.gz: 5 rows' outcomes are \"callback\"", "a note of the run, 12 rows"]
        let condensed = RepeatedNotes.condensed(notes, paths: paths)
        #expect(condensed == Array(notes.prefix(3)) + ["night 4.csv, night 5.csv and night 6.csv likewise: N rows' outcomes are \"transferred\""]
                + ["night 1.csv.gz: 5 rows' outcomes are \"callback\"", "a note of the run, 12 rows"])
        // Past the first three and one more, the inputs are counted too.
        let many = (1...9).map { "f\($0).csv: \($0) rows" }
        #expect(RepeatedNotes.condensed(many, paths: (1...9).map { "f\($0).csv" }).last == "f4.csv, f5.csv, f6.csv and 3 more inputs likewise: N rows")
        // Four alike are all said: a line for one more would save nothing.
        #expect(RepeatedNotes.condensed(Array(notes.prefix(4)), paths: paths) == Array(notes.prefix(4)))
        // Other words are another kind: said whole.
        let other = zip(paths.prefix(5), ["red", "green", "blue", "amber", "grey"]).map { "\($0): \"\($1)\" differs" }
        #expect(RepeatedNotes.condensed(other, paths: paths) == other)
    }
}

import Foundation
import Testing
@testable import ContactMetrics

@Suite struct UnmappedChannelsTests {
    /// A near key is taken for a misspelling only where letters differ: numbers and numbered queues are other channels.
    @Test func onlyLettersMakeAMisspelling() {
        #expect(UnmappedChannels.mayBeMisspelt("999 emergancy", as: "999 emergency"))
        #expect(!UnmappedChannels.mayBeMisspelt("5101", as: "2001"))
        #expect(!UnmappedChannels.mayBeMisspelt("emergency", as: "emergency2"))
        #expect(!UnmappedChannels.mayBeMisspelt("emergency", as: "emergency 2") && !UnmappedChannels.mayBeMisspelt("emergency", as: "emergency-3"))
        #expect(!UnmappedChannels.mayBeMisspelt("web", as: "wbe"))
    }

    @Test func aWarningForAMisspellingANoteOtherwise() throws {
        let config = try MappingConfig.parse(Data(#"{"channels": {"999 Emergancy": "999", "5101": "101", "EMERGENCY": "999"}}"#.utf8), name: "c.json")
        let misspelt = try #require(UnmappedChannels.message(labels: ["999 emergency", "999", "101"], config: config))
        #expect(misspelt.isWarning && misspelt.text.hasSuffix(#""999 emergency" (the key "999 Emergancy" misspelt?)"#))
        let others = try #require(UnmappedChannels.message(labels: ["2001", "emergency2", "999"], config: config))
        #expect(!others.isWarning && others.text == #"c.json: channel values its "channels" map does not name, kept as channels of their own (in lower case): "2001" and "emergency2""#)
        #expect(UnmappedChannels.message(labels: ["999", "101", "online"], config: config) == nil)
    }
}

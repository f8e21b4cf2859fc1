import Testing

@testable import BileanNotification

@Suite("Glob and EventTypeMatcher")
struct GlobTests {
    @Test(arguments: [
        ("compute.instance.*.end", "compute.instance.create.end", true),
        ("compute.instance.*.end", "compute.instance.finish_resize.end", true),
        ("compute.instance.*.end", "compute.instance.create.start", false),
        ("compute.instance.*.end", "xcompute.instance.create.end", false),
        ("*", "anything.at.all", true),
        ("*", "", true),
        ("*.end", "volume.resize.end", true),
        ("volume.*", "volume.retype", true),
        ("volume.*", "volume", false),
        ("image.?pload", "image.upload", true),
        ("image.?pload", "image.pload", false),
        ("volume.[cd]*.end", "volume.create.end", true),
        ("volume.[cd]*.end", "volume.delete.end", true),
        ("volume.[cd]*.end", "volume.resize.end", false),
        ("volume.[a-d]*", "volume.create.end", true),
        ("volume.[!a-d]*", "volume.create.end", false),
        ("volume.[!a-d]*", "volume.resize.end", true),
        ("a[]]b", "a]b", true),
        ("a[!]]b", "a]b", false),
        ("a[!]]b", "axb", true),
        ("a[-x]b", "a-b", true),
        ("Volume.*", "volume.create", false),
        ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true),
        ("identity.project.created", "identity.project.created", true),
        ("identity.project.created", "identity.project.create", false),
    ])
    func matchesLikeFnmatch(_ pattern: String, _ text: String, _ expected: Bool) throws {
        #expect(try Glob(pattern).matches(text) == expected)
    }

    @Test(arguments: ["", "volume.[cd", "volume.[", "a[z-a]b", "a[!"])
    func refusesBadGlobs(_ pattern: String) {
        #expect(throws: Glob.SyntaxError.self) { try Glob(pattern) }
    }

    @Test func exclusionsWinWhateverTheirOrder() throws {
        for patterns in [
            ["compute.instance.*.end", "!compute.instance.exists.end"],
            ["!compute.instance.exists.end", "compute.instance.*.end"],
        ] {
            let matcher = try EventTypeMatcher(patterns)
            #expect(matcher.matches("compute.instance.create.end"))
            #expect(!matcher.matches("compute.instance.exists.end"))
            #expect(!matcher.matches("volume.create.end"))
        }
    }

    @Test func anyPositiveGlobMatches() throws {
        let matcher = try EventTypeMatcher(["volume.resize.end", "volume.retype", "!volume.retype"])
        #expect(matcher.matches("volume.resize.end"))
        #expect(!matcher.matches("volume.retype"))
        #expect(matcher.description == "volume.resize.end, volume.retype, !volume.retype")
    }

    @Test(arguments: [[], ["!volume.*"], ["volume.*", "!"], ["volume.["]])
    func refusesBadLists(_ patterns: [String]) {
        #expect(throws: Glob.SyntaxError.self) { try EventTypeMatcher(patterns) }
    }
}

import Testing

@testable import BileanCore

@Suite("JSONNumber")
struct JSONNumberTests {
    static func zeros(_ count: Int) -> String { String(repeating: "0", count: count) }

    /// Each JSON text and its canonical form: what `Decimal`'s description gave, within its range.
    @Test(arguments: [
        ("0", "0"), ("-0", "0"), ("0.0", "0"), ("-0.000", "0"), ("0e5", "0"), ("0E-500", "0"), ("-0e99999", "0"),
        ("1", "1"), ("-1", "-1"), ("1.0", "1"), ("1.10", "1.1"), ("100", "100"), ("100.00", "100"),
        ("1e3", "1000"), ("1E+3", "1000"), ("1e03", "1000"), ("-1.5e+3", "-1500"), ("1.5E-3", "0.0015"),
        ("1E-7", "0.0000001"), ("0.000001", "0.000001"), ("123.4500e2", "12345"), ("12.5e-1", "1.25"),
        ("0.0150E2", "1.5"), ("1e38", "1" + zeros(38)), ("1e127", "1" + zeros(127)),
        ("1e165", "1" + zeros(165)), ("1e-128", "0." + zeros(127) + "1"), ("-1e-128", "-0." + zeros(127) + "1"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("99999999999999999999999999999999999999", "99999999999999999999999999999999999999"),
        ("1.2345678901234567890123456789012345678", "1.2345678901234567890123456789012345678"),
    ])
    func canonicalFormIsDecimalsPlainText(text: String, canonical: String) {
        #expect(JSONNumber.canonical(text) == canonical)
    }

    /// Beyond `Decimal`: every digit is kept, and outside its range of powers of ten the form is scientific.
    @Test(arguments: [
        ("123456789012345678901234567890123456789", "123456789012345678901234567890123456789"),
        ("1234567890123456789012345678901234567891", "1234567890123456789012345678901234567891"),
        ("99999999999999999999999999999999999999.5", "99999999999999999999999999999999999999.5"),
        (
            "-0." + zeros(50) + "12345678901234567890123456789012345678901",
            "-0." + zeros(50) + "12345678901234567890123456789012345678901"
        ),
        ("1e166", "1e166"), ("1" + zeros(166), "1e166"), ("15e165", "15" + zeros(165)), ("15e166", "1.5e167"),
        ("1e400", "1e400"),
        ("-1.25E-200", "-1.25e-200"), ("0." + zeros(128) + "1", "1e-129"), ("100e-131", "1e-129"),
        ("1e99999999999999999999", "1e99999999999999999999"),
        ("123e99999999999999999999999", "1.23e100000000000000000000001"),
        ("123e-99999999999999999999999", "1.23e-99999999999999999999997"),
        ("0.000123e-100000000000000000000", "1.23e-100000000000000000004"),
        ("1000e-100000000000000000001", "1e-99999999999999999998"),
        ("1e-00099999999999999999999", "1e-99999999999999999999"),
        ("99.9e99999999999999999999", "9.99e100000000000000000000"),
    ])
    func keepsEveryDigitBeyondDecimal(text: String, canonical: String) {
        #expect(JSONNumber.canonical(text) == canonical)
    }

    @Test(arguments: [
        "", "-", "+1", ".5", "5.", "1.e5", "01", "-01", "00", "1e", "1e+", "1E-", "0x10", "1_000", " 1", "1 ",
        "NaN", "Infinity", "-Infinity", "1,5", "1..2", "1e1.5", "--1", "١",
    ])
    func refusesTextOutsideTheJSONGrammar(text: String) {
        #expect(JSONNumber.canonical(text) == nil)
        #expect(!JSONNumber.isValid(text))
    }

    @Test func theCanonicalFormIsCanonical() {
        var random = RandomJSON(seed: 0x4E55_4D42)
        for _ in 0..<5_000 {
            let number = random.number(maximumDigits: 60, exponents: -300...300)
            let canonical = JSONNumber.canonical(number.text)
            #expect(canonical == number.expectedCanonical, "\(number.text)")
            #expect(canonical.flatMap(JSONNumber.canonical) == canonical, "\(number.text)")
        }
    }
}

import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import { formatAgo, formatDuration, formatLatency, formatPercent, formatPhone } from "../../src/shared/format.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) }

/** "1:02:03" → 3723 */
const parse = (text: string) => text.split(":").reduce((total, part) => total * 60 + Number(part), 0)

describe("formatDuration", () => {
  it("shows whole seconds as a clock that reads back to the same number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 3600 * 1000 }), (ms) => {
        const text = formatDuration(ms)
        expect(text).toMatch(/^(\d+:[0-5]\d:[0-5]\d|[0-5]?\d:[0-5]\d)$/)
        expect(parse(text)).toBe(Math.floor(ms / 1000))
      }),
      runs,
    )
  })

  it("shows a time already past as 0:00, not a negative clock", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 0 }), (ms) => {
        expect(formatDuration(ms)).toBe("0:00")
      }),
      runs,
    )
  })

  it("reads as people expect", () => {
    expect(formatDuration(7_400)).toBe("0:07")
    expect(formatDuration(750_000)).toBe("12:30")
    expect(formatDuration(3_723_000)).toBe("1:02:03")
  })
})

describe("formatAgo and formatPercent", () => {
  it("say never, minutes, hours and days", () => {
    const now = 1_700_000_000_000
    expect(formatAgo(null, now)).toBe("never")
    expect(formatAgo(now - 30_000, now)).toBe("just now")
    expect(formatAgo(now - 5 * 60_000, now)).toBe("5 min ago")
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe("3 h ago")
    expect(formatAgo(now - 86_400_000, now)).toBe("1 day ago")
    expect(formatAgo(now - 3 * 86_400_000, now)).toBe("3 days ago")
    expect(formatPercent(null)).toBe("—")
    expect(formatPercent(0.025)).toBe("2.5 %")
  })
})

describe("formatLatency", () => {
  it("never shows a longer wait as a smaller figure", () => {
    const seconds = (text: string) =>
      text.endsWith(" ms")
        ? Number(text.slice(0, -3)) / 1000
        : text.endsWith(" s")
          ? Number(text.slice(0, -2))
          : parse(text)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(seconds(formatLatency(lo))).toBeLessThanOrEqual(seconds(formatLatency(hi)))
      }),
      runs,
    )
  })

  it("shows milliseconds under a second, tenths under ten seconds, seconds under a minute, a clock beyond", () => {
    expect(formatLatency(42.4)).toBe("42 ms")
    expect(formatLatency(1_420)).toBe("1.4 s")
    expect(formatLatency(12_300)).toBe("12 s")
    expect(formatLatency(75_000)).toBe("1:15")
  })
})

describe("formatPhone", () => {
  it("groups a stored number as people read it, with its country code", () => {
    expect(formatPhone("+14155552671")).toBe("+1 415 555 2671")
    expect(formatPhone("+442079460958")).toBe("+44 20 7946 0958")
    expect(formatPhone("+33142685300")).toBe("+33 1 42 68 53 00")
  })

  it("shows a SIP address or a number it cannot read as it is", () => {
    expect(formatPhone("sip:ada@pbx.example.com")).toBe("sip:ada@pbx.example.com")
    expect(formatPhone("+999")).toBe("+999")
    // a number whose grouping would drop a digit (found by the property below)
    expect(formatPhone("+51000000000")).toBe("+51000000000")
  })

  it("never changes the digits: the text reads back to the same number", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (phone) => {
        const text = formatPhone(phone)
        expect(text.replace(/[^+\d]/g, "")).toBe(phone)
        // a grouped number reads back as the same number
        if (text !== phone) expect(parsePhoneNumberFromString(text)?.number).toBe(phone)
      }),
      runs,
    )
  })
})

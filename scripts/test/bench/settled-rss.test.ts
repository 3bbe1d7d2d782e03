import { describe, expect, it } from "@effect/vitest"
import { median } from "../../bench/lib/settled-rss.js"

describe("median", () => {
  it("is the middle reading, or the mean of the two middle ones", () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeUndefined()
  })
})

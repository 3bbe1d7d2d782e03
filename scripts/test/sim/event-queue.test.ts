import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { EventQueue } from "../../sim/event-queue.js"

describe("EventQueue", () => {
  it("hands events back by time, and in scheduling order at equal times", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<number>()
        times.forEach((t, i) => queue.push(t, i))
        const out: Array<[number, number]> = []
        for (let next = queue.pop(); next !== undefined; next = queue.pop()) out.push([next.time, next.event])
        const expected = times.map((t, i): [number, number] => [t, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
        expect(out).toEqual(expected)
      }),
    )
  })
})

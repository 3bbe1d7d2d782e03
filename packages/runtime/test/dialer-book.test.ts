import { describe, expect, it } from "@effect/vitest"
import { AgentId, CallId, LeadId } from "@ringmaster/domain"
import { FastCheck as fc } from "effect"
import { DialerBook, type PacingMode } from "../src/dialer-book.js"

const call = (i: number) => CallId.make(`call-${i}`)
const lead = (i: number) => LeadId.make(`lead-${i}`)
const agent = (i: number) => AgentId.make(`agent-${i}`)

const bookArb = fc
  .record({
    ringing: fc.integer({ min: 0, max: 30 }),
    waiting: fc.integer({ min: 0, max: 5 }),
    connected: fc.integer({ min: 0, max: 30 }),
    wrapping: fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 10 }),
  })
  .map((r) => {
    const book = new DialerBook()
    for (let i = 0; i < r.ringing; i++) book.placed(call(i), lead(i), 0)
    for (let i = 0; i < r.waiting; i++) book.wait(call(100 + i), lead(100 + i), 0)
    for (let i = 0; i < r.connected; i++) book.connect(agent(i), 0)
    r.wrapping.forEach((since, i) => book.wrapping(agent(200 + i), since))
    return { book, ...r }
  })

const inputArb = fc.record({
  mode: fc.constantFrom<PacingMode>("ratio", "adaptive", "fallback"),
  ratio: fc.constantFrom(1.5, 2, 3),
  freeAgents: fc.integer({ min: 0, max: 30 }),
  agentsLoggedIn: fc.integer({ min: 0, max: 60 }),
  maxLines: fc.integer({ min: 1, max: 100 }),
  abandonmentRate: fc.double({ min: 0, max: 0.1, noNaN: true }),
})

describe("DialerBook", () => {
  it.prop(
    "never dials a negative number, above the free lines, or with nobody logged in",
    [bookArb, inputArb],
    ([b, input]) => {
      const dials = b.book.dialsNow({ ...input, now: 60_000, abandonmentLimit: 0.03 })
      expect(dials).toBeGreaterThanOrEqual(0)
      expect(Number.isInteger(dials)).toBe(true)
      expect(dials).toBeLessThanOrEqual(Math.max(0, input.maxLines - b.ringing - b.waiting - b.connected))
      if (input.agentsLoggedIn === 0) expect(dials).toBe(0)
    },
  )

  it.prop(
    "at the abandonment fallback, keeps at most one call in flight per free agent",
    [bookArb, inputArb],
    ([b, input]) => {
      const dials = b.book.dialsNow({ ...input, mode: "fallback", now: 60_000, abandonmentLimit: 0.03 })
      expect(dials + b.ringing + b.waiting).toBeLessThanOrEqual(Math.max(input.freeAgents, b.ringing + b.waiting))
    },
  )

  it("moves a dial from ringing to waiting to connected, and frees the agent after the call", () => {
    const book = new DialerBook()
    book.placed(call(1), lead(1), 0)
    expect(book.dialing.size).toBe(1)
    book.answered(call(1), 8_000)
    book.wait(call(1), lead(1), 8_000)
    expect([book.dialing.size, book.waiting.size]).toEqual([0, 1])
    expect(book.takeOldestWaiting()).toEqual({ callId: call(1), leadId: lead(1) })
    book.connect(agent(1), 8_500)
    expect(book.connected.size).toBe(1)
    book.agentFree(agent(1), 150_000)
    expect(book.connected.size).toBe(0)
  })

  it("serves people waiting for an agent oldest first", () => {
    const book = new DialerBook()
    book.wait(call(2), lead(2), 1_000)
    book.wait(call(1), lead(1), 2_000)
    expect(book.takeOldestWaiting()?.callId).toBe(call(2))
    expect(book.takeOldestWaiting()?.callId).toBe(call(1))
    expect(book.takeOldestWaiting()).toBeUndefined()
  })

  it("counts a call that has rung longer than people take to answer as less likely to need an agent", () => {
    const trained = (ringingSince: number) => {
      const book = new DialerBook()
      // 200 dials: people answer after 5 s of ringing, the rest give up at 20 s
      for (let i = 0; i < 200; i++) {
        book.placed(call(i), lead(i), 0)
        if (i % 5 === 0) book.answered(call(i), 5_000)
        else book.unanswered(call(i), 20_000)
      }
      for (let i = 0; i < 10; i++) book.placed(call(1_000 + i), lead(1_000 + i), ringingSince)
      return book
    }
    const input = {
      now: 100_000,
      mode: "adaptive" as const,
      ratio: 2,
      freeAgents: 4,
      agentsLoggedIn: 10,
      maxLines: 100,
      abandonmentRate: 0,
      abandonmentLimit: 0.03,
    }
    // ten calls ringing for 18 s (almost surely unanswered) leave room for more dials than ten just placed
    expect(trained(82_000).dialsNow(input)).toBeGreaterThan(trained(100_000).dialsNow(input))
  })
})

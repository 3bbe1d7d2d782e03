import { FastCheck as fc } from "effect"
import type { PacingSnapshot } from "../src/adaptive-pacing.js"

/** A campaign's agents, calls, lines and measures, without its abandonment (which the arbitraries below add). */
const campaign = fc
  .record({
    free: fc.integer({ min: 0, max: 40 }),
    wrap: fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 15 }),
    talking: fc.integer({ min: 0, max: 40 }),
    away: fc.integer({ min: 0, max: 5 }),
    callsRinging: fc.integer({ min: 0, max: 80 }),
    callsWaiting: fc.integer({ min: 0, max: 5 }),
    maxLines: fc.integer({ min: 0, max: 200 }),
    liveAnswerRate: fc.double({ min: 0, max: 1, noNaN: true }),
    meanAnswerDelayMs: fc.integer({ min: 0, max: 30_000 }),
    meanTalkMs: fc.integer({ min: 0, max: 600_000 }),
    meanWrapMs: fc.integer({ min: 0, max: 60_000 }),
    abandonmentLimit: fc.constantFrom(0.03, 0.02, 0.05),
  })
  .map((r) => ({
    agentsLoggedIn: r.free + r.wrap.length + r.talking + r.away,
    freeAgents: r.free,
    wrapUpRemainingMs: r.wrap,
    callsConnected: r.talking,
    callsRinging: r.callsRinging,
    callsWaiting: r.callsWaiting,
    maxLines: r.maxLines,
    liveAnswerRate: r.liveAnswerRate,
    meanAnswerDelayMs: r.meanAnswerDelayMs,
    meanTalkMs: r.meanTalkMs,
    meanWrapMs: r.meanWrapMs,
    abandonmentLimit: r.abandonmentLimit,
  }))

/** Any snapshot: a rate, and counts or not, drawn apart (the controller must cope with both). */
export const pacingSnapshot: fc.Arbitrary<PacingSnapshot> = fc
  .tuple(
    campaign,
    fc.double({ min: 0, max: 0.1, noNaN: true }),
    fc.option(
      fc.record({ liveAnswered: fc.integer({ min: 0, max: 5_000 }), abandoned: fc.integer({ min: 0, max: 200 }) }),
      { nil: undefined },
    ),
  )
  .map(([c, abandonmentRate, counts]) => ({ ...c, abandonmentRate, ...counts }))

/** A snapshot whose rate is the one its counts give (the headroom in abandons follows from them). */
export const countedPacingSnapshot: fc.Arbitrary<PacingSnapshot> = fc
  .tuple(campaign, fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 120 }))
  .map(([c, liveAnswered, abandoned]) => ({
    ...c,
    abandonmentRate: liveAnswered === 0 ? 0 : abandoned / liveAnswered,
    liveAnswered,
    abandoned,
  }))

/** 25 agents on a 20%-live list, 2 minutes of talk, 15 s of wrap-up, nothing in flight. */
export const typical: PacingSnapshot = {
  agentsLoggedIn: 25,
  freeAgents: 5,
  wrapUpRemainingMs: [],
  callsConnected: 20,
  callsRinging: 0,
  callsWaiting: 0,
  maxLines: 75,
  liveAnswerRate: 0.2,
  meanAnswerDelayMs: 11_000,
  meanTalkMs: 120_000,
  meanWrapMs: 15_000,
  abandonmentRate: 0,
  abandonmentLimit: 0.03,
  liveAnswered: 2_000,
  abandoned: 0,
}

import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { defaultLoginThrottle, loginLockedUntil } from "../src/login-throttle.js"
import { runs } from "./property-runs.js"

const policyArb = fc.record({
  maxFailures: fc.integer({ min: 1, max: 10 }),
  windowMs: fc.integer({ min: 1, max: 3_600_000 }),
})
const now = 10_000_000_000

describe("loginLockedUntil", () => {
  it.prop(
    "locks exactly when the window holds maxFailures failures, until the oldest of them leaves the window",
    [policyArb, fc.array(fc.integer({ min: now - 7_200_000, max: now }), { maxLength: 20 })],
    ([policy, failures]) => {
      const until = loginLockedUntil(failures, now, policy)
      const inWindow = failures.filter((at) => at > now - policy.windowMs)
      if (inWindow.length < policy.maxFailures) {
        expect(until).toBeNull()
        return
      }
      expect(until).not.toBeNull()
      const lockedUntil = until ?? 0
      expect(lockedUntil).toBeGreaterThan(now)
      // at the moment the lock ends, fewer than maxFailures are left in the window: a login may be tried again
      expect(loginLockedUntil(failures, lockedUntil, policy)).toBeNull()
      // and just before it, the lock holds
      expect(loginLockedUntil(failures, lockedUntil - 1, policy)).toBe(lockedUntil)
    },
    runs(),
  )

  it("lets four wrong passwords in 15 minutes through, and holds the fifth's user for 15 minutes", () => {
    const failures = [0, 1, 2, 3].map((i) => now - 60_000 * i)
    expect(loginLockedUntil(failures, now)).toBeNull()
    const fifth = [...failures, now - 240_000]
    expect(loginLockedUntil(fifth, now)).toBe(now - 240_000 + defaultLoginThrottle.windowMs)
  })
})

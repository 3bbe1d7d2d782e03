import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Redacted } from "effect"
import { defaultScryptParams, hashPassword, parsePasswordHash, verifyPassword } from "../src/password.js"

/** Cheap parameters for the many-case properties; the stored parameters are what verification uses. */
const fast = { ln: 10, r: 8, p: 1 }
const secret = (s: string) => Redacted.make(s)
const numRuns = Math.min(Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10) || 40, 40)

describe("password hashing (scrypt)", () => {
  it.effect("stores the default OWASP parameters and a fresh salt with the hash, and verifies", () =>
    Effect.gen(function* () {
      const first = yield* hashPassword(secret("correct horse battery"))
      const second = yield* hashPassword(secret("correct horse battery"))
      expect(first).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
      expect(parsePasswordHash(first)?.params).toEqual(defaultScryptParams)
      expect(second).not.toBe(first)
      expect(first).not.toContain("correct horse")
      expect(yield* verifyPassword(secret("correct horse battery"), first)).toBe(true)
      expect(yield* verifyPassword(secret("correct horse battery"), second)).toBe(true)
      expect(yield* verifyPassword(secret("correct horse batterY"), first)).toBe(false)
    }),
  )

  it.effect.prop(
    "verifies the password it hashed and refuses any other",
    [fc.string({ unit: "binary", minLength: 1, maxLength: 64 }), fc.string({ unit: "binary", maxLength: 64 })],
    ([password, other]) =>
      Effect.gen(function* () {
        const stored = yield* hashPassword(secret(password), fast)
        expect(yield* verifyPassword(secret(password), stored)).toBe(true)
        if (other.normalize("NFC") !== password.normalize("NFC")) {
          expect(yield* verifyPassword(secret(other), stored)).toBe(false)
        }
      }),
    { fastCheck: { numRuns } },
  )

  it.effect("verifies with the parameters stored in the hash, not the current defaults", () =>
    Effect.gen(function* () {
      const old = yield* hashPassword(secret("an older, cheaper hash"), { ln: 11, r: 4, p: 2 })
      expect(old.startsWith("$scrypt$ln=11,r=4,p=2$")).toBe(true)
      expect(yield* verifyPassword(secret("an older, cheaper hash"), old)).toBe(true)
    }),
  )

  it.effect("a missing, unreadable, tampered or out-of-bounds hash lets nobody in", () =>
    Effect.gen(function* () {
      const stored = yield* hashPassword(secret("the real password"), fast)
      const parts = stored.split("$")
      const key = parts[5] ?? ""
      const tampered = [...parts.slice(0, 5), (key[0] === "A" ? "B" : "A") + key.slice(1)].join("$")
      expect(yield* verifyPassword(secret("the real password"), tampered)).toBe(false)
      expect(yield* verifyPassword(secret("the real password"), null)).toBe(false)
      expect(yield* verifyPassword(secret("the real password"), "plain text")).toBe(false)
      const greedy = stored.replace("ln=10", "ln=30")
      expect(parsePasswordHash(greedy)).toBeNull()
      expect(yield* verifyPassword(secret("the real password"), greedy)).toBe(false)
    }),
  )
})

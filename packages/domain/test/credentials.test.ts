import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import {
  credentialState,
  passwordMaxLength,
  passwordMinLength,
  validatePassword,
  validateUsername,
} from "../src/credentials.js"
import { runs } from "./property-runs.js"

const nonBlank = fc.string({ unit: "grapheme", minLength: 1 }).filter((s) => s.trim() !== "")
const lengthOf = (s: string) => [...s].length

describe("validatePassword", () => {
  it.prop(
    "accepts every password of 10 to 256 characters that is not only spaces",
    [fc.string({ unit: "binary", minLength: passwordMinLength, maxLength: passwordMaxLength })],
    ([password]) => {
      fc.pre(
        password.trim() !== "" && lengthOf(password) >= passwordMinLength && lengthOf(password) <= passwordMaxLength,
      )
      expect(validatePassword(password)).toEqual(Either.right(password))
    },
    runs(),
  )

  it.prop(
    "refuses a shorter one, naming the field and never echoing the password",
    [fc.string({ unit: "binary", minLength: 1, maxLength: passwordMinLength - 1 })],
    ([password]) => {
      const result = validatePassword(password, "admin.password")
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        // The whole issue is fixed text and the length: nothing of the password itself.
        expect(result.left).toEqual({
          field: "admin.password",
          value: `(${[...password].length} characters, hidden)`,
          message: "admin.password: must be at least 10 characters",
        })
      }
    },
    runs(),
  )

  it("refuses one that is too long or only spaces", () => {
    expect(Either.isLeft(validatePassword("x".repeat(passwordMaxLength + 1)))).toBe(true)
    const spaces = validatePassword(" ".repeat(12))
    expect(spaces).toEqual(
      Either.left({
        field: "password",
        value: "(12 characters, hidden)",
        message: "password: must not be only spaces",
      }),
    )
  })
})

describe("validateUsername", () => {
  it.prop(
    "keeps a valid name in lower case, and is idempotent",
    [fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/)],
    ([name]) => {
      const once = validateUsername(name)
      expect(once).toEqual(Either.right(name.toLowerCase()))
      if (Either.isRight(once)) expect(validateUsername(once.right)).toEqual(once)
    },
    runs(),
  )

  it.prop(
    "refuses a name with a space or another character outside the set, naming it",
    [nonBlank, fc.constantFrom(" ", "/", "'", '"', "é", ":", "<")],
    ([name, bad]) => {
      const result = validateUsername(`a${bad}${name}`.slice(0, 10) + bad + "b")
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.field).toBe("username")
    },
    runs(),
  )
})

describe("credentialState", () => {
  const time = fc.integer({ min: 0, max: 4_000_000_000_000 })
  const maybe = fc.option(time, { nil: null })

  it.prop(
    "a disabled user's token never lets in, a revoked one neither, then the expiry decides",
    [maybe, maybe, maybe, time],
    ([revokedAt, expiresAt, userDisabledAt, now]) => {
      const state = credentialState({ revokedAt, expiresAt, userDisabledAt }, now)
      if (userDisabledAt !== null) expect(state).toBe("disabled")
      else if (revokedAt !== null) expect(state).toBe("revoked")
      else if (expiresAt !== null && now >= expiresAt) expect(state).toBe("expired")
      else expect(state).toBe("valid")
    },
    runs(),
  )

  it.prop(
    "a live token is valid until the millisecond of its expiry, and expired from then on",
    [time, fc.integer({ min: 1, max: 1_000_000 })],
    ([expiresAt, delta]) => {
      const live = { revokedAt: null, expiresAt, userDisabledAt: null }
      expect(credentialState(live, expiresAt - delta)).toBe("valid")
      expect(credentialState(live, expiresAt)).toBe("expired")
      expect(credentialState(live, expiresAt + delta)).toBe("expired")
    },
    runs(),
  )

  it.prop(
    "a token without expiry (an API token) stays valid until revoked",
    [time],
    ([now]) => {
      expect(credentialState({ revokedAt: null, expiresAt: null, userDisabledAt: null }, now)).toBe("valid")
    },
    runs(50),
  )
})

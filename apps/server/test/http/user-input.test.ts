import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Redacted } from "effect"
import { policyHash, validEmail, validName } from "../../src/http/user-input.js"

const runs = { fastCheck: { numRuns: Math.min(Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10) || 200, 200) } }

describe("user input", () => {
  it.prop(
    "a name is kept trimmed when 1 to 200 characters, else refused naming the field and the value",
    [fc.string({ maxLength: 260 }), fc.constantFrom("name", "admin.name")],
    ([raw, field]) => {
      const trimmed = raw.trim()
      const result = validName(field, raw)
      if (trimmed !== "" && trimmed.length <= 200) expect(result).toEqual(Either.right(trimmed))
      else expect(result).toEqual(Either.left(expect.objectContaining({ field, value: raw })))
    },
    runs,
  )

  it.prop(
    "an email is optional; given, it needs one @ and a dot in the domain",
    [fc.emailAddress(), fc.string().filter((s) => !s.includes("@"))],
    ([email, notEmail]) => {
      expect(validEmail(email)).toEqual(Either.right(email))
      expect(validEmail(` ${email} `)).toEqual(Either.right(email))
      if (notEmail.trim() === "") expect(validEmail(notEmail)).toEqual(Either.right(null))
      else
        expect(validEmail(notEmail)).toEqual(Either.left(expect.objectContaining({ field: "email", value: notEmail })))
    },
    runs,
  )

  it.effect("a password under the policy is a 400 that names the field but not the password; else a scrypt hash", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(policyHash(Redacted.make("hunter2"), "admin.password"))
      expect(refused).toMatchObject({
        _tag: "ValidationError",
        field: "admin.password",
        value: "(7 characters, hidden)",
      })
      expect(JSON.stringify(refused)).not.toContain("hunter2")
      const hash = yield* policyHash(Redacted.make("correct horse battery"))
      expect(hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/)
    }),
  )
})

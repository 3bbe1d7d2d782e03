import { type Region, type Role, validatePassword, validateUsername } from "@ringmaster/domain"
import { type LegEndpoint, ValidationError } from "@ringmaster/protocol"
import { hashPassword } from "@ringmaster/store"
import { Effect, Either, Redacted } from "effect"
import { checkLegEndpoint } from "./leg-endpoint-input.js"

export type Issue = { readonly field: string; readonly value: string; readonly message: string }

/** A failed check as the 400 the API answers. */
export const check = <A>(result: Either.Either<A, Issue>) =>
  Either.isLeft(result) ? Effect.fail(new ValidationError(result.left)) : Effect.succeed(result.right)

/** A person's or a tenant's name: 1 to 200 characters once trimmed. */
export const validName = (field: string, raw: string): Either.Either<string, Issue> => {
  const name = raw.trim()
  return name === "" || name.length > 200
    ? Either.left({ field, value: raw, message: `${field}: "${raw}" must be 1 to 200 characters` })
    : Either.right(name)
}

/** An optional email: empty means none. */
export const validEmail = (raw: string | null | undefined): Either.Either<string | null, Issue> => {
  const email = raw?.trim() ?? ""
  if (email === "") return Either.right(null)
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254
    ? Either.right(email)
    : Either.left({ field: "email", value: raw ?? "", message: `email: "${raw}" is not an email address` })
}

/** Checks the password policy, then hashes; a refusal names the field and the length, never the password. */
export const policyHash = (password: Redacted.Redacted<string>, field = "password") =>
  Effect.flatMap(check(validatePassword(Redacted.value(password), field)), () => hashPassword(password))

export const usernameOf = (raw: string, field = "username") => check(validateUsername(raw, field))

/** A new user's leg endpoint: absent or null for none; only a user with the role agent may have one. */
export const newUserLegEndpoint = (
  input: { readonly role: Role; readonly legEndpoint?: string | null | undefined },
  region: Region,
): Either.Either<LegEndpoint | null, Issue> => {
  const raw = input.legEndpoint
  if (raw === undefined || raw === null) return Either.right(null)
  if (input.role !== "agent") {
    return Either.left({
      field: "legEndpoint",
      value: raw,
      message: `legEndpoint: only a user with the role agent has a leg (role is ${input.role})`,
    })
  }
  return checkLegEndpoint(raw, region)
}

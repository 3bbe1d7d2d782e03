import { Either } from "effect"
import type { FieldIssue } from "./field-issue.js"

export const passwordMinLength = 10
export const passwordMaxLength = 256

/**
 * A password a user may choose: 10 to 256 characters, not only spaces. The refused value is never echoed back:
 * the issue names the field and the length only.
 */
export const validatePassword = (password: string, field = "password"): Either.Either<string, FieldIssue> => {
  const length = [...password].length
  const refuse = (why: string) =>
    Either.left({ field, value: `(${length} characters, hidden)`, message: `${field}: ${why}` })
  if (length < passwordMinLength) return refuse(`must be at least ${passwordMinLength} characters`)
  if (length > passwordMaxLength) return refuse(`must be at most ${passwordMaxLength} characters`)
  if (password.trim() === "") return refuse("must not be only spaces")
  return Either.right(password)
}

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{1,63}$/

/** A login name: 2 to 64 of letters, digits and `. _ @ -`, starting with a letter or digit; kept in lower case. */
export const validateUsername = (username: string, field = "username"): Either.Either<string, FieldIssue> => {
  const normalized = username.trim().toLowerCase()
  return usernamePattern.test(normalized)
    ? Either.right(normalized)
    : Either.left({
        field,
        value: username,
        message: `${field}: "${username}" must be 2 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`,
      })
}

/** Why a bearer token does or does not let its holder in, most serious first. */
export type CredentialState = "valid" | "disabled" | "revoked" | "expired"

export const credentialState = (
  credential: {
    readonly revokedAt: number | null
    readonly expiresAt: number | null
    readonly userDisabledAt: number | null
  },
  now: number,
): CredentialState => {
  if (credential.userDisabledAt !== null) return "disabled"
  if (credential.revokedAt !== null) return "revoked"
  if (credential.expiresAt !== null && now >= credential.expiresAt) return "expired"
  return "valid"
}

export const credentialRefusal: Record<Exclude<CredentialState, "valid">, string> = {
  disabled: "the user of this token is disabled",
  revoked: "the token was revoked (logged out)",
  expired: "the token has expired; log in again",
}

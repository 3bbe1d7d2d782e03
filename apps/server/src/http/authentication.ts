import { SqlClient } from "@effect/sql"
import { credentialRefusal, credentialState } from "@ringmaster/domain"
import { Authentication, type AuthenticatedUser, Unauthorized } from "@ringmaster/protocol"
import { lookupToken, type TokenRecord } from "@ringmaster/store"
import { Clock, Effect, Either, Layer, Option, Redacted } from "effect"

/**
 * The user a bearer token stands for, or 401 naming why not: unknown, revoked (logged out), expired, or its user
 * disabled. Used by the HTTP middleware and the WebSocket gateway alike.
 */
export const authenticate = (token: string) =>
  Effect.gen(function* () {
    const found = yield* lookupToken(token).pipe(Effect.orDie)
    return yield* credentialHolder(found, yield* Clock.currentTimeMillis)
  })

/** The user a stored token stands for at `now`, or why it does not let its holder in (none: it is unknown). */
export const credentialHolder = (
  found: Option.Option<TokenRecord>,
  now: number,
): Either.Either<AuthenticatedUser, Unauthorized> => {
  if (Option.isNone(found)) return Either.left(new Unauthorized({ message: "the bearer token is unknown" }))
  const record = found.value
  const state = credentialState(
    { revokedAt: record.revokedAt, expiresAt: record.expiresAt, userDisabledAt: record.user.disabledAt },
    now,
  )
  if (state !== "valid") return Either.left(new Unauthorized({ message: credentialRefusal[state] }))
  return Either.right({
    userId: record.user.id,
    tenantId: record.user.tenantId,
    name: record.user.name,
    role: record.user.role,
    agentId: record.user.agentId,
    credential: { id: record.id, kind: record.kind, expiresAt: record.expiresAt },
  })
}

export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Authentication.of({
      bearer: (token) => authenticate(Redacted.value(token)).pipe(Effect.provideService(SqlClient.SqlClient, sql)),
    })
  }),
)

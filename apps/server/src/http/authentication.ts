import { SqlClient } from "@effect/sql"
import { credentialRefusal, credentialState } from "@ringmaster/domain"
import { Authentication, type AuthenticatedUser, Unauthorized } from "@ringmaster/protocol"
import { lookupToken } from "@ringmaster/store"
import { Clock, Effect, Layer, Option, Redacted } from "effect"

/**
 * The user a bearer token stands for, or 401 naming why not: unknown, revoked (logged out), expired, or its user
 * disabled. Used by the HTTP middleware and the WebSocket gateway alike.
 */
export const authenticate = (token: string) =>
  Effect.gen(function* () {
    const found = yield* lookupToken(token).pipe(Effect.orDie)
    if (Option.isNone(found)) return yield* new Unauthorized({ message: "the bearer token is unknown" })
    const record = found.value
    const now = yield* Clock.currentTimeMillis
    const state = credentialState(
      { revokedAt: record.revokedAt, expiresAt: record.expiresAt, userDisabledAt: record.user.disabledAt },
      now,
    )
    if (state !== "valid") return yield* new Unauthorized({ message: credentialRefusal[state] })
    const user: AuthenticatedUser = {
      userId: record.user.id,
      tenantId: record.user.tenantId,
      name: record.user.name,
      role: record.user.role,
      agentId: record.user.agentId,
      credential: { id: record.id, kind: record.kind, expiresAt: record.expiresAt },
    }
    return user
  })

export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Authentication.of({
      bearer: (token) => authenticate(Redacted.value(token)).pipe(Effect.provideService(SqlClient.SqlClient, sql)),
    })
  }),
)

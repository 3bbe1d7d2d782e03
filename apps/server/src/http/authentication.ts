import { SqlClient } from "@effect/sql"
import { Authentication, Unauthorized } from "@ringmaster/protocol"
import { findUserByToken } from "@ringmaster/store"
import { Effect, Layer, Option, Redacted } from "effect"

export const authenticate = (token: string) =>
  findUserByToken(token).pipe(
    Effect.orDie,
    Effect.flatMap(
      Option.match({
        onNone: () => Effect.fail(new Unauthorized({ message: "the bearer token is unknown or revoked" })),
        onSome: Effect.succeed,
      }),
    ),
  )

export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Authentication.of({
      bearer: (token) => authenticate(Redacted.value(token)).pipe(Effect.provideService(SqlClient.SqlClient, sql)),
    })
  }),
)

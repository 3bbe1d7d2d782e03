import { Socket } from "@effect/platform"
import type { SocketError } from "@effect/platform/Socket"
import { SqlClient } from "@effect/sql"
import type { AuthenticatedUser } from "@ringmaster/protocol"
import { Clock, Duration, Effect, Either } from "effect"
import { authenticate } from "./http/authentication.js"

/** WebSocket close code for "your token no longer lets you in" (the application range is 4000-4999). */
export const credentialEndedCode = 4401

/** How often an open console's token is checked again, so that a logout or a revocation elsewhere closes it. */
export const credentialRecheck = Duration.seconds(3)

/**
 * Runs while a console is open: when its token is revoked, its user disabled, or it reaches its expiry, closes the
 * socket with code 4401 and the reason. Checked at the expiry itself and every few seconds, since a revocation may
 * happen in another process.
 */
export const closeWhenCredentialEnds = (
  token: string,
  user: AuthenticatedUser,
  write: (chunk: Socket.CloseEvent) => Effect.Effect<void, SocketError>,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (;;) {
      const now = yield* Clock.currentTimeMillis
      const untilExpiry = user.credential.expiresAt === null ? Infinity : user.credential.expiresAt - now
      yield* Effect.sleep(Duration.millis(Math.max(0, Math.min(Duration.toMillis(credentialRecheck), untilExpiry))))
      const still = yield* authenticate(token).pipe(Effect.provideService(SqlClient.SqlClient, sql), Effect.either)
      if (Either.isLeft(still)) {
        return yield* write(new Socket.CloseEvent(credentialEndedCode, still.left.message.slice(0, 120)))
      }
    }
  })

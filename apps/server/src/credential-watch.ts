import { SqlClient } from "@effect/sql"
import { credentialRefusal } from "@ringmaster/domain"
import type { AuthenticatedUser } from "@ringmaster/protocol"
import { lookupTokens } from "@ringmaster/store"
import { Clock, Duration, Effect, Either, Option, Schedule, type Scope } from "effect"
import { sleepUntil } from "@ringmaster/runtime"
import { credentialHolder } from "./http/authentication.js"

/** WebSocket close code for "your token no longer lets you in" (the application range is 4000-4999). */
export const credentialEndedCode = 4401

/** How often the open consoles' tokens are checked again, so that a logout or a revocation elsewhere closes them. */
export const credentialRecheck = Duration.seconds(3)

/** Ends one open console: called once, with the reason its token no longer lets it in. */
export type EndConsole = (reason: string) => Effect.Effect<void>

export interface CredentialWatch {
  /**
   * For as long as the current scope lasts, ends the console when its token is revoked, its user disabled, or it
   * reaches its expiry.
   */
  readonly watch: (token: string, user: AuthenticatedUser, end: EndConsole) => Effect.Effect<void, never, Scope.Scope>
}

interface Watched {
  readonly end: EndConsole
  ended: boolean
}

/**
 * The credentials of a process's open consoles, checked together: one round every `recheck` looks up every token
 * in one statement (per 500 tokens), however many consoles are open, and ends those whose token no longer lets them
 * in. A revocation may happen in another process, hence the rounds; an expiry is known in advance, so each console
 * is also ended at its token's expiry itself.
 */
export const makeCredentialWatch = (options: {
  readonly recheck?: Duration.Duration
}): Effect.Effect<CredentialWatch, never, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const open = new Map<string, Set<Watched>>()

    const endOne = (watched: Watched, reason: string) =>
      Effect.suspend(() => {
        if (watched.ended) return Effect.void
        watched.ended = true
        return watched.end(reason)
      })

    const round = Effect.gen(function* () {
      if (open.size === 0) return
      const tokens = Array.from(open.keys())
      const found = yield* lookupTokens(tokens).pipe(Effect.provideService(SqlClient.SqlClient, sql))
      const now = yield* Clock.currentTimeMillis
      for (const token of tokens) {
        const holder = credentialHolder(Option.fromNullable(found.get(token)), now)
        if (Either.isRight(holder)) continue
        for (const watched of open.get(token) ?? []) yield* endOne(watched, holder.left.message)
      }
    })
    yield* round.pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("the open consoles' credentials could not be checked", cause)),
      Effect.repeat(Schedule.spaced(options.recheck ?? credentialRecheck)),
      Effect.forkScoped,
    )

    return {
      watch: (token, user, end) =>
        Effect.gen(function* () {
          const watched: Watched = { end, ended: false }
          const set = open.get(token) ?? new Set<Watched>()
          set.add(watched)
          open.set(token, set)
          yield* Effect.addFinalizer(() =>
            Effect.sync(() => {
              set.delete(watched)
              if (set.size === 0 && open.get(token) === set) open.delete(token)
            }),
          )
          const expiresAt = user.credential.expiresAt
          if (expiresAt === null) return
          yield* sleepUntil(expiresAt).pipe(
            Effect.zipRight(endOne(watched, credentialRefusal.expired)),
            Effect.forkScoped,
          )
        }),
    }
  })

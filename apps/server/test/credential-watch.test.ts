/**
 * The open consoles' credentials, checked together: a revoked token or a disabled user ends exactly the consoles
 * holding that token, once each, with the reason; an expiring token ends its console at its expiry; a console
 * that closed is no longer watched.
 */
import { expect, layer } from "@effect/vitest"
import type { AuthenticatedUser } from "@ringmaster/protocol"
import { issueSession, lookupToken, revokeToken, seedTenant, setUserDisabled } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Clock, Duration, Effect, Either, Exit, Option, Scope } from "effect"
import { makeCredentialWatch } from "../src/credential-watch.js"
import { authenticate } from "../src/http/authentication.js"

const recheck = Duration.millis(100)

/** What one console was told when it was ended, and when (the clock's time). */
interface Ending {
  readonly reason: string
  readonly at: number
}

const userOf = (token: string) =>
  Effect.flatMap(Effect.either(authenticate(token)), (user) =>
    Either.isRight(user) ? Effect.succeed(user.right) : Effect.dieMessage(`${token}: ${user.left.message}`),
  )

/** Polls (real time) until `done` holds, for at most 10 s. */
const eventually = (done: () => boolean, what: string) =>
  Effect.gen(function* () {
    for (let i = 0; i < 200; i++) {
      if (done()) return
      yield* Effect.sleep(Duration.millis(50))
    }
    return yield* Effect.dieMessage(`${what}: not within 10 s`)
  })

const makeConsoles = Effect.gen(function* () {
  const watch = yield* makeCredentialWatch({ recheck })
  const endings = new Map<string, Array<Ending>>()
  /** Opens a console named `name` on `token`, in its own scope; returns that scope. */
  const open = (name: string, token: string, user: AuthenticatedUser) =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      yield* watch
        .watch(token, user, (reason) =>
          Effect.flatMap(Clock.currentTimeMillis, (at) =>
            Effect.sync(() => endings.set(name, [...(endings.get(name) ?? []), { reason, at }])),
          ),
        )
        .pipe(Scope.extend(scope))
      return scope
    })
  return { open, endings }
})

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "1 minute" })(
  "the consoles' credential watch",
  (it) => {
    it.scoped("ends the consoles of a revoked token and of a disabled user, once each, and only those", () =>
      Effect.gen(function* () {
        const tenant = yield* seedTenant({ key: "cw1", name: "Watch", agentCount: 1, leadCount: 0, now: Date.now() })
        const { open, endings } = yield* makeConsoles
        const supervisor = tenant.supervisor.token
        const analyst = tenant.analyst.token
        const agent = tenant.agents[0]?.token ?? ""
        yield* open("supervisor-1", supervisor, yield* userOf(supervisor))
        yield* open("supervisor-2", supervisor, yield* userOf(supervisor))
        yield* open("analyst", analyst, yield* userOf(analyst))
        yield* open("agent", agent, yield* userOf(agent))

        const record = Option.getOrThrow(yield* lookupToken(supervisor))
        yield* revokeToken({ tenantId: tenant.tenantId, userId: tenant.supervisor.userId, tokenId: record.id, now: 1 })
        yield* eventually(() => endings.has("supervisor-1") && endings.has("supervisor-2"), "the supervisor's consoles")
        yield* setUserDisabled({ tenantId: tenant.tenantId, userId: tenant.analyst.userId, disabled: true, now: 2 })
        yield* eventually(() => endings.has("analyst"), "the analyst's console")
        // a few more rounds: nobody is ended twice, and the agent's console stays open
        yield* Effect.sleep(Duration.millis(500))
        expect(Object.fromEntries(Array.from(endings, ([name, list]) => [name, list.map((e) => e.reason)]))).toEqual({
          "supervisor-1": ["the token was revoked (logged out)"],
          "supervisor-2": ["the token was revoked (logged out)"],
          analyst: ["the user of this token is disabled"],
        })
      }),
    )

    it.scoped("ends a console at its token's expiry, not before", () =>
      Effect.gen(function* () {
        const tenant = yield* seedTenant({ key: "cw2", name: "Watch", agentCount: 1, leadCount: 0, now: Date.now() })
        const session = yield* issueSession({
          tenantId: tenant.tenantId,
          userId: tenant.supervisor.userId,
          now: Date.now(),
          ttlMs: 700,
        })
        const { open, endings } = yield* makeConsoles
        yield* open("session", session.token, yield* userOf(session.token))
        yield* eventually(() => endings.has("session"), "the expiring console")
        const ended = endings.get("session") ?? []
        expect(ended.map((e) => e.reason)).toEqual(["the token has expired; log in again"])
        expect(ended[0]?.at).toBeGreaterThanOrEqual(session.expiresAt)
      }),
    )

    it.scoped("no longer watches a console that closed", () =>
      Effect.gen(function* () {
        const tenant = yield* seedTenant({ key: "cw3", name: "Watch", agentCount: 1, leadCount: 0, now: Date.now() })
        const { open, endings } = yield* makeConsoles
        const token = tenant.supervisor.token
        const user = yield* userOf(token)
        const closed = yield* open("closed", token, user)
        yield* open("still-open", token, user)
        yield* Scope.close(closed, Exit.void)
        const record = Option.getOrThrow(yield* lookupToken(token))
        yield* revokeToken({ tenantId: tenant.tenantId, userId: tenant.supervisor.userId, tokenId: record.id, now: 1 })
        yield* eventually(() => endings.has("still-open"), "the open console")
        expect(Array.from(endings.keys())).toEqual(["still-open"])
      }),
    )
  },
)

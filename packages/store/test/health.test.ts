import { SqlClient } from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, FastCheck as fc, Fiber, Layer, Option, TestClock } from "effect"
import { DatabaseInfo, type DatabaseMode } from "../src/database.js"
import { databaseHealth, healthTimeout } from "../src/health.js"
import { freshDatabase, serverUrl } from "./database-under-test.js"

/** A stand-in client whose every query behaves like `answer`: only the tagged-template call is used by the check. */
const clientAnswering = (answer: Effect.Effect<ReadonlyArray<unknown>, SqlError>): SqlClient =>
  (() => answer) as unknown as SqlClient

const withClient = (client: SqlClient, mode: DatabaseMode) =>
  Layer.merge(Layer.succeed(SqlClient, client), Layer.succeed(DatabaseInfo, { mode, target: "test" }))

const modeArb = fc.constantFrom<DatabaseMode>("embedded", "postgres")
const failureArb = fc.constantFrom<Effect.Effect<ReadonlyArray<unknown>, SqlError>>(
  Effect.fail(new SqlError({ message: "Connection terminated unexpectedly" })),
  Effect.die(new Error("socket closed")),
  Effect.interrupt,
)

describe("databaseHealth", () => {
  it.live("is ok on a live database and tells its mode", () =>
    Effect.gen(function* () {
      const health = yield* databaseHealth
      expect(health.ok).toBe(true)
      expect(health.mode).toBe(Option.isSome(serverUrl) ? "postgres" : "embedded")
      expect(health.latencyMs).toBeGreaterThanOrEqual(0)
    }).pipe(Effect.provide(freshDatabase)),
  )

  it.effect.prop(
    "never fails: a failing query reports ok false in the database's mode",
    [failureArb, modeArb],
    ([failure, mode]) =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(databaseHealth.pipe(Effect.provide(withClient(clientAnswering(failure), mode))))
        expect(Exit.isSuccess(exit) && exit.value.ok === false && exit.value.mode === mode).toBe(true)
      }),
  )

  it.effect("reports ok false once a silent database has not answered within the timeout", () =>
    Effect.gen(function* () {
      const fiber = yield* databaseHealth.pipe(
        Effect.provide(withClient(clientAnswering(Effect.never), "postgres")),
        Effect.fork,
      )
      yield* TestClock.adjust(Duration.sum(healthTimeout, Duration.millis(1)))
      const health = yield* Fiber.join(fiber)
      expect(health).toEqual({ ok: false, latencyMs: Duration.toMillis(healthTimeout), mode: "postgres" })
    }),
  )
})

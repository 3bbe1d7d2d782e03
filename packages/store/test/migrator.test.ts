import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer } from "effect"
import { migrations } from "../src/migrations/index.js"
import { MigrationError, type MigrationRecord, Migrator } from "../src/migrator.js"

const { fromRecord, migrate } = Migrator
import { freshDatabase } from "./database-under-test.js"

/** A migration that logs its own key in `migration_log`, so a test sees how often each one ran. */
const logging = (key: string) =>
  Effect.flatMap(SqlClient, (sql) => sql`insert into migration_log (key) values (${key})`)

const recordOf = (keys: ReadonlyArray<string>): MigrationRecord =>
  Object.fromEntries(keys.map((key) => [key, logging(key)]))

const resetDatabase = Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`drop table if exists effect_sql_migrations`
  yield* sql`drop table if exists migration_log`
  yield* sql`drop table if exists half_done`
  yield* sql`create table migration_log (key text not null)`
})

const logged = Effect.flatMap(SqlClient, (sql) => sql<{ key: string }>`select key from migration_log order by key`)
const recorded = Effect.flatMap(
  SqlClient,
  (sql) => sql<{ migrationId: number }>`select migration_id from effect_sql_migrations order by migration_id`,
)

const keyOf = (id: number) => `${String(id).padStart(4, "0")}_step_${id}`
/** A set of distinct migration ids in increasing order. */
const idsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 9999 }), { minLength: 1, maxLength: 8 })
  .map((ids) => [...ids].sort((a, b) => a - b))

const loaderIds = (record: MigrationRecord) =>
  Effect.runSync(Effect.map(fromRecord(record), (resolved) => resolved.map(([id, name]) => [id, name] as const)))

describe("fromRecord", () => {
  it.prop(
    "orders migrations by numeric id whatever the order of the keys",
    [fc.uniqueArray(fc.integer({ min: 1, max: 99999 }), { maxLength: 12 })],
    ([ids]) => {
      const keys = ids.map((id) => `${id}_m${id}`)
      expect(loaderIds(recordOf(keys))).toEqual([...ids].sort((a, b) => a - b).map((id) => [id, `m${id}`]))
    },
  )

  it.prop(
    "refuses a key that is not <id>_<name>, naming it",
    [fc.constantFrom("initial", "0002-leads", "_0003_calls", "v4_agents", "0005")],
    ([badKey]) => {
      const error = Effect.runSync(Effect.flip(fromRecord(recordOf(["0001_initial", badKey]))))
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain(`"${badKey}"`)
    },
  )

  it("refuses two migrations with the same id, naming both", () => {
    const error = Effect.runSync(Effect.flip(fromRecord(recordOf(["0002_leads", "2_calls"]))))
    expect(error.reason).toBe("duplicates")
    expect(error.message).toContain("leads")
    expect(error.message).toContain("calls")
  })
})

describe("Migrator.layer", () => {
  it.live("applies and records every store migration on a fresh database", () =>
    Effect.gen(function* () {
      const rows = yield* recorded
      const expected = Object.keys(migrations).map((key) => Number(key.slice(0, key.indexOf("_"))))
      expect(rows.map((row) => row.migrationId)).toEqual([...expected].sort((a, b) => a - b))
    }).pipe(Effect.provide(Migrator.layer.pipe(Layer.provideMerge(freshDatabase)))),
  )
})

// Last in the file: @effect/vitest's `layer` replaces the global `it.effect` with one bound to its layer.
layer(freshDatabase, { excludeTestServices: true })("migrate", (it) => {
  it.effect.prop(
    "after any restart, every migration has run exactly once, in id order",
    [idsArb, fc.nat()],
    ([ids, cut]) =>
      Effect.gen(function* () {
        yield* resetDatabase
        const firstRun = ids.slice(0, cut % (ids.length + 1)).map(keyOf)
        const all = ids.map(keyOf)

        const appliedFirst = yield* migrate(recordOf(firstRun))
        const appliedSecond = yield* migrate(recordOf(all))
        const appliedThird = yield* migrate(recordOf(all))

        expect(appliedFirst.map(([id]) => id)).toEqual(ids.slice(0, firstRun.length))
        expect(appliedSecond.map(([id]) => id)).toEqual(ids.slice(firstRun.length))
        expect(appliedThird).toEqual([])
        expect((yield* logged).map((row) => row.key)).toEqual([...all].sort())
        expect((yield* recorded).map((row) => row.migrationId)).toEqual(ids)
      }),
    { fastCheck: { numRuns: 15 } },
  )

  it.effect("a failing migration fails with a MigrationError naming it and applies nothing of its run", () =>
    Effect.gen(function* () {
      yield* resetDatabase
      const sqlError = Effect.flatMap(SqlClient, (sql) => sql`select * from no_such_table`)
      const error = yield* migrate({
        "0001_half_done": Effect.flatMap(SqlClient, (sql) => sql`create table half_done (id int)`),
        "0002_broken": sqlError,
      }).pipe(Effect.flip)
      const sql = yield* SqlClient
      const halfDone = yield* sql<{ exists: boolean }>`select to_regclass('half_done') is not null as exists`

      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain("2_broken")
      expect(halfDone).toEqual([{ exists: false }])
      expect(yield* recorded).toEqual([])
    }),
  )

  it.effect("refuses to leave behind a migration whose id is below the latest applied one", () =>
    Effect.gen(function* () {
      yield* resetDatabase
      yield* migrate(recordOf(["0001_tenants", "0003_calls"]))
      const error = yield* migrate(recordOf(["0001_tenants", "0002_leads", "0003_calls"])).pipe(Effect.flip)
      expect(error).toBeInstanceOf(MigrationError)
      expect(error.message).toContain("2_leads")
    }),
  )
})

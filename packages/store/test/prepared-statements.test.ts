import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Option } from "effect"
import { isStalePlan, StatementNamer, type StatementNamerLimits } from "../src/prepared-statements.js"
import { freshDatabase, serverUrl } from "./database-under-test.js"

// --- which statements get a name -------------------------------------------------------------------------------------

const limitsArb: fc.Arbitrary<StatementNamerLimits> = fc.record({
  maxNamed: fc.integer({ min: 0, max: 6 }),
  maxTracked: fc.integer({ min: 0, max: 6 }),
  namedAfter: fc.integer({ min: 1, max: 4 }),
})
const runsArb = fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"), { maxLength: 60 })

interface Run {
  readonly text: string
  readonly sighting: number
  readonly name: string | undefined
}

const replay = (limits: StatementNamerLimits, texts: ReadonlyArray<string>): ReadonlyArray<Run> => {
  const namer = new StatementNamer(limits)
  const sightings = new Map<string, number>()
  return texts.map((text) => {
    const sighting = (sightings.get(text) ?? 0) + 1
    sightings.set(text, sighting)
    return { text, sighting, name: namer.nameFor(text) }
  })
}

describe("StatementNamer", () => {
  it.prop(
    "gives a text one name for good, and different texts different names",
    [limitsArb, runsArb],
    ([limits, texts]) => {
      const runs = replay(limits, texts)
      const nameOf = new Map<string, string>()
      for (const { text, name } of runs) {
        const earlier = nameOf.get(text)
        if (earlier !== undefined) expect(name).toBe(earlier)
        if (name !== undefined) nameOf.set(text, name)
      }
      expect(new Set(nameOf.values()).size).toBe(nameOf.size)
    },
  )

  it.prop(
    "names no text before its namedAfter-th run and no more than maxNamed texts",
    [limitsArb, runsArb],
    ([limits, texts]) => {
      const runs = replay(limits, texts)
      for (const { sighting, name } of runs)
        if (name !== undefined) expect(sighting).toBeGreaterThanOrEqual(limits.namedAfter)
      expect(new Set(runs.flatMap(({ name }) => (name === undefined ? [] : [name]))).size).toBeLessThanOrEqual(
        limits.maxNamed,
      )
    },
  )

  it.prop(
    "names every repeated text at its namedAfter-th run while there is room",
    [fc.integer({ min: 1, max: 4 }), runsArb],
    ([namedAfter, texts]) => {
      for (const { sighting, name } of replay({ maxNamed: 100, maxTracked: 100, namedAfter }, texts)) {
        expect(name !== undefined).toBe(sighting >= namedAfter)
      }
    },
  )

  it("stops counting new texts once maxTracked are counted, but still names the counted ones", () => {
    const namer = new StatementNamer({ maxNamed: 10, maxTracked: 2, namedAfter: 2 })
    expect([namer.nameFor("a"), namer.nameFor("b"), namer.nameFor("c")]).toEqual([undefined, undefined, undefined])
    expect(namer.nameFor("c")).toBeUndefined()
    expect(namer.nameFor("a")).toBeDefined()
    // "a" no longer needs counting, which makes room for a new text
    expect(namer.nameFor("d")).toBeUndefined()
    expect(namer.nameFor("d")).toBeDefined()
    expect(namer.namedCount).toBe(2)
  })
})

// --- on PostgreSQL ---------------------------------------------------------------------------------------------------

const preparedStatements = Effect.flatMap(
  SqlClient,
  (sql) => sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'rm\\_%'`,
)

/**
 * A table with one row, read by `SELECT *` on one reserved connection until that is a named prepared statement, and
 * then given another column from another connection (as a new version's migration would).
 */
const preparedThenGrown = (table: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    yield* sql`CREATE TABLE ${sql(table)} (id int8 PRIMARY KEY, name text NOT NULL)`
    yield* sql`INSERT INTO ${sql(table)} (id, name) VALUES (1, 'first')`
    const connection = yield* sql.reserve
    const select = connection.execute(`SELECT * FROM ${table} WHERE id = $1`, [1], undefined)
    yield* select
    expect(yield* select).toEqual([{ id: 1, name: "first" }])
    yield* sql`ALTER TABLE ${sql(table)} ADD COLUMN email text`
    return { connection, select }
  })

describe.skipIf(Option.isNone(serverUrl))("PostgreSQL connections", () => {
  layer(freshDatabase, { timeout: "60 seconds" })((it) => {
    it.effect("run a repeated statement as a named prepared statement, with the same results", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`CREATE TABLE prepared_probe (id int8 PRIMARY KEY, long_name text NOT NULL)`
        const runs = yield* sql.withTransaction(
          Effect.gen(function* () {
            const results = yield* Effect.forEach(
              [1, 2, 3],
              (n) =>
                sql<{ id: number; longName: string; big: number | bigint }>`
                INSERT INTO prepared_probe (id, long_name) VALUES (${n}, ${`lead ${n}`})
                RETURNING id, long_name, 9007199254740993::int8 AS big`,
            )
            return { results, prepared: yield* preparedStatements }
          }),
        )
        expect(runs.results).toEqual([1, 2, 3].map((n) => [{ id: n, longName: `lead ${n}`, big: 9007199254740993n }]))
        expect(runs.prepared.some(({ statement }) => statement.includes("INSERT INTO prepared_probe"))).toBe(true)
      }),
    )

    it.effect("report a failing named statement to its caller and run it again afterwards", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`CREATE TABLE prepared_unique (id int8 PRIMARY KEY)`
        const insert = (id: number) => sql`INSERT INTO prepared_unique (id) VALUES (${id})`
        const outcomes = yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* insert(1)
            yield* insert(2)
            const duplicate = yield* Effect.either(sql`SAVEPOINT s`.pipe(Effect.zipRight(insert(2))))
            yield* sql`ROLLBACK TO SAVEPOINT s`
            yield* insert(3)
            return { duplicate, rows: yield* sql<{ id: number }>`SELECT id FROM prepared_unique ORDER BY id` }
          }),
        )
        expect(Either.isLeft(outcomes.duplicate)).toBe(true)
        if (Either.isLeft(outcomes.duplicate)) expect(String(outcomes.duplicate.left.cause)).toMatch(/duplicate key/)
        expect(outcomes.rows.map(({ id }) => id)).toEqual([1, 2, 3])
      }),
    )

    it.scoped("prepare a statement again when a new column changed its rows: outside a transaction, unnoticed", () =>
      Effect.gen(function* () {
        const { connection, select } = yield* preparedThenGrown("prepared_grows")

        expect(yield* select).toEqual([{ id: 1, name: "first", email: null }])
        expect(yield* select).toEqual([{ id: 1, name: "first", email: null }])
        const prepared = yield* connection.execute("SELECT name, statement FROM pg_prepared_statements", [], undefined)
        const names = prepared.filter((row) => String(row.statement).includes("prepared_grows")).map((row) => row.name)
        expect(names).toHaveLength(2)
        expect(names.some((name) => /^rm_\d+_1$/.test(String(name)))).toBe(true)
      }),
    )

    it.scoped(
      "prepare a statement again when a new column changed its rows: in a transaction, its caller fails once",
      () =>
        Effect.gen(function* () {
          const { connection, select } = yield* preparedThenGrown("prepared_grows_tx")

          yield* connection.execute("BEGIN", [], undefined)
          const inTransaction = yield* Effect.either(select)
          yield* connection.execute("ROLLBACK", [], undefined)
          expect(Either.isLeft(inTransaction) && isStalePlan(inTransaction.left.cause)).toBe(true)
          expect(yield* select).toEqual([{ id: 1, name: "first", email: null }])
        }),
    )
  })
})

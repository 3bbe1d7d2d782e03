/**
 * Applies the numbered migrations of `./migrations` in id order, each recorded in `effect_sql_migrations` so that a
 * restart applies only the new ones. All pending migrations run in one transaction, under a table lock, so two
 * processes starting together do not both apply them.
 */
import * as SqlMigrator from "@effect/sql/Migrator"
import { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Array as Arr, Effect, Layer, Option, Order } from "effect"
import { migrations as storeMigrations } from "./migrations/index.js"

export const MigrationError = SqlMigrator.MigrationError
export type MigrationError = SqlMigrator.MigrationError

export type MigrationRecord = Readonly<Record<string, Effect.Effect<unknown, SqlError, SqlClient>>>

/** The table that records applied migrations. */
export const migrationsTable = "effect_sql_migrations"

const keyPattern = /^(\d+)_(.+)$/

/**
 * A migration loader over a record keyed `<id>_<name>` (e.g. `0001_initial`), sorted by id. Unlike
 * @effect/sql's `fromRecord`, a key of another shape or an id used twice is an error, not a silently skipped migration.
 */
const fromRecord = (record: MigrationRecord): SqlMigrator.Loader =>
  Effect.gen(function* () {
    const resolved: Array<SqlMigrator.ResolvedMigration> = []
    for (const [key, migration] of Object.entries(record)) {
      const match = keyPattern.exec(key)
      if (match === null || match[1] === undefined || match[2] === undefined) {
        return yield* new MigrationError({
          reason: "bad-state",
          message: `Migration key "${key}" is not of the form <id>_<name>, e.g. "0001_initial"`,
        })
      }
      resolved.push([Number(match[1]), match[2], Effect.succeed(migration)])
    }
    const byId = Arr.groupBy(resolved, ([id]) => String(id))
    for (const [id, group] of Object.entries(byId)) {
      if (group.length > 1) {
        return yield* new MigrationError({
          reason: "duplicates",
          message: `Migration id ${id} is used by ${group.map(([, name]) => `"${name}"`).join(" and ")}`,
        })
      }
    }
    return Arr.sort(
      resolved,
      Order.mapInput(Order.number, ([id]: SqlMigrator.ResolvedMigration) => id),
    )
  })

// No schema dump: `PgMigrator` would shell out to pg_dump, which the embedded mode does not have.
const runMigrations = SqlMigrator.make({})

/**
 * Fails when a migration is older than the latest applied one but was never applied itself (two branches each added
 * a migration): the migrator only runs ids above the latest, so it would otherwise be skipped forever.
 */
const checkNoneSkipped = (loader: SqlMigrator.Loader) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const known = yield* loader
    const rows = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM ${sql(migrationsTable)}`
      .withoutTransform
    const applied = new Set(rows.map((row) => row.migration_id))
    const skipped = known.filter(([id]) => !applied.has(id))
    if (skipped.length > 0) {
      const names = skipped.map(([id, name]) => `${id}_${name}`).join(", ")
      return yield* new MigrationError({
        reason: "bad-state",
        message: `Migrations ${names} were never applied: their ids are below the latest applied migration's`,
      })
    }
  })

/**
 * Runs the pending migrations of `record` and returns the ones it applied as `[id, name]`. A migration that fails
 * rolls back every migration of the run and fails with a `MigrationError` naming it (the SQL error is its cause).
 */
const migrate = (
  record: MigrationRecord,
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, MigrationError | SqlError, SqlClient> => {
  const loader = fromRecord(record)
  return runMigrations({ loader, table: migrationsTable }).pipe(
    // @effect/sql turns a failing migration into a defect; keep it a typed failure.
    Effect.catchSomeDefect((defect) =>
      defect instanceof MigrationError ? Option.some(Effect.fail(defect)) : Option.none(),
    ),
    Effect.tap(() => checkNoneSkipped(loader)),
  )
}

export const Migrator = {
  migrate,
  fromRecord,
  /** Applies the store's migrations when built; fails the layer if one fails. */
  layer: Layer.effectDiscard(migrate(storeMigrations)) satisfies Layer.Layer<
    never,
    MigrationError | SqlError,
    SqlClient
  >,
  /** The same with another set of migrations. */
  layerFrom: (record: MigrationRecord): Layer.Layer<never, MigrationError | SqlError, SqlClient> =>
    Layer.effectDiscard(migrate(record)),
}

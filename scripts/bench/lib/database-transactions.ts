import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Transactions committed or rolled back so far in the current database, by PostgreSQL's own count
 * (`pg_stat_database`), less the one this reading is. A statement outside a transaction is one, so across a window
 * the difference is about the statements the server sent: a figure of the work a lead costs that does not depend on
 * how fast the machine is. Backends report their counts at most once a second, so read it after a quiet moment.
 */
export const databaseTransactions: Effect.Effect<number, never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ n: string }>`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database
    WHERE datname = current_database()`
  return Number(rows[0]?.n ?? Number.NaN)
}).pipe(Effect.orElseSucceed(() => Number.NaN))

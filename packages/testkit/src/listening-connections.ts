import { SqlClient } from "@effect/sql/SqlClient"
import { LISTENER_APPLICATION_NAME } from "@ringmaster/store"
import { Effect } from "effect"

/**
 * Cuts every connection listening for notifications on the current database (as a network failure or a restart of
 * PostgreSQL would), and returns how many were cut. The function is called in the select list, where PostgreSQL
 * applies it only to the rows the filter kept.
 */
export const cutListeningConnections = Effect.gen(function* () {
  const sql = yield* SqlClient
  const rows = yield* sql<{ cut: boolean }>`SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`
  return rows.filter((r) => r.cut).length
})

import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Console messages too long for a PostgreSQL NOTIFY (8000 bytes) wait here for the runners to read them, and which
 * runner holds which agent consoles (each runner refreshes its rows; a killed runner's rows go stale).
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE push_outbox (
    id bigserial PRIMARY KEY,
    payload text NOT NULL,
    created_at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX push_outbox_created ON push_outbox (created_at)`
  yield* sql`CREATE TABLE agent_connections (
    agent_id text NOT NULL REFERENCES agents(id),
    runner text NOT NULL,
    connections integer NOT NULL,
    seen_at bigint NOT NULL,
    PRIMARY KEY (agent_id, runner)
  )`
})

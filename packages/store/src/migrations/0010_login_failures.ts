import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Failed logins by tenant and username (as typed, lower-cased): a burst of them makes that login wait. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE login_failures (
    id bigserial PRIMARY KEY,
    tenant text NOT NULL,
    username text NOT NULL,
    at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX login_failures_key ON login_failures (tenant, username, at)`
})

import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** A lead's callback tasks still open, found at each outcome recorded on it (which closes them). */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX callback_tasks_open ON callback_tasks (lead_id) WHERE done_at IS NULL`
})

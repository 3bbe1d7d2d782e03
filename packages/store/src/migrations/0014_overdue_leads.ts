import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Waiting leads by their next attempt: the runners' sweep looks for those overdue (a lead whose admission or timer was
 * lost with a runner), one index range scan however many leads wait for later.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX leads_waiting_next_attempt ON leads (next_attempt_at) WHERE stage = 'waiting'`
})

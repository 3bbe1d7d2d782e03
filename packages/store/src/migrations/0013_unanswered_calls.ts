import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Outbound calls still dialling or ringing, by age: the runners' watchdog looks for those the carrier never finished
 * (the process that placed them died with its carrier connection), one index range scan.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX calls_outbound_unanswered ON calls (created_at)
    WHERE direction = 'outbound' AND phase IN ('Dialing', 'Ringing')`
})

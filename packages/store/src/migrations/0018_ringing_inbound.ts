import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** A campaign's inbound calls still ringing, read when the campaign is built again (few at any time). */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX calls_inbound_ringing ON calls (campaign_id, created_at)
    WHERE direction = 'inbound' AND agent_id IS NULL AND answered_at IS NULL AND ended_at IS NULL`
})

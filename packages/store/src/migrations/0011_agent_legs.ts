import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Agents' own audio legs (auto-dialer): where each agent's leg is dialled (a number or a SIP URI; none means the agent
 * works without one), and the leg in progress: our call id for it, the carrier's, and whether it is up.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE agents ADD COLUMN leg_endpoint text`
  yield* sql`ALTER TABLE agents ADD COLUMN leg_call_id text`
  yield* sql`ALTER TABLE agents ADD COLUMN leg_carrier_call_id text`
  yield* sql`ALTER TABLE agents ADD COLUMN leg_phase text CHECK (leg_phase IN ('Dialing', 'Up', 'Down'))`
  yield* sql`CREATE UNIQUE INDEX agents_leg_call_id ON agents (leg_call_id) WHERE leg_call_id IS NOT NULL`
})

import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Whether a supervisor has been alerted of a depleted queue and not re-armed since: kept with the threshold, so that a
 * campaign built again (after a restart, a failover or a quiet spell out of memory) does not alert again of the same
 * depletion.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE depletion_thresholds ADD COLUMN alerted boolean NOT NULL DEFAULT false`
})

import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Where a campaign's abandonment stands (ok, warning, fallback), as its supervisors were last told: kept with the
 * campaign, so that a campaign built again (after a restart, a failover or a quiet spell out of memory) neither warns
 * again of the same level nor dials ahead before its rate is back under the limit.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE campaigns ADD COLUMN abandonment_level text NOT NULL DEFAULT 'ok'
    CHECK (abandonment_level IN ('ok', 'warning', 'fallback'))`
})

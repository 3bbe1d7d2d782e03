import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * An agent's timers as deadlines on its row (epoch ms, null when not armed): the pending notification's timeout, the
 * end of its wrap-up, and the next dial of its dropped leg. `due_at` is the earliest of them, indexed, so that a
 * runner's sweep for the deadlines of agents whose entity is not active is one index range scan. Rows written before
 * this migration get the deadlines their persisted timers had.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE agents ADD COLUMN offer_due_at bigint`
  yield* sql`ALTER TABLE agents ADD COLUMN wrap_up_until bigint`
  yield* sql`ALTER TABLE agents ADD COLUMN leg_retry_at bigint`
  yield* sql`ALTER TABLE agents ADD COLUMN due_at bigint
    GENERATED ALWAYS AS (LEAST(offer_due_at, wrap_up_until, leg_retry_at)) STORED`
  yield* sql`CREATE INDEX agents_due_at ON agents (due_at) WHERE due_at IS NOT NULL`
  yield* sql`UPDATE agents SET offer_due_at = (pending_offer->>'expiresAt')::bigint
      + CASE WHEN pending_offer->>'kind' = 'inbound' THEN 2000 ELSE 0 END
    WHERE pending_offer IS NOT NULL`
  yield* sql`UPDATE agents a SET wrap_up_until = a.state_since + COALESCE((t.settings->>'wrapUpLimitMs')::bigint, 600000)
    FROM tenants t WHERE t.id = a.tenant_id AND a.state = 'WrapUp' AND a.current_call_id IS NOT NULL`
  yield* sql`UPDATE agents SET leg_retry_at = state_since WHERE leg_phase = 'Down'`
})

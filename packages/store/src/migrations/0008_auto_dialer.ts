import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The auto-dialer: what "not sure" from answering-machine detection means for a campaign and the messages it plays
 * (on a machine, to a person no agent could take), and on each call whether the pacing dialled it and how it ended.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE campaigns ADD COLUMN amd_not_sure text NOT NULL DEFAULT 'human' CHECK (amd_not_sure IN ('human', 'machine'))`
  yield* sql`ALTER TABLE campaigns ADD COLUMN machine_message text`
  yield* sql`ALTER TABLE campaigns ADD COLUMN abandon_message text NOT NULL
    DEFAULT 'Sorry we missed you. We will call you back shortly.'`
  yield* sql`ALTER TABLE calls ADD COLUMN auto_dialed boolean NOT NULL DEFAULT false`
  yield* sql`ALTER TABLE calls ADD COLUMN dial_result text`
  yield* sql`CREATE INDEX calls_campaign_auto ON calls (campaign_id, created_at) WHERE auto_dialed`
})

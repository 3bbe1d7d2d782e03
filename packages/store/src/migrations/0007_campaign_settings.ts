import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The control plane: campaign dialing settings and pause, status flags, abandoned calls, the agent state log
 * (for time in state and occupancy) and per-minute samples of each campaign (for the supervisor's charts).
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // dial_ratio (0001) is the preset ratio, or the starting ratio when pacing is adaptive.
  yield* sql`ALTER TABLE campaigns
    ADD COLUMN pacing text NOT NULL DEFAULT 'preset' CHECK (pacing IN ('preset', 'adaptive')),
    ADD COLUMN amd_mode text NOT NULL DEFAULT 'detect' CHECK (amd_mode IN ('disabled', 'detect', 'detect_beep')),
    ADD COLUMN max_lines integer NOT NULL DEFAULT 100 CHECK (max_lines >= 1),
    ADD COLUMN paused_at bigint,
    ADD COLUMN updated_at bigint`
  yield* sql`CREATE UNIQUE INDEX campaigns_tenant_name ON campaigns (tenant_id, name)`
  // A terminal status ends a lead's journey (booked, not interested); a dialable one has a cadence.
  yield* sql`ALTER TABLE lead_statuses ADD COLUMN terminal boolean NOT NULL DEFAULT false`
  // Set by the auto-dialer when a live-answered call found no agent within 2 seconds of the greeting.
  yield* sql`ALTER TABLE calls ADD COLUMN abandoned_at bigint`
  yield* sql`CREATE INDEX calls_campaign_created ON calls (campaign_id, created_at)`
  yield* sql`CREATE INDEX leads_campaign_created ON leads (campaign_id, created_at)`
  yield* sql`CREATE INDEX leads_tenant_email ON leads (tenant_id, lower(email))`
  yield* sql`CREATE INDEX offers_lead ON offers (lead_id, created_at)`
  yield* sql`CREATE INDEX calls_lead_created ON calls (lead_id, created_at)`

  // Every agent state change, written by a trigger on agents so that no door or entity can forget it.
  yield* sql`CREATE TABLE agent_state_log (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    agent_id text NOT NULL REFERENCES agents(id),
    campaign_id text REFERENCES campaigns(id),
    state text NOT NULL,
    at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX agent_state_log_agent_at ON agent_state_log (agent_id, at, id)`
  yield* sql`CREATE INDEX agent_state_log_campaign_at ON agent_state_log (campaign_id, at)`
  yield* sql.unsafe(`CREATE FUNCTION log_agent_state() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO agent_state_log (tenant_id, agent_id, campaign_id, state, at)
        VALUES (NEW.tenant_id, NEW.id, NEW.campaign_id, NEW.state, NEW.state_since);
      RETURN NEW;
    END
  $$`)
  yield* sql`CREATE TRIGGER agents_state_inserted AFTER INSERT ON agents
    FOR EACH ROW EXECUTE FUNCTION log_agent_state()`
  yield* sql`CREATE TRIGGER agents_state_changed AFTER UPDATE OF state ON agents
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION log_agent_state()`
  // The agents already there start their log at their current state.
  yield* sql`INSERT INTO agent_state_log (tenant_id, agent_id, campaign_id, state, at)
    SELECT tenant_id, id, campaign_id, state, state_since FROM agents`

  yield* sql`CREATE TABLE campaign_samples (
    campaign_id text NOT NULL REFERENCES campaigns(id),
    tenant_id text NOT NULL REFERENCES tenants(id),
    at bigint NOT NULL,
    ready integer NOT NULL,
    waiting integer NOT NULL,
    offered integer NOT NULL,
    in_call integer NOT NULL,
    agents jsonb NOT NULL,
    PRIMARY KEY (campaign_id, at)
  )`
})

import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The first schema. Every table carries its tenant; every time is epoch milliseconds in a bigint,
 * so that PostgreSQL and the embedded PGlite return the same JavaScript numbers.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE tenants (
    id text PRIMARY KEY,
    name text NOT NULL,
    default_region text NOT NULL DEFAULT 'US',
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at bigint NOT NULL
  )`
  yield* sql`CREATE TABLE users (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent', 'analyst')),
    agent_id text,
    password_hash text,
    created_at bigint NOT NULL,
    UNIQUE (tenant_id, email)
  )`
  yield* sql`CREATE TABLE api_tokens (
    token_hash text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    user_id text NOT NULL REFERENCES users(id),
    label text NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
  )`
  yield* sql`CREATE TABLE lead_statuses (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    UNIQUE (tenant_id, name)
  )`
  yield* sql`CREATE TABLE cadences (
    status_id text PRIMARY KEY REFERENCES lead_statuses(id),
    tenant_id text NOT NULL REFERENCES tenants(id),
    delays_ms jsonb NOT NULL,
    priority integer NOT NULL CHECK (priority >= 1),
    final_status_id text NOT NULL REFERENCES lead_statuses(id),
    max_attempts integer NOT NULL CHECK (max_attempts >= 1)
  )`
  yield* sql`CREATE TABLE lead_types (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    initial_status_id text NOT NULL REFERENCES lead_statuses(id),
    priority_zero boolean NOT NULL DEFAULT false,
    UNIQUE (tenant_id, name)
  )`
  yield* sql`CREATE TABLE dispositions (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    label text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('status', 'cadence')),
    status_id text REFERENCES lead_statuses(id),
    UNIQUE (tenant_id, label)
  )`
  yield* sql`CREATE TABLE campaigns (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    mode text NOT NULL DEFAULT 'manual' CHECK (mode IN ('manual', 'auto')),
    dial_ratio double precision NOT NULL DEFAULT 2.0,
    caller_id text NOT NULL,
    paused boolean NOT NULL DEFAULT false,
    created_at bigint NOT NULL
  )`
  yield* sql`CREATE TABLE agents (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    campaign_id text REFERENCES campaigns(id),
    state text NOT NULL DEFAULT 'Offline',
    state_since bigint NOT NULL,
    pending_offer jsonb,
    current_call_id text,
    call_phase text,
    call_to text,
    working_lead_id text
  )`
  yield* sql`CREATE TABLE leads (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    campaign_id text NOT NULL REFERENCES campaigns(id),
    lead_type_id text NOT NULL REFERENCES lead_types(id),
    status_id text NOT NULL REFERENCES lead_statuses(id),
    name text NOT NULL,
    phone text NOT NULL,
    email text,
    notes text NOT NULL DEFAULT '',
    stage text NOT NULL CHECK (stage IN ('ready', 'waiting', 'offered', 'in_call', 'wrap_up', 'terminal')),
    attempts integer NOT NULL DEFAULT 0,
    attempts_in_status integer NOT NULL DEFAULT 0,
    last_contact_at bigint,
    next_attempt_at bigint,
    recycled_seq bigint,
    assigned_agent_id text REFERENCES agents(id),
    assigned_until bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX leads_tenant_phone ON leads (tenant_id, phone)`
  yield* sql`CREATE INDEX leads_campaign_stage ON leads (campaign_id, stage)`
  yield* sql`CREATE INDEX leads_tenant_created ON leads (tenant_id, created_at, id)`
  yield* sql`CREATE TABLE lead_events (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    lead_id text NOT NULL REFERENCES leads(id),
    at bigint NOT NULL,
    kind text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}'::jsonb
  )`
  yield* sql`CREATE INDEX lead_events_lead ON lead_events (lead_id, id)`
  yield* sql`CREATE TABLE offers (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    campaign_id text NOT NULL REFERENCES campaigns(id),
    lead_id text NOT NULL REFERENCES leads(id),
    agent_ids jsonb NOT NULL,
    declined_by jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('open', 'accepted', 'recycled', 'requeued')),
    resolved_by text,
    resolved_at bigint
  )`
  yield* sql`CREATE INDEX offers_campaign_open ON offers (campaign_id) WHERE state = 'open'`
  yield* sql`CREATE TABLE calls (
    id text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    campaign_id text REFERENCES campaigns(id),
    lead_id text REFERENCES leads(id),
    agent_id text REFERENCES agents(id),
    direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    from_number text NOT NULL,
    to_number text NOT NULL,
    carrier_call_id text,
    phase text NOT NULL,
    facts jsonb NOT NULL,
    disposition_id text REFERENCES dispositions(id),
    created_at bigint NOT NULL,
    answered_at bigint,
    ended_at bigint,
    hangup_cause text
  )`
  yield* sql`CREATE INDEX calls_carrier ON calls (carrier_call_id)`
  yield* sql`CREATE TABLE call_events (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    call_id text NOT NULL REFERENCES calls(id),
    event_id text NOT NULL,
    kind text NOT NULL,
    at bigint NOT NULL,
    received_at bigint NOT NULL,
    payload jsonb NOT NULL,
    UNIQUE (call_id, event_id)
  )`
})

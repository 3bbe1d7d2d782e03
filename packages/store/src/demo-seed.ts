import { SqlClient } from "@effect/sql"
import {
  AgentId,
  CampaignId,
  LeadId,
  LeadStatusId,
  LeadTypeId,
  parsePhone,
  Region,
  type Role,
  TenantId,
  UserId,
} from "@ringmaster/domain"
import { Effect, Either, Redacted } from "effect"
import { insertToken } from "./auth-repo.js"
import { hashPassword } from "./password.js"
import { toJson } from "./json.js"
import { insertStarterConfiguration, starterIds } from "./starter-configuration.js"

/** The most demo leads a tenant can have: each gets a number of its own among the 10,000 of +1 415 555 (fictional). */
export const MAX_DEMO_LEADS = 10_000

/** The phone number of the `index`th demo lead (from 0), +1 415 555 2600 onwards, distinct for every lead. */
export const demoLeadPhone = (index: number) =>
  parsePhone(`+1 415 555 ${String((2600 + index) % MAX_DEMO_LEADS).padStart(4, "0")}`, Region.make("US"))

/** A demo user: a fixed API token, and a password (null unless the seed was asked for logins). */
export interface SeededLogin {
  readonly userId: UserId
  readonly name: string
  readonly role: Role
  readonly username: string
  readonly token: string
  readonly password: string | null
}

export interface SeededTenant {
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly leadTypes: { readonly injury: LeadTypeId; readonly preClosed: LeadTypeId }
  readonly statuses: Record<"new" | "callback" | "booked" | "notInterested" | "unreachable" | "badNumber", LeadStatusId>
  readonly agents: ReadonlyArray<SeededLogin & { readonly agentId: AgentId }>
  readonly supervisor: SeededLogin
  readonly admin: SeededLogin
  readonly manager: SeededLogin
  readonly analyst: SeededLogin
  /** Leads created by this call (empty when the tenant existed already). */
  readonly newLeadIds: ReadonlyArray<LeadId>
}

/** The demo agents' leg endpoint: a SIP address per agent. */
export const demoLegEndpoint = (agentId: AgentId): string => `sip:${agentId}@agents.ringmaster.local`

/**
 * Creates (once) a tenant with the demo configuration: statuses with cadences, two lead types, dispositions,
 * one manual campaign, `agentCount` agents, an admin, a supervisor, a manager, an analyst, and `leadCount` leads.
 * Ids are derived from `key` so a restart finds the same tenant; the tokens printed at start are fixed demo
 * secrets for that key. With `logins`, every user also gets the password `<username>-<key>-password` (scrypt
 * costs about 0.2 s a user, so seeds for tests and benchmarks leave it off). An `operator` tenant's admins may
 * create tenants.
 */
export const seedTenant = (input: {
  readonly key: string
  readonly name: string
  readonly agentCount: number
  readonly leadCount: number
  readonly now: number
  /** A DID that rings this tenant's campaign (source "Main line"). */
  readonly inboundNumber?: string
  readonly logins?: boolean
  readonly operator?: boolean
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const k = input.key
    const tenantId = TenantId.make(`${k}`)
    const { statuses, leadTypes } = starterIds(k)
    const campaignId = CampaignId.make(`${k}-campaign-intake`)
    const agentNames = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Alan Turing", "Edsger Dijkstra"]
    const agents = Array.from({ length: input.agentCount }, (_, i) => {
      const first = (agentNames[i % agentNames.length] ?? "Agent").split(" ")[0]?.toLowerCase() ?? "agent"
      const suffix = i < agentNames.length ? first : `${first}-${i}`
      return {
        agentId: AgentId.make(`${k}-agent-${suffix}`),
        userId: UserId.make(`${k}-user-${suffix}`),
        name: i < agentNames.length ? (agentNames[i] ?? `Agent ${i}`) : `Agent ${i + 1}`,
        role: "agent" as const,
        username: suffix,
        token: `${k}-agent-${suffix}-token`,
        password: input.logins === true ? `${suffix}-${k}-password` : null,
      }
    })
    const staff = (username: string, name: string, role: Role): SeededLogin => ({
      userId: UserId.make(`${k}-user-${username}`),
      name,
      role,
      username,
      token: `${k}-${username}-token`,
      password: input.logins === true ? `${username}-${k}-password` : null,
    })
    const supervisor = staff("supervisor", "Sam Supervisor", "supervisor")
    const admin = staff("admin", "Ari Admin", "admin")
    const manager = staff("manager", "Mo Manager", "manager")
    const analyst = staff("analyst", "Ann Analyst", "analyst")
    const hashOf = (login: SeededLogin) =>
      login.password === null ? Effect.succeed(null) : hashPassword(Redacted.make(login.password))

    const existing = yield* sql<{ id: string }>`SELECT id FROM tenants WHERE id = ${tenantId}`
    const newLeadIds: Array<LeadId> = []
    if (existing.length === 0) {
      // Hashed before the transaction: scrypt runs on the thread pool, several at once.
      const withHash = <L extends SeededLogin>(logins: ReadonlyArray<L>) =>
        Effect.forEach(logins, (l) => Effect.map(hashOf(l), (hash) => [l, hash] as const), { concurrency: 4 })
      const staffHashes = yield* withHash([admin, supervisor, manager, analyst])
      const agentHashes = yield* withHash(agents)
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO tenants (id, name, default_region, operator, created_at)
            VALUES (${tenantId}, ${input.name}, 'US', ${input.operator === true}, ${input.now})`
          yield* insertStarterConfiguration(tenantId, k)
          yield* sql`INSERT INTO campaigns (id, tenant_id, name, mode, dial_ratio, caller_id, created_at)
            VALUES (${campaignId}, ${tenantId}, 'Intake', 'manual', 2.0, '+14155550100', ${input.now})`
          if (input.inboundNumber !== undefined) {
            yield* sql`INSERT INTO inbound_numbers (did, tenant_id, campaign_id, source, created_at)
              VALUES (${input.inboundNumber}, ${tenantId}, ${campaignId}, 'Main line', ${input.now})`
          }
          for (const [u, hash] of staffHashes) {
            yield* sql`INSERT INTO users (id, tenant_id, username, name, email, role, password_hash, created_at) VALUES
              (${u.userId}, ${tenantId}, ${u.username}, ${u.name}, ${`${u.username}@${k}.example`}, ${u.role}, ${hash},
                ${input.now})`
            yield* insertToken({ token: u.token, tenantId, userId: u.userId, label: "demo", now: input.now })
          }
          for (const [a, hash] of agentHashes) {
            // Each agent's leg (dialled when the campaign's auto-dialer is on) goes to a softphone at its own address.
            yield* sql`INSERT INTO agents (id, tenant_id, name, campaign_id, state, state_since, leg_endpoint)
              VALUES (${a.agentId}, ${tenantId}, ${a.name}, ${campaignId}, 'Offline', ${input.now},
                ${demoLegEndpoint(a.agentId)})`
            yield* sql`INSERT INTO users (id, tenant_id, username, name, email, role, agent_id, password_hash, created_at)
              VALUES (${a.userId}, ${tenantId}, ${a.username}, ${a.name}, ${`${a.agentId}@${k}.example`}, 'agent',
                ${a.agentId}, ${hash}, ${input.now})`
            yield* insertToken({ token: a.token, tenantId, userId: a.userId, label: "demo", now: input.now })
          }
          const people = ["Maria Garcia", "James Smith", "Wei Chen", "Fatima Khan", "Olga Petrova", "Kwame Mensah"]
          for (let i = 0; i < input.leadCount; i++) {
            const id = LeadId.make(`${k}-lead-${i + 1}`)
            const phone = demoLeadPhone(i)
            if (Either.isLeft(phone)) return yield* Effect.die(phone.left)
            const type = i % 3 === 2 ? leadTypes.preClosed : leadTypes.injury
            const at = input.now + i
            yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, stage,
                next_attempt_at, created_at, updated_at)
              VALUES (${id}, ${tenantId}, ${campaignId}, ${type}, ${statuses.new}, ${people[i % people.length] ?? "Lead"},
                ${phone.right}, 'waiting', ${at}, ${at}, ${at})`
            yield* sql`INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
              VALUES (${tenantId}, ${id}, ${at}, 'created', ${toJson({ source: "demo" })}::jsonb)`
            newLeadIds.push(id)
          }
        }),
      )
    }
    const seeded: SeededTenant = {
      tenantId,
      campaignId,
      leadTypes,
      statuses,
      agents,
      supervisor,
      admin,
      manager,
      analyst,
      newLeadIds,
    }
    return seeded
  })

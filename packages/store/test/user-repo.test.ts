import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { CampaignId, type Role, TenantId } from "@ringmaster/domain"
import { Effect, Either, Layer, Option, Redacted } from "effect"
import { seedTenant } from "../src/demo-seed.js"
import { Migrator } from "../src/migrator.js"
import { verifyPassword } from "../src/password.js"
import { findTenant, insertTenant } from "../src/tenant-repo.js"
import { findLogin, findTenantUser, insertUser, listUsers, updateUser } from "../src/user-repo.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))

const newUser = (tenantId: TenantId, username: string, role: Role, extra?: { readonly email?: string }) =>
  insertUser({
    tenantId,
    username,
    name: `User ${username}`,
    email: extra?.email ?? null,
    role,
    passwordHash: "$scrypt$placeholder",
    campaignId: null,
    now: 7,
  })

layer(database, { timeout: "120 seconds" })("users and tenants", (it) => {
  it.effect("a username is unique per tenant whatever its case, and free in another tenant", () =>
    Effect.gen(function* () {
      const a = (yield* seedTenant({ key: "usr1", name: "A", agentCount: 0, leadCount: 0, now: 0 })).tenantId
      const b = (yield* seedTenant({ key: "usr2", name: "B", agentCount: 0, leadCount: 0, now: 0 })).tenantId
      yield* newUser(a, "jo.smith", "analyst")
      const clash = yield* Effect.either(newUser(a, "Jo.Smith", "supervisor"))
      expect(Either.isLeft(clash) && clash.left._tag === "UserConflict" ? clash.left.field : null).toBe("username")
      const emailClash = yield* Effect.either(newUser(a, "jo2", "analyst", { email: "analyst@usr1.example" }))
      expect(Either.isLeft(emailClash) && emailClash.left._tag === "UserConflict" ? emailClash.left.field : null).toBe(
        "email",
      )
      const inB = yield* newUser(b, "jo.smith", "analyst")
      expect(inB.tenantId).toBe(b)
      expect(Option.isSome(yield* findLogin(a, "JO.SMITH"))).toBe(true)
      expect(Option.isNone(yield* findLogin(a, "nobody"))).toBe(true)
      // another tenant's user is not found by id
      expect(Option.isNone(yield* findTenantUser(a, inB.id))).toBe(true)
    }),
  )

  it.effect("a user with the role agent gets its agent, in the campaign given, Offline; others get none", () =>
    Effect.gen(function* () {
      const seeded = yield* seedTenant({ key: "usr3", name: "C", agentCount: 0, leadCount: 0, now: 0 })
      const agent = yield* insertUser({
        tenantId: seeded.tenantId,
        username: "newbie",
        name: "New Bie",
        email: null,
        role: "agent",
        passwordHash: "$scrypt$placeholder",
        campaignId: CampaignId.make(seeded.campaignId),
        now: 9,
      })
      expect(agent.agentId).not.toBeNull()
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ name: string; campaignId: string; state: string; tenantId: string }>`
        SELECT name, campaign_id, state, tenant_id FROM agents WHERE id = ${agent.agentId}`
      expect(rows).toEqual([{ name: "New Bie", campaignId: seeded.campaignId, state: "Offline", tenantId: "usr3" }])
      const analyst = yield* newUser(seeded.tenantId, "counter", "analyst")
      expect(analyst.agentId).toBeNull()
      // renaming an agent's user renames its agent
      yield* updateUser({ tenantId: seeded.tenantId, userId: agent.id, name: "Renamed", role: "agent" })
      const renamed = yield* sql<{ name: string }>`SELECT name FROM agents WHERE id = ${agent.agentId}`
      expect(renamed).toEqual([{ name: "Renamed" }])
      const usernames = (yield* listUsers(seeded.tenantId)).map((u) => `${u.username}:${u.role}`)
      expect(usernames).toEqual([
        "admin:admin",
        "analyst:analyst",
        "counter:analyst",
        "manager:manager",
        "newbie:agent",
        "supervisor:supervisor",
      ])
    }),
  )

  it.effect("the demo seed with logins gives each user the password it prints; without, nobody can log in", () =>
    Effect.gen(function* () {
      const withLogins = yield* seedTenant({
        key: "usr4",
        name: "D",
        agentCount: 1,
        leadCount: 0,
        now: 0,
        logins: true,
      })
      const ada = withLogins.agents[0]
      expect(ada).toMatchObject({ username: "ada", password: "ada-usr4-password", role: "agent" })
      const login = Option.getOrThrow(yield* findLogin(withLogins.tenantId, "ada"))
      expect(yield* verifyPassword(Redacted.make("ada-usr4-password"), login.passwordHash)).toBe(true)
      expect(login.user.agentId).toBe(ada?.agentId)
      const without = yield* seedTenant({ key: "usr5", name: "E", agentCount: 0, leadCount: 0, now: 0 })
      expect(without.admin.password).toBeNull()
      expect(Option.getOrThrow(yield* findLogin(without.tenantId, "admin")).passwordHash).toBeNull()
    }),
  )

  it.effect("a tenant id is taken once; the operator flag is kept", () =>
    Effect.gen(function* () {
      const id = TenantId.make("fresh-co")
      expect(yield* insertTenant({ id, name: "Fresh", defaultRegion: "GB", operator: false, now: 3 })).toBe(true)
      expect(yield* insertTenant({ id, name: "Again", defaultRegion: "US", operator: true, now: 4 })).toBe(false)
      expect(Option.getOrThrow(yield* findTenant(id))).toEqual({
        id,
        name: "Fresh",
        defaultRegion: "GB",
        operator: false,
        createdAt: 3,
      })
    }),
  )
})

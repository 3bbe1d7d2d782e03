import { type Role, roles } from "@ringmaster/domain"
import { RingmasterApi } from "@ringmaster/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http, login, openSocket, receivedTexts, type Reply, within } from "./support/auth-client.js"
import { e2eDatabase, type E2eDatabase } from "./support/database-mode.js"
import { startServer, type ServerProcess } from "./support/server-process.js"

/** The demo's fixed API tokens, one user per role. */
const tokenOf: Record<Role, string> = {
  admin: "demo-admin-token",
  supervisor: "demo-supervisor-token",
  manager: "demo-manager-token",
  analyst: "demo-analyst-token",
  agent: "demo-agent-ada-token",
}
const readers: ReadonlyArray<Role> = ["admin", "supervisor", "manager", "analyst"]
const configurers: ReadonlyArray<Role> = ["admin", "supervisor", "manager"]
const everyone: ReadonlyArray<Role> = roles

interface Probe {
  readonly group: string
  readonly what: string
  readonly request: (role: Role, i: number) => readonly [method: string, path: string, body?: unknown]
  readonly allowed: ReadonlyArray<Role>
  /** Statuses that mean "let through" (the role check passed); default 200, 201 or 204. */
  readonly passes?: ReadonlyArray<number>
}

const campaign = "demo-campaign-intake"

/** At least one read and, where the group has one, one write per endpoint group. */
const probes: ReadonlyArray<Probe> = [
  { group: "health", what: "GET /health", request: () => ["GET", "/health"], allowed: everyone },
  { group: "auth", what: "GET /auth/me", request: () => ["GET", "/auth/me"], allowed: everyone },
  {
    group: "auth",
    what: "POST /auth/tokens (own API token)",
    request: (role) => ["POST", "/auth/tokens", { label: `integration of ${role}` }],
    allowed: everyone,
  },
  { group: "leads", what: "GET /leads", request: () => ["GET", "/leads"], allowed: readers },
  {
    group: "leads",
    what: "GET /leads/{id} (not assigned)",
    request: () => ["GET", "/leads/demo-lead-1"],
    allowed: readers,
  },
  {
    group: "leads",
    what: "POST /leads",
    request: (role, i) => [
      "POST",
      "/leads",
      {
        name: `Lead by ${role}`,
        phone: `+1 415 555 26${50 + i}`,
        leadTypeId: "demo-type-injury",
        campaignId: campaign,
      },
    ],
    allowed: configurers,
  },
  { group: "campaigns", what: "GET /campaigns", request: () => ["GET", "/campaigns"], allowed: readers },
  {
    group: "campaigns",
    what: "GET /campaigns/{id}/queue",
    request: () => ["GET", `/campaigns/${campaign}/queue`],
    allowed: readers,
  },
  { group: "campaigns", what: "GET /dispositions", request: () => ["GET", "/dispositions"], allowed: everyone },
  {
    group: "campaigns",
    what: "POST /campaigns",
    request: (role) => ["POST", "/campaigns", { name: `Campaign of ${role}`, callerId: "+1 415 555 0100" }],
    allowed: configurers,
  },
  { group: "agents", what: "GET /agents", request: () => ["GET", "/agents"], allowed: readers },
  {
    group: "agents",
    what: "GET /agents/{own or another}",
    request: () => ["GET", "/agents/demo-agent-ada"],
    allowed: [...readers, "agent"],
  },
  {
    group: "agents",
    what: "GET /agents/{another agent}",
    request: () => ["GET", "/agents/demo-agent-grace"],
    allowed: readers,
  },
  {
    group: "agents",
    what: "PUT /agents/{another agent}/state",
    request: () => ["PUT", "/agents/demo-agent-grace/state", { state: "Online" }],
    allowed: configurers,
    // Online twice is an illegal transition: 409 still means the role check let the call through.
    passes: [200, 409],
  },
  {
    group: "agents",
    what: "PUT /agents/{self}/state",
    request: () => ["PUT", "/agents/demo-agent-ada/state", { state: "Online" }],
    allowed: [...configurers, "agent"],
    passes: [200, 409],
  },
  {
    group: "agents",
    what: "PUT /agents/{id}/leg-endpoint",
    request: (role) => [
      "PUT",
      "/agents/demo-agent-grace/leg-endpoint",
      { legEndpoint: `sip:grace-${role}@pbx.example` },
    ],
    allowed: configurers,
  },
  { group: "config", what: "GET /settings", request: () => ["GET", "/settings"], allowed: readers },
  { group: "config", what: "GET /lead-types", request: () => ["GET", "/lead-types"], allowed: readers },
  {
    group: "config",
    what: "PATCH /settings",
    request: () => ["PATCH", "/settings", { callingHoursStart: 0, callingHoursEnd: 24 }],
    allowed: configurers,
  },
  { group: "compliance", what: "GET /dnc", request: () => ["GET", "/dnc"], allowed: readers },
  {
    group: "compliance",
    what: "POST /blacklist",
    request: (_role, i) => ["POST", "/blacklist", { phone: `+1 415 555 27${50 + i}` }],
    allowed: configurers,
  },
  { group: "users", what: "GET /users", request: () => ["GET", "/users"], allowed: ["admin"] },
  {
    group: "users",
    what: "POST /users",
    request: (role) => [
      "POST",
      "/users",
      { username: `made-by-${role}`, name: `Made by ${role}`, role: "analyst", password: "a long enough secret" },
    ],
    allowed: ["admin"],
  },
  { group: "tenants", what: "GET /tenants", request: () => ["GET", "/tenants"], allowed: ["admin"] },
  {
    group: "tenants",
    what: "POST /tenants",
    request: (role) => [
      "POST",
      "/tenants",
      {
        id: `co-of-${role}`,
        name: `Company of ${role}`,
        admin: { username: "boss", name: "The Boss", password: "the boss's secret" },
      },
    ],
    allowed: ["admin"],
  },
  { group: "reports", what: "GET /reports/calls.csv", request: () => ["GET", "/reports/calls.csv"], allowed: readers },
  {
    group: "stats",
    what: "GET /campaigns/{id}/stats",
    request: () => ["GET", `/campaigns/${campaign}/stats`],
    allowed: readers,
  },
  { group: "callbacks", what: "GET /callbacks", request: () => ["GET", "/callbacks"], allowed: readers },
  {
    group: "callbacks",
    what: "POST /callbacks/{id}/done",
    // No such task: a configurer gets 404 (past the role check), anyone else 403.
    request: () => ["POST", "/callbacks/987654321/done"],
    allowed: configurers,
    passes: [404],
  },
]

const passed = (probe: Probe, reply: Reply) => (probe.passes ?? [200, 201, 204]).includes(reply.status)

describe("roles against every endpoint group", () => {
  let db: E2eDatabase
  let server: ServerProcess

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "2", SESSION_TTL: "15 seconds" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("has probes for every endpoint group of the API", () => {
    const groups = Object.keys(RingmasterApi.groups).sort()
    expect([...new Set(probes.map((p) => p.group))].sort()).toEqual(groups)
  })

  // One test per role: its allowed calls pass, every other call is a 403 with a tagged body naming the roles needed.
  for (const role of roles) {
    it(`${role}: allowed where the rules allow, 403 Forbidden elsewhere`, async () => {
      const client = http(server.baseUrl, tokenOf[role])
      const outcome: Array<string> = []
      for (const [i, probe] of probes.entries()) {
        const [method, path, body] = probe.request(role, roles.indexOf(role) * 10 + i)
        const reply = await client.request(method, path, body)
        if (probe.allowed.includes(role)) {
          if (!passed(probe, reply)) outcome.push(`${probe.what}: expected to pass, got ${reply.status} ${reply.text}`)
        } else {
          const body = reply.body as Record<string, unknown> | null
          if (reply.status !== 403 || body?.["_tag"] !== "Forbidden" || typeof body["message"] !== "string") {
            outcome.push(`${probe.what}: expected 403 Forbidden, got ${reply.status} ${reply.text}`)
          } else if (!String(body["message"]).includes(`you are ${role}`) && role !== "agent") {
            outcome.push(`${probe.what}: the 403 does not name the role: ${reply.text}`)
          }
        }
      }
      expect(outcome).toEqual([])
      // every group was exercised with at least one call that passed, or one that was refused
      const refusedGroups = new Set(probes.filter((p) => !p.allowed.includes(role)).map((p) => p.group))
      const allowedGroups = new Set(probes.filter((p) => p.allowed.includes(role)).map((p) => p.group))
      expect(new Set([...refusedGroups, ...allowedGroups]).size).toBe(Object.keys(RingmasterApi.groups).length)
    })
  }

  it("an agent reads no tenant-wide list: every GET without a path parameter but its own is 403", async () => {
    const doc = (await http(server.baseUrl).get("/openapi.json")).body as { paths: Record<string, object> }
    const personal = new Set(["/health", "/auth/me", "/auth/tokens", "/dispositions"])
    const lists = Object.entries(doc.paths)
      .filter(([path, ops]) => "get" in ops && !path.includes("{") && !personal.has(path))
      .map(([path]) => path)
    const agent = http(server.baseUrl, tokenOf.agent)
    const analyst = http(server.baseUrl, tokenOf.analyst)
    const wrong: Array<string> = []
    let checked = 0
    for (const path of lists) {
      const asAgent = await agent.get(path)
      const asAnalyst = await analyst.get(path)
      // 400: a required query parameter is missing, so the request never reached the role check
      if (asAgent.status === 400) continue
      checked++
      if (asAgent.status !== 403) wrong.push(`agent GET ${path}: ${asAgent.status}`)
      const adminOnly = path === "/users" || path === "/tenants"
      if (adminOnly ? asAnalyst.status !== 403 : asAnalyst.status !== 200) {
        wrong.push(`analyst GET ${path}: ${asAnalyst.status}`)
      }
    }
    expect(wrong).toEqual([])
    expect(checked).toBeGreaterThanOrEqual(15)
  })

  it("no token, or an unknown one, is 401 on every group but health and login", async () => {
    for (const [token, message] of [
      [undefined, undefined],
      ["rm_made-up", "the bearer token is unknown"],
    ] as const) {
      const client = http(server.baseUrl, token)
      for (const path of ["/leads", "/campaigns", "/agents", "/settings", "/dnc", "/auth/me", "/users", "/tenants"]) {
        const reply = await client.get(path)
        expect(reply.status, path).toBe(401)
        expect(reply.body).toMatchObject({ _tag: "Unauthorized", ...(message === undefined ? {} : { message }) })
      }
      expect((await client.get("/health")).status).toBe(200)
    }
  })
})

describe("sessions, API tokens and users", () => {
  let db: E2eDatabase
  let server: ServerProcess
  const passwords = ["admin-demo-password", "ada-demo-password", "analyst-demo-password"]
  const chosenPasswords = [
    "a new secret for ada",
    "penguins all the way",
    "acme root secret",
    "not her password",
    "another secret",
  ]

  beforeAll(async () => {
    db = await e2eDatabase()
    server = await startServer({ ...db.env, DEMO: "true", DEMO_LEADS: "1", SESSION_TTL: "15 seconds" })
  }, 120_000)

  afterAll(async () => {
    await server?.stop()
    await db?.dispose()
  })

  it("logs in with tenant, username and password; a wrong one of the three gets the same 401", async () => {
    const session = await login(server.baseUrl, "demo", "Ada", "ada-demo-password")
    expect(session.user).toEqual({
      id: "demo-user-ada",
      tenantId: "demo",
      name: "Ada Lovelace",
      role: "agent",
      agentId: "demo-agent-ada",
    })
    expect(session.token).toMatch(/^rm_/)
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 5_000)
    expect(session.expiresAt).toBeLessThanOrEqual(Date.now() + 15_000)
    const me = await http(server.baseUrl, session.token).get("/auth/me")
    expect(me.body).toMatchObject({ user: { id: "demo-user-ada" }, credential: { kind: "session" } })

    const anon = http(server.baseUrl)
    const refusals = await Promise.all([
      anon.post("/auth/login", { tenant: "demo", username: "ada", password: "not her password" }),
      anon.post("/auth/login", { tenant: "demo", username: "nobody", password: "ada-demo-password" }),
      anon.post("/auth/login", { tenant: "elsewhere", username: "ada", password: "ada-demo-password" }),
    ])
    for (const r of refusals) {
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ _tag: "Unauthorized", message: "unknown tenant, username or password" })
    }
    const missing = await anon.post("/auth/login", { tenant: "demo", username: " ", password: "x" })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ _tag: "ValidationError", field: "username" })
  })

  it("makes a login wait after 5 failures in 15 minutes, even with the right password; other logins go on", async () => {
    const anon = http(server.baseUrl)
    for (let i = 0; i < 5; i++) {
      const wrong = await anon.post("/auth/login", { tenant: "demo", username: "Manager", password: `guess ${i}` })
      expect(wrong.status).toBe(401)
    }
    const held = await anon.post("/auth/login", {
      tenant: "demo",
      username: "manager",
      password: "manager-demo-password",
    })
    expect(held.status).toBe(429)
    expect(held.body).toMatchObject({ _tag: "TooManyAttempts" })
    const wait = (held.body as { retryAfterSeconds: number }).retryAfterSeconds
    expect(wait).toBeGreaterThan(14 * 60)
    expect(wait).toBeLessThanOrEqual(15 * 60)
    // another user of the same tenant is not held back
    expect((await login(server.baseUrl, "demo", "supervisor", "supervisor-demo-password")).token).toMatch(/^rm_/)
  })

  it("logout revokes the session: 401 on HTTP, the open console is closed and a new one refused", async () => {
    const session = await login(server.baseUrl, "demo", "analyst", "analyst-demo-password")
    const ws = await openSocket(server.baseUrl, session.token)
    const client = http(server.baseUrl, session.token)
    expect((await client.get("/leads")).status).toBe(200)
    expect((await client.post("/auth/logout")).status).toBe(204)
    const after = await client.get("/leads")
    expect(after.status).toBe(401)
    expect(after.body).toEqual({ _tag: "Unauthorized", message: "the token was revoked (logged out)" })
    const closed = await within(ws.closed, 10_000, "the console to close after logout")
    expect(closed).toEqual({ code: 4401, reason: "the token was revoked (logged out)" })
    await expect(openSocket(server.baseUrl, session.token)).rejects.toThrow(/401/)
    // the fixed API token of the same user still works
    expect((await http(server.baseUrl, "demo-analyst-token").get("/leads")).status).toBe(200)
  })

  it("a session and an API token with an expiry answer 401 from their expiry on, and their console closes", async () => {
    const session = await login(server.baseUrl, "demo", "admin", "admin-demo-password")
    const admin = http(server.baseUrl, session.token)
    const created = await admin.post("/auth/tokens", { label: "short-lived", expiresAt: Date.now() + 4_000 })
    expect(created.status).toBe(201)
    const apiToken = String((created.body as Record<string, unknown>)["token"])
    const ws = await openSocket(server.baseUrl, apiToken)
    expect((await http(server.baseUrl, apiToken).get("/users")).status).toBe(200)
    const closed = await within(ws.closed, 10_000, "the console of the expiring token to close")
    expect(closed).toEqual({ code: 4401, reason: "the token has expired; log in again" })
    expect((await http(server.baseUrl, apiToken).get("/users")).body).toEqual({
      _tag: "Unauthorized",
      message: "the token has expired; log in again",
    })
    // the session (15 s here, SESSION_TTL) expires in turn
    expect((await admin.get("/users")).status).toBe(200)
    await new Promise((r) => setTimeout(r, Math.max(0, session.expiresAt - Date.now() + 200)))
    const late = await admin.get("/users")
    expect(late.status).toBe(401)
    expect(late.body).toMatchObject({ message: "the token has expired; log in again" })
  }, 40_000)

  it("API tokens: created with a label and shown once, listed without secret, revoked by their owner only", async () => {
    const admin = http(server.baseUrl, "demo-admin-token")
    const created = await admin.post("/auth/tokens", { label: "CRM sync" })
    expect(created.status).toBe(201)
    const { token, id } = created.body as { token: string; id: string }
    const listed = await admin.get("/auth/tokens")
    expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ id, label: "CRM sync" })]))
    expect(listed.text).not.toContain(token)
    const me = await http(server.baseUrl, token).get("/auth/me")
    expect(me.body).toMatchObject({ user: { role: "admin" }, credential: { id, kind: "api", expiresAt: null } })
    // another user cannot revoke it, even knowing its id
    expect((await http(server.baseUrl, "demo-supervisor-token").del(`/auth/tokens/${id}`)).status).toBe(404)
    expect((await http(server.baseUrl, token).get("/users")).status).toBe(200)
    expect((await admin.del(`/auth/tokens/${id}`)).status).toBe(204)
    expect((await http(server.baseUrl, token).get("/users")).status).toBe(401)
    const bad = await admin.post("/auth/tokens", { label: "  " })
    expect(bad.body).toMatchObject({ _tag: "ValidationError", field: "label" })
    const past = await admin.post("/auth/tokens", { label: "x", expiresAt: 1 })
    expect(past.body).toMatchObject({ _tag: "ValidationError", field: "expiresAt", value: "1" })
  })

  it("an admin creates an agent user (with its agent), who logs in and gets its console", async () => {
    const admin = http(server.baseUrl, "demo-admin-token")
    const created = await admin.post("/users", {
      username: "Linus",
      name: "Linus Torvalds",
      role: "agent",
      password: "penguins all the way",
      email: "linus@demo.example",
      campaignId: campaign,
    })
    expect(created.status).toBe(201)
    const user = created.body as { id: string; agentId: string; username: string }
    expect(user).toMatchObject({ username: "linus", role: "agent", disabled: false })
    expect(created.text).not.toMatch(/password|penguins/)
    const agentRow = await http(server.baseUrl, "demo-supervisor-token").get(`/agents/${user.agentId}`)
    expect(agentRow.body).toMatchObject({ agentId: user.agentId, name: "Linus Torvalds", state: "Offline" })

    const session = await login(server.baseUrl, "demo", "linus", "penguins all the way")
    expect(session.user).toMatchObject({ id: user.id, agentId: user.agentId, role: "agent" })
    const ws = await openSocket(server.baseUrl, session.token)
    await within(
      new Promise<void>((ok) => {
        const poll = setInterval(() => {
          if (ws.messages.some((m) => m["_tag"] === "AgentSnapshot")) ok(clearInterval(poll))
        }, 50)
      }),
      10_000,
      "the new agent's snapshot",
    )
    ws.socket.close()

    const clash = await admin.post("/users", {
      username: "LINUS",
      name: "Another",
      role: "analyst",
      password: "long enough pw",
    })
    expect(clash.status).toBe(409)
    expect(clash.body).toMatchObject({ _tag: "Conflict", code: "username-taken" })
    const weak = await admin.post("/users", { username: "weak", name: "Weak", role: "analyst", password: "short" })
    expect(weak.status).toBe(400)
    expect(weak.body).toEqual({
      _tag: "ValidationError",
      field: "password",
      value: "(5 characters, hidden)",
      message: "password: must be at least 10 characters",
    })
    const toAgent = await admin.patch(`/users/demo-user-analyst`, { role: "agent" })
    expect(toAgent.body).toMatchObject({ _tag: "ValidationError", field: "role", value: "agent" })
    const renamed = await admin.patch(`/users/demo-user-analyst`, { role: "manager", name: "Ann Manager" })
    expect(renamed.body).toMatchObject({ role: "manager", name: "Ann Manager" })
    expect(
      (
        await http(server.baseUrl, "demo-analyst-token").post("/campaigns", {
          name: "Now I configure",
          callerId: "+1 415 555 0100",
        })
      ).status,
    ).toBe(201)
    const self = await admin.post("/users/demo-user-admin/disable")
    expect(self.body).toMatchObject({ _tag: "Conflict", code: "own-account" })
  })

  it("disabling a user ends their tokens and logins; a password reset ends the sessions and the old password", async () => {
    const admin = http(server.baseUrl, "demo-admin-token")
    const before = await login(server.baseUrl, "demo", "ada", "ada-demo-password")
    expect((await admin.post("/users/demo-user-ada/disable")).body).toMatchObject({ disabled: true })
    for (const token of [before.token, "demo-agent-ada-token"]) {
      const reply = await http(server.baseUrl, token).get("/agents/demo-agent-ada")
      expect(reply.body).toEqual({ _tag: "Unauthorized", message: "the user of this token is disabled" })
    }
    const refused = await http(server.baseUrl).post("/auth/login", {
      tenant: "demo",
      username: "ada",
      password: "ada-demo-password",
    })
    expect(refused.status).toBe(401)
    await expect(openSocket(server.baseUrl, "demo-agent-ada-token")).rejects.toThrow(/401/)

    expect((await admin.post("/users/demo-user-ada/enable")).body).toMatchObject({ disabled: false })
    const again = await login(server.baseUrl, "demo", "ada", "ada-demo-password")
    const reset = await admin.put("/users/demo-user-ada/password", { password: "a new secret for ada" })
    expect(reset.status).toBe(204)
    expect((await http(server.baseUrl, again.token).get("/auth/me")).status).toBe(401)
    const old = await http(server.baseUrl).post("/auth/login", {
      tenant: "demo",
      username: "ada",
      password: "ada-demo-password",
    })
    expect(old.status).toBe(401)
    const fresh = await login(server.baseUrl, "demo", "ada", "a new secret for ada")
    expect(fresh.user.id).toBe("demo-user-ada")
  })

  it("an operator's admin creates a tenant whose admin sees only their own tenant, and may not create one", async () => {
    const operator = http(server.baseUrl, "demo-admin-token")
    const created = await operator.post("/tenants", {
      id: "acme-law",
      name: "Acme Law",
      defaultRegion: "us",
      admin: { username: "root", name: "Acme Root", password: "acme root secret" },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      tenant: { id: "acme-law", name: "Acme Law", defaultRegion: "US", operator: false },
      admin: { tenantId: "acme-law", username: "root", role: "admin" },
    })
    const again = await operator.post("/tenants", {
      id: "acme-law",
      name: "Acme again",
      admin: { username: "r2", name: "R", password: "another secret" },
    })
    expect(again.body).toMatchObject({ _tag: "Conflict", code: "tenant-exists" })
    const root = await login(server.baseUrl, "acme-law", "root", "acme root secret")
    const acme = http(server.baseUrl, root.token)
    expect((await acme.get("/tenants")).body).toEqual([expect.objectContaining({ id: "acme-law" })])
    expect(((await acme.get("/users")).body as Array<{ username: string }>).map((u) => u.username)).toEqual(["root"])
    expect((await acme.get("/leads")).body).toMatchObject({ items: [] })
    // It starts with an intake team's configuration, its own: statuses with cadences, lead types, outcomes.
    const statuses = (await acme.get("/statuses")).body as Array<{ id: string; name: string; dialable: boolean }>
    expect(
      statuses
        .filter((x) => x.dialable)
        .map((x) => x.name)
        .sort(),
    ).toEqual(["Call back", "New"])
    expect(statuses.every((x) => x.id.startsWith("acme-law-"))).toBe(true)
    const types = (await acme.get("/lead-types")).body as Array<{ name: string }>
    expect(types.map((t) => t.name).sort()).toEqual(["Personal injury", "Pre-closed"])
    const outcomes = (await acme.get("/dispositions")).body as Array<{ label: string }>
    expect(outcomes.map((d) => d.label)).toContain("Consultation booked")
    const nested = await acme.post("/tenants", {
      id: "acme-child",
      name: "Child",
      admin: { username: "c", name: "C", password: "child secret!" },
    })
    expect(nested.status).toBe(403)
    expect(nested.body).toEqual({ _tag: "Forbidden", message: "only admins of an operator tenant may create tenants" })
    // the operator got no access to the new tenant
    expect((await operator.get(`/users/${(created.body as { admin: { id: string } }).admin.id}`)).status).toBe(404)
    const badId = await operator.post("/tenants", {
      id: "Bad Id",
      name: "x",
      admin: { username: "r", name: "R", password: "another secret" },
    })
    expect(badId.body).toMatchObject({ _tag: "ValidationError", field: "id", value: "Bad Id" })
  })

  it("never sends back nor logs a password (the demo's own are printed in the start banner, on purpose)", async () => {
    const output = server.output()
    for (const password of [...passwords, ...chosenPasswords]) {
      for (const text of receivedTexts) expect(text).not.toContain(password)
    }
    for (const password of chosenPasswords) expect(output).not.toContain(password)
    expect(receivedTexts.some((t) => t.includes("password_hash") || t.includes("$scrypt$"))).toBe(false)
  })
})

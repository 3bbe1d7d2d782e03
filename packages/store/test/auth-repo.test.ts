import { expect, layer } from "@effect/vitest"
import { credentialState, type TenantId, type UserId } from "@ringmaster/domain"
import { Effect, Layer, Option } from "effect"
import {
  createApiToken,
  hashToken,
  insertToken,
  issueSession,
  listApiTokens,
  lookupToken,
  lookupTokens,
  revokeToken,
  revokeUserTokens,
} from "../src/auth-repo.js"
import { seedTenant } from "../src/demo-seed.js"
import { Migrator } from "../src/migrator.js"
import { setPasswordHash, setUserDisabled } from "../src/user-repo.js"
import { SqlClient } from "@effect/sql"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const HOUR = 3_600_000

const stateOf = (token: string, now: number) =>
  Effect.map(lookupToken(token), (found) =>
    Option.match(found, {
      onNone: () => "unknown" as const,
      onSome: (r) =>
        credentialState({ revokedAt: r.revokedAt, expiresAt: r.expiresAt, userDisabledAt: r.user.disabledAt }, now),
    }),
  )

const tenant = (key: string) =>
  Effect.map(seedTenant({ key, name: key, agentCount: 1, leadCount: 0, now: 0 }), (t) => ({
    tenantId: t.tenantId as TenantId,
    supervisor: t.supervisor.userId as UserId,
    analyst: t.analyst.userId as UserId,
    other: t,
  }))

layer(database, { timeout: "120 seconds" })("tokens", (it) => {
  it.effect("stores only the SHA-256 of a secret; a session expires at its time, and answers to its user", () =>
    Effect.gen(function* () {
      const t = yield* tenant("tok1")
      const session = yield* issueSession({ tenantId: t.tenantId, userId: t.supervisor, now: 1_000, ttlMs: 12 * HOUR })
      expect(session.expiresAt).toBe(1_000 + 12 * HOUR)
      expect(session.token).toMatch(/^rm_[A-Za-z0-9_-]{43}$/)
      const sql = yield* SqlClient.SqlClient
      const stored = yield* sql<{ tokenHash: string }>`SELECT token_hash FROM api_tokens WHERE id = ${session.id}`
      expect(stored).toEqual([{ tokenHash: hashToken(session.token) }])
      const found = yield* lookupToken(session.token)
      expect(Option.getOrThrow(found)).toMatchObject({
        id: session.id,
        kind: "session",
        user: { id: t.supervisor, tenantId: t.tenantId, role: "supervisor" },
      })
      expect(yield* stateOf(session.token, session.expiresAt - 1)).toBe("valid")
      expect(yield* stateOf(session.token, session.expiresAt)).toBe("expired")
      expect(yield* stateOf("rm_not-a-token", 0)).toBe("unknown")
    }),
  )

  it.effect("revoking a token ends it, and only its own user can revoke it", () =>
    Effect.gen(function* () {
      const t = yield* tenant("tok2")
      const session = yield* issueSession({ tenantId: t.tenantId, userId: t.supervisor, now: 0, ttlMs: HOUR })
      const byOther = yield* revokeToken({ tenantId: t.tenantId, userId: t.analyst, tokenId: session.id, now: 5 })
      expect(byOther).toBe(false)
      expect(yield* stateOf(session.token, 10)).toBe("valid")
      expect(yield* revokeToken({ tenantId: t.tenantId, userId: t.supervisor, tokenId: session.id, now: 5 })).toBe(true)
      expect(yield* stateOf(session.token, 10)).toBe("revoked")
      // a second revocation finds nothing live
      expect(yield* revokeToken({ tenantId: t.tenantId, userId: t.supervisor, tokenId: session.id, now: 6 })).toBe(
        false,
      )
    }),
  )

  it.effect("API tokens are listed by label without their secret, sessions are not listed", () =>
    Effect.gen(function* () {
      const t = yield* tenant("tok3")
      yield* issueSession({ tenantId: t.tenantId, userId: t.analyst, now: 0, ttlMs: HOUR })
      const crm = yield* createApiToken({
        tenantId: t.tenantId,
        userId: t.analyst,
        label: "CRM",
        expiresAt: null,
        now: 1,
      })
      const bi = yield* createApiToken({ tenantId: t.tenantId, userId: t.analyst, label: "BI", expiresAt: 99, now: 2 })
      const listed = yield* listApiTokens(t.tenantId, t.analyst)
      // newest first; the demo seed gave every user a fixed API token labelled "demo"
      expect(listed).toEqual([bi.row, crm.row, expect.objectContaining({ label: "demo", revokedAt: null })])
      expect(JSON.stringify(listed)).not.toContain(crm.token)
      yield* revokeToken({ tenantId: t.tenantId, userId: t.analyst, tokenId: bi.row.id, now: 3 })
      expect((yield* listApiTokens(t.tenantId, t.analyst)).map((r) => r.label)).toEqual(["CRM", "demo"])
      expect(yield* stateOf(crm.token, 10 * 365 * 24 * HOUR)).toBe("valid")
    }),
  )

  it.effect("disabling a user ends every token; a new password ends the sessions but keeps the API tokens", () =>
    Effect.gen(function* () {
      const t = yield* tenant("tok4")
      const session = yield* issueSession({ tenantId: t.tenantId, userId: t.analyst, now: 0, ttlMs: HOUR })
      const api = yield* createApiToken({
        tenantId: t.tenantId,
        userId: t.analyst,
        label: "x",
        expiresAt: null,
        now: 0,
      })
      yield* setPasswordHash({ tenantId: t.tenantId, userId: t.analyst, passwordHash: "$scrypt$x", now: 1 })
      expect(yield* stateOf(session.token, 2)).toBe("revoked")
      expect(yield* stateOf(api.token, 2)).toBe("valid")
      yield* setUserDisabled({ tenantId: t.tenantId, userId: t.analyst, disabled: true, now: 3 })
      expect(yield* stateOf(api.token, 4)).toBe("disabled")
      yield* setUserDisabled({ tenantId: t.tenantId, userId: t.analyst, disabled: false, now: 5 })
      // enabling again does not bring revoked tokens back
      expect(yield* stateOf(api.token, 6)).toBe("revoked")
    }),
  )

  it.effect("revokeUserTokens can end only the sessions, or everything", () =>
    Effect.gen(function* () {
      const t = yield* tenant("tok5")
      const s = yield* issueSession({ tenantId: t.tenantId, userId: t.supervisor, now: 0, ttlMs: HOUR })
      yield* insertToken({ token: "tok5-extra", tenantId: t.tenantId, userId: t.supervisor, label: "x", now: 0 })
      expect(yield* revokeUserTokens({ tenantId: t.tenantId, userId: t.supervisor, now: 1, only: "session" })).toBe(1)
      expect(yield* stateOf(s.token, 2)).toBe("revoked")
      expect(yield* stateOf("tok5-extra", 2)).toBe("valid")
      // the demo's fixed token and the extra one
      expect(yield* revokeUserTokens({ tenantId: t.tenantId, userId: t.supervisor, now: 3 })).toBe(2)
      expect(yield* stateOf("tok5-extra", 4)).toBe("revoked")
    }),
  )
  it.effect("looks up many tokens at once: each known one with its own user and state, unknown ones left out", () =>
    Effect.gen(function* () {
      const t = yield* tenant("tok6")
      const sessions = yield* Effect.forEach(
        Array.from({ length: 600 }, (_, i) => i),
        (i) =>
          issueSession({ tenantId: t.tenantId, userId: i % 2 === 0 ? t.supervisor : t.analyst, now: 0, ttlMs: HOUR }),
      )
      yield* revokeToken({ tenantId: t.tenantId, userId: t.analyst, tokenId: sessions[599]?.id ?? "", now: 1 })
      const asked = [...sessions.map((s) => s.token), "rm_unknown-1", "rm_unknown-2", sessions[0]?.token ?? ""]
      const found = yield* lookupTokens(asked)
      // more than one statement's worth (500), and a token asked twice is answered once
      expect(found.size).toBe(600)
      expect(found.has("rm_unknown-1")).toBe(false)
      sessions.forEach((s, i) => {
        expect(found.get(s.token)).toMatchObject({ id: s.id, user: { id: i % 2 === 0 ? t.supervisor : t.analyst } })
      })
      expect(found.get(sessions[599]?.token ?? "")?.revokedAt).toBe(1)
      expect(found.get(sessions[598]?.token ?? "")?.revokedAt).toBeNull()
      expect((yield* lookupTokens([])).size).toBe(0)
    }),
  )
})

import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { CallId, type CallPhase, E164, emptyCallFacts } from "@ringmaster/domain"
import { Effect, Layer, Option } from "effect"
import { campaignAgents, findAgent, listAgents, saveAgent } from "../src/agent-repo.js"
import { insertCall } from "../src/call-repo.js"
import { seedTenant } from "../src/demo-seed.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const day0 = Date.UTC(2024, 4, 1)

/** An agent OnCall whose row says `saved`, on a call whose own row says `live` (no call row when null). */
const agentOnCall = (saved: CallPhase, live: CallPhase | null) =>
  Effect.gen(function* () {
    const key = `a${crypto.randomUUID().slice(0, 8)}`
    const tenant = yield* seedTenant({ key, name: `Agents ${key}`, agentCount: 1, leadCount: 1, now: day0 })
    const agentId = tenant.agents[0]?.agentId
    const leadId = tenant.newLeadIds[0]
    if (agentId === undefined || leadId === undefined) return yield* Effect.dieMessage("seed too small")
    const callId = CallId.make(`${key}-call`)
    const to = E164.make("+14155552600")
    if (live !== null) {
      yield* insertCall({
        id: callId,
        tenantId: tenant.tenantId,
        campaignId: tenant.campaignId,
        leadId,
        agentId,
        direction: "outbound",
        from: E164.make("+14155550100"),
        to,
        carrierCallId: "carrier-1",
        phase: live,
        facts: emptyCallFacts,
        createdAt: day0,
      })
    }
    const row = Option.getOrThrow(yield* findAgent(agentId))
    yield* saveAgent({
      ...row,
      campaignId: tenant.campaignId,
      state: saved === "Ended" ? "WrapUp" : "OnCall",
      stateSince: day0,
      workingLeadId: leadId,
      call: { callId, leadId, phase: saved, to },
    })
    return { agentId, tenantId: tenant.tenantId, campaignId: tenant.campaignId }
  })

const phaseOnLoad = (saved: CallPhase, live: CallPhase | null) =>
  Effect.gen(function* () {
    const { agentId, tenantId, campaignId } = yield* agentOnCall(saved, live)
    const found = Option.getOrThrow(yield* findAgent(agentId)).call?.phase
    // Every way an agent is read gives the same phase.
    expect((yield* listAgents(tenantId)).map((a) => a.call?.phase)).toEqual([found])
    expect((yield* campaignAgents(campaignId)).map((a) => a.call?.phase)).toEqual([found])
    return found
  })

layer(database, { timeout: "120 seconds" })("agent repository", (it) => {
  it.effect("reads a call's progress from the call's own row, which the agent does not save", () =>
    Effect.gen(function* () {
      expect(yield* phaseOnLoad("Dialing", "Ringing")).toBe("Ringing")
      expect(yield* phaseOnLoad("Dialing", "Answered")).toBe("Answered")
      expect(yield* phaseOnLoad("Ringing", "Bridged")).toBe("Bridged")
    }),
  )

  it.effect("keeps the agent's own phase when the call row has nothing newer, or says Ended", () =>
    Effect.gen(function* () {
      expect(yield* phaseOnLoad("Dialing", "Dialing")).toBe("Dialing")
      expect(yield* phaseOnLoad("Dialing", null)).toBe("Dialing")
      // Only the agent moves itself to wrap-up when its call ends: a call row ahead of it does not end its call.
      expect(yield* phaseOnLoad("Answered", "Ended")).toBe("Answered")
      expect(yield* phaseOnLoad("Ended", "Answered")).toBe("Ended")
    }),
  )

  it.effect("saves an agent whose call ended together with its lead's move to wrap-up, only from in call", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const stageOf = (id: string) =>
        Effect.map(sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${id}`, ([row]) => row?.stage)
      const wrapUpWith = (leadStage: string) =>
        Effect.gen(function* () {
          const { agentId } = yield* agentOnCall("Answered", "Ended")
          const row = Option.getOrThrow(yield* findAgent(agentId))
          const leadId = row.workingLeadId
          if (leadId === null || row.call === null) return yield* Effect.dieMessage("no working lead")
          yield* sql`UPDATE leads SET stage = ${leadStage} WHERE id = ${leadId}`
          const at = day0 + 60_000
          yield* saveAgent(
            {
              ...row,
              state: "WrapUp",
              stateSince: at,
              call: { ...row.call, phase: "Ended" },
              wrapUpUntil: at + 600_000,
            },
            { leadId, at },
          )
          const saved = Option.getOrThrow(yield* findAgent(agentId))
          return { agent: [saved.state, saved.call?.phase, saved.wrapUpUntil], lead: yield* stageOf(leadId) }
        })
      const wrapUpEnds = ["WrapUp", "Ended", day0 + 660_000]
      expect(yield* wrapUpWith("in_call")).toEqual({ agent: wrapUpEnds, lead: "wrap_up" })
      // A lead that moved on meanwhile (its outcome already recorded) keeps its stage; the agent is saved all the same.
      expect(yield* wrapUpWith("waiting")).toEqual({ agent: wrapUpEnds, lead: "waiting" })
    }),
  )

  it.effect("lists agents without a call too", () =>
    Effect.gen(function* () {
      const key = `a${crypto.randomUUID().slice(0, 8)}`
      const tenant = yield* seedTenant({ key, name: `Agents ${key}`, agentCount: 2, leadCount: 0, now: day0 })
      const rows = yield* listAgents(tenant.tenantId)
      expect(rows.map((a) => [a.state, a.call])).toEqual([
        ["Offline", null],
        ["Offline", null],
      ])
    }),
  )
})

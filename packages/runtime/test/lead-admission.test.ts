/**
 * During a rolling upgrade a new lead's entity may live on a runner of an earlier version, which knows only the stored
 * `Admit`: the lead is then admitted through it, not left waiting. In-memory cluster; the earlier Lead entity is its
 * protocol as it was, recording what it is told.
 */
import { ClusterSchema, Entity, TestRunner } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { expect, it } from "@effect/vitest"
import { LeadId } from "@ringmaster/domain"
import { LeadEntity } from "@ringmaster/protocol"
import { admitNewLead } from "@ringmaster/runtime"
import { Effect, Layer, Queue, Schema } from "effect"

/** The Lead entity of the versions before `AdmitNow`: its only way in is the stored `Admit`. */
const EarlierLeadEntity = Entity.make("Lead", [
  Rpc.make("Admit", { payload: { leadId: Schema.String }, primaryKey: ({ leadId }) => `admit:${leadId}` }).annotate(
    ClusterSchema.Persisted,
    true,
  ),
])

it.scopedLive("admits a lead through the stored Admit when its entity is of an earlier version", () =>
  Effect.gen(function* () {
    const told = yield* Queue.unbounded<string>()
    const earlier = EarlierLeadEntity.toLayer(
      Effect.succeed(EarlierLeadEntity.of({ Admit: ({ payload }) => Queue.offer(told, payload.leadId) })),
    )
    const context = yield* Layer.build(Layer.provideMerge(earlier, TestRunner.layer))
    const leadId = LeadId.make("lead-of-an-earlier-runner")

    const leads = yield* Effect.provide(LeadEntity.client, context)
    const answer = yield* admitNewLead(leads, leadId)
    expect(answer).toBeNull()
    const admitted = yield* Queue.take(told).pipe(Effect.timeout("5 seconds"))
    expect(admitted).toBe(leadId)
  }),
)

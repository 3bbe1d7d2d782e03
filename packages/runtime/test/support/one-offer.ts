import { SqlClient } from "@effect/sql"
import { type AgentId, LeadId, type OfferId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { Duration, Effect } from "effect"
import { makeWorld } from "./world.js"

/** A Monday, 9:00 in San Francisco. */
const start = Date.UTC(2025, 0, 6, 17, 0, 0)

/**
 * A world of one agent, Online, holding the notification of its one lead (`${key}-lead`, dialling `phone`), where
 * an entity leaves memory after 2 idle seconds: the setting of the tests that replay what a killed runner leaves.
 */
export const oneAgentWithOffer = (input: {
  readonly key: string
  readonly phone: string
  readonly notificationTimeoutMs?: number
}) =>
  Effect.gen(function* () {
    const world = yield* makeWorld({
      key: input.key,
      agentCount: 1,
      start,
      settings: {
        callingHoursStart: 0,
        callingHoursEnd: 24,
        ...(input.notificationTimeoutMs === undefined ? {} : { notificationTimeoutMs: input.notificationTimeoutMs }),
      },
      entityMaxIdleTime: Duration.seconds(2),
    })
    const sql = yield* SqlClient.SqlClient
    const agentId = world.agentIds[0] as AgentId
    const agent = (yield* world.run(AgentEntity.client))(agentId)
    yield* world.run(agent.SetState({ state: "Online", source: "agent" }))
    const leadId = LeadId.make(`${input.key}-lead`)
    yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: input.phone })
    yield* world.settle
    const offer = (yield* world.read).openOffers.find((o) => o.leadId === leadId)
    if (offer === undefined) throw new Error("the lead was not offered")
    const offerId: OfferId = offer.id
    return { world, sql, agentId, agent, leadId, offerId }
  })

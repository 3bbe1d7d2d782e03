import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { Effect } from "effect"
import { makeWorld } from "./world.js"

/** The number of the lead `agentWithNewLead` creates. */
export const newLeadPhone = "+14155552671"

/**
 * A world with one agent, Online, and one new lead created the way `POST /leads` creates it, settled: the campaign
 * has offered the lead to the agent.
 */
export const agentWithNewLead = (key: string, start: number) =>
  Effect.gen(function* () {
    const world = yield* makeWorld({ key, agentCount: 1, start, settings: {} })
    const agentId = world.agentIds[0] as AgentId
    const agents = yield* world.run(AgentEntity.client)
    const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
    yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: newLeadPhone })
    yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
    yield* world.settle
    return { world, agentId, agents, leadId }
  })

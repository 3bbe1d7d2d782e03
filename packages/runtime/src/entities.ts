import { Layer } from "effect"
import { AgentEntityLive } from "./agent-entity.js"
import { CallEntityLive } from "./call-entity.js"
import { CampaignEntityLive } from "./campaign-entity.js"
import { CarrierEventRouterLive } from "./carrier-event-router.js"
import { LeadEntityLive } from "./lead-entity.js"
import { TenantConfigs } from "./tenant-configs.js"

/**
 * Every entity of the runtime and the carrier event router. Needs a cluster (Sharding), SqlClient, a Carrier
 * and AgentPush.
 */
export const RuntimeLive = Layer.mergeAll(
  LeadEntityLive,
  CampaignEntityLive,
  AgentEntityLive,
  CallEntityLive,
  CarrierEventRouterLive,
).pipe(Layer.provideMerge(TenantConfigs.layer))

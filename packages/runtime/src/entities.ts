import { Layer } from "effect"
import { DialGate } from "./compliance/dial-gate.js"
import { ExternalDnc } from "./compliance/external-dnc.js"
import { NumberLocator } from "./compliance/number-locator.js"
import { AgentDeadlineSweeperLive } from "./agent-deadline-sweeper.js"
import { AgentEntityLive } from "./agent-entity.js"
import { CallEntityLive } from "./call-entity.js"
import { CallWatchdogLive } from "./call-watchdog.js"
import { CampaignEntityLive } from "./campaign-entity.js"
import { CampaignWatchLive } from "./campaign-watch.js"
import { CarrierEventRouterLive } from "./carrier-event-router.js"
import { EntityOutbox } from "./entity-outbox.js"
import { LeadEntityLive } from "./lead-entity.js"
import { OverdueLeadSweepLive } from "./overdue-lead-sweep.js"
import { TenantConfigs } from "./tenant-configs.js"

/**
 * Every entity of the runtime, the carrier event router, this runner's sweep of agents' deadlines, its watchdog of lost
 * calls, its wake-up of campaigns lost with a runner, its sweep of overdue leads and the compliance gate every dial passes. Needs a cluster (Sharding),
 * SqlClient, a Carrier, AgentPush and the external do-not-call registry.
 */
export const RuntimeWith = <E, R, E2, R2>(
  externalDnc: Layer.Layer<ExternalDnc, E, R>,
  /** The tenant configuration cache: `TenantConfigs.layer` for one process, `TenantConfigsPostgres` for many runners. */
  configs: Layer.Layer<TenantConfigs, E2, R2>,
) =>
  Layer.mergeAll(
    LeadEntityLive,
    CampaignEntityLive,
    AgentEntityLive,
    CallEntityLive,
    CarrierEventRouterLive,
    AgentDeadlineSweeperLive(),
    CallWatchdogLive(),
    CampaignWatchLive(),
    OverdueLeadSweepLive(),
  ).pipe(
    Layer.provide(EntityOutbox.layer),
    Layer.provideMerge(DialGate.layer),
    Layer.provide(NumberLocator.layer),
    Layer.provide(externalDnc),
    Layer.provideMerge(configs),
  )

/** The runtime with no external do-not-call registry configured (only the tenant's own lists apply). */
export const RuntimeLive = RuntimeWith(ExternalDnc.layerNone, TenantConfigs.layer)

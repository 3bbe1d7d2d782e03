import { HttpApiBuilder } from "@effect/platform"
import { AgentState } from "@ringmaster/domain"
import { CurrentUser, notFound, RingmasterApi } from "@ringmaster/protocol"
import { TenantConfigs } from "@ringmaster/runtime"
import {
  abandonment,
  campaignAbandonmentLevel,
  abandonmentCounts,
  agentStateChanges,
  attemptsAndContacts,
  campaignAgents,
  campaignLeadCounts,
  campaignSamples,
  findTenantCampaign,
  occupancy,
  percentile,
  speedToLeadSamples,
  timeInStates,
} from "@ringmaster/store"
import { Clock, Effect, Option } from "effect"
import { epochParam, invalid, startOfUtcDay } from "./input.js"
import { requireReader } from "./roles.js"

const ABANDONMENT_WINDOW_DAYS = 30
const DAY = 86_400_000

/** Every agent state with its count (0 for the states nobody is in). */
const perState = (counts: Readonly<Record<string, number>>) =>
  Object.fromEntries(AgentState.literals.map((s) => [s, counts[s] ?? 0])) as Record<AgentState, number>

export const StatsHandlers = HttpApiBuilder.group(RingmasterApi, "stats", (handlers) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const owned = (campaignId: string) =>
      Effect.gen(function* () {
        const user = yield* requireReader
        const campaign = yield* findTenantCampaign(user.tenantId, campaignId).pipe(Effect.orDie)
        if (Option.isNone(campaign)) return yield* notFound("campaign", campaignId)
        return campaign.value
      })
    /** `since` as given (not in the future), else the start of today (UTC). */
    const dayStart = (raw: string | undefined, now: number) =>
      Effect.gen(function* () {
        const since = (yield* epochParam("since", raw)) ?? startOfUtcDay(now)
        if (since > now) return yield* invalid("since", String(raw), "is in the future")
        return since
      })

    return handlers
      .handle("campaign", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const campaign = yield* owned(path.campaignId)
          const user = yield* CurrentUser
          const now = yield* Clock.currentTimeMillis
          const since = yield* dayStart(urlParams.since, now)
          const settings = (yield* configs.get(user.tenantId).pipe(Effect.orDie)).settings
          const figures = yield* Effect.all(
            {
              leads: campaignLeadCounts(campaign.id),
              agents: campaignAgents(campaign.id),
              speed: speedToLeadSamples(campaign.id, since),
              today: attemptsAndContacts(campaign.id, since),
              abandoned: abandonmentCounts(campaign.id, now - ABANDONMENT_WINDOW_DAYS * DAY),
              held: campaignAbandonmentLevel(campaign.id),
              changes: agentStateChanges(campaign.id, since, now),
            },
            { concurrency: 1 },
          ).pipe(Effect.orDie)
          const counts: Record<string, number> = {}
          for (const a of figures.agents) counts[a.state] = (counts[a.state] ?? 0) + 1
          const rates = abandonment({
            ...figures.abandoned,
            warnRate: settings.abandonmentWarnRate,
            pauseRate: settings.abandonmentPauseRate,
            held: figures.held,
          })
          return {
            campaignId: campaign.id,
            at: now,
            since,
            leads: {
              ready: figures.leads.ready,
              waiting: figures.leads.waiting,
              offered: figures.leads.offered,
              inCall: figures.leads.inCall,
              wrapUp: figures.leads.wrapUp,
            },
            agents: figures.agents.map((a) => ({
              agentId: a.id,
              name: a.name,
              state: a.state,
              since: a.stateSince,
              timeInStateMs: Math.max(0, now - a.stateSince),
            })),
            agentsPerState: perState(counts),
            speedToLead: {
              p50Ms: percentile(figures.speed.samples, 50),
              p90Ms: percentile(figures.speed.samples, 90),
              measured: figures.speed.samples.length,
              untouched: figures.speed.untouched,
            },
            today: figures.today,
            abandonment: {
              ...figures.abandoned,
              ...rates,
              warnRate: settings.abandonmentWarnRate,
              pauseRate: settings.abandonmentPauseRate,
              windowDays: ABANDONMENT_WINDOW_DAYS,
            },
            occupancy: occupancy(
              Array.from(figures.changes.values(), (changes) => timeInStates(changes, { from: since, to: now })),
            ),
          }
        }),
      )
      .handle("series", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const campaign = yield* owned(path.campaignId)
          const now = yield* Clock.currentTimeMillis
          const since = yield* dayStart(urlParams.since, now)
          const until = (yield* epochParam("until", urlParams.until)) ?? now + 1
          if (until <= since) return yield* invalid("until", String(urlParams.until), "must be after since")
          const samples = yield* campaignSamples(campaign.id, since, until).pipe(Effect.orDie)
          return samples.map((s) => ({
            at: s.at,
            ready: s.ready,
            waiting: s.waiting,
            offered: s.offered,
            inCall: s.inCall,
            agentsPerState: perState(s.agents),
          }))
        }),
      )
  }),
)

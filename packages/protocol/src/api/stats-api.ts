import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { AgentId, AgentState, CampaignId } from "@ringmaster/domain"
import { Schema } from "effect"
import { Authentication } from "../auth.js"
import { Forbidden, NotFound, ValidationError } from "../errors.js"

const AgentsPerState = Schema.Record({ key: AgentState, value: Schema.Number })

export const AgentTimeInState = Schema.Struct({
  agentId: AgentId,
  name: Schema.String,
  state: AgentState,
  since: Schema.Number,
  timeInStateMs: Schema.Number,
})

export const CampaignLiveStats = Schema.Struct({
  campaignId: CampaignId,
  /** When the figures were taken (epoch ms). */
  at: Schema.Number,
  /** Start of "today" for the day's figures (epoch ms). */
  since: Schema.Number,
  leads: Schema.Struct({
    ready: Schema.Number.annotations({ description: "In the queue, waiting for an agent" }),
    waiting: Schema.Number.annotations({ description: "Waiting for their next attempt time" }),
    offered: Schema.Number.annotations({ description: "On an agent's screen now" }),
    inCall: Schema.Number,
    wrapUp: Schema.Number,
  }),
  agents: Schema.Array(AgentTimeInState),
  agentsPerState: AgentsPerState,
  speedToLead: Schema.Struct({
    p50Ms: Schema.NullOr(Schema.Number),
    p90Ms: Schema.NullOr(Schema.Number),
    measured: Schema.Number.annotations({ description: "Leads created today that were offered or dialled" }),
    untouched: Schema.Number.annotations({ description: "Leads created today not yet offered nor dialled" }),
  }).annotations({
    description:
      "From a lead's creation to its first offer to an agent or its first dial, whichever came first, over the " +
      "leads created since `since` (nearest-rank percentiles).",
  }),
  today: Schema.Struct({
    attempts: Schema.Number.annotations({ description: "Outbound dials placed since `since`" }),
    contacts: Schema.Number.annotations({ description: "Of those, answered by a person (not a machine)" }),
  }),
  abandonment: Schema.Struct({
    abandoned: Schema.Number,
    liveAnswered: Schema.Number,
    rate: Schema.NullOr(Schema.Number).annotations({ description: "abandoned / liveAnswered; null with none" }),
    level: Schema.Literal("ok", "warn", "pause").annotations({
      description:
        "warn from warnRate, pause (one dial per free agent) from pauseRate; a level is left only once the rate is " +
        "a tenth under its threshold (under 2.7% for a 3% pauseRate)",
    }),
    warnRate: Schema.Number,
    pauseRate: Schema.Number,
    windowDays: Schema.Number,
  }).annotations({ description: "Outbound calls of the last 30 days" }),
  occupancy: Schema.Struct({
    talkMs: Schema.Number,
    wrapMs: Schema.Number,
    loggedInMs: Schema.Number,
    rate: Schema.NullOr(Schema.Number).annotations({ description: "(talk + wrap) / logged-in; null with none" }),
  }).annotations({ description: "The campaign's agents since `since`: OnCall + WrapUp over every state but Offline" }),
})
export type CampaignLiveStats = typeof CampaignLiveStats.Type

export const StatsSample = Schema.Struct({
  at: Schema.Number,
  ready: Schema.Number,
  waiting: Schema.Number,
  offered: Schema.Number,
  inCall: Schema.Number,
  agentsPerState: AgentsPerState,
})
export type StatsSample = typeof StatsSample.Type

const dayParams = Schema.Struct({
  since: Schema.optional(Schema.String).annotations({
    description: "Start of the day (epoch ms) in the viewer's time zone; default the start of the UTC day",
  }),
})

export class StatsGroup extends HttpApiGroup.make("stats")
  .add(
    HttpApiEndpoint.get("campaign", "/campaigns/:campaignId/stats")
      .setPath(Schema.Struct({ campaignId: CampaignId }))
      .setUrlParams(dayParams)
      .addSuccess(CampaignLiveStats)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "The campaign's live figures for the supervisor view."),
  )
  .add(
    HttpApiEndpoint.get("series", "/campaigns/:campaignId/stats/series")
      .setPath(Schema.Struct({ campaignId: CampaignId }))
      .setUrlParams(
        Schema.Struct({
          ...dayParams.fields,
          until: Schema.optional(Schema.String).annotations({ description: "End (epoch ms); default now" }),
        }),
      )
      .addSuccess(Schema.Array(StatsSample))
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Queue depth and agents per state over the day, one sample a minute (STATS_SAMPLE_SECONDS), oldest first.",
      ),
  )
  .middleware(Authentication) {}

import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { CallId, CampaignId, LeadId } from "@ringmaster/domain"
import { Schema } from "effect"
import { Authentication } from "../auth.js"
import { Forbidden, NotFound, ValidationError } from "../errors.js"

/** A caller to call back: an inbound call nobody answered, or one whose caller hung up while it rang. */
export const CallbackTaskView = Schema.Struct({
  id: Schema.Number,
  leadId: LeadId,
  leadName: Schema.String,
  phone: Schema.String,
  campaignId: Schema.NullOr(CampaignId),
  callId: Schema.NullOr(CallId),
  reason: Schema.String,
  createdAt: Schema.Number,
  doneAt: Schema.NullOr(Schema.Number).annotations({
    description: "When it was marked done, or an agent recorded an outcome on the lead; null while open",
  }),
})
export type CallbackTaskView = typeof CallbackTaskView.Type

export class CallbacksGroup extends HttpApiGroup.make("callbacks")
  .add(
    HttpApiEndpoint.get("list", "/callbacks")
      .setUrlParams(
        Schema.Struct({
          limit: Schema.optional(Schema.String).annotations({ description: "1 to 1000, default 200" }),
        }),
      )
      .addSuccess(Schema.Array(CallbackTaskView))
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "The callers still to call back, oldest first. A task closes when it is marked done, or when an agent " +
          "records an outcome on its lead.",
      ),
  )
  .add(
    HttpApiEndpoint.post("done", "/callbacks/:taskId/done")
      .setPath(Schema.Struct({ taskId: Schema.NumberFromString }))
      .addSuccess(CallbackTaskView)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Marks a callback task done and answers it; a task done already is answered as is.",
      ),
  )
  .middleware(Authentication) {}

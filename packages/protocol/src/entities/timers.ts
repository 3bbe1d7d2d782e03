import { DeliverAt } from "@effect/cluster"
import { DateTime, PrimaryKey, Schema } from "effect"

/**
 * A persisted message payload delivered at `at` (epoch ms): the durable timer of the entities.
 * `key` names the timer so that re-sending the same timer is de-duplicated.
 */
export class TimerPayload extends Schema.Class<TimerPayload>("@ringmaster/protocol/TimerPayload")({
  key: Schema.String,
  at: Schema.Number,
}) {
  [PrimaryKey.symbol](): string {
    return `${this.key}@${this.at}`
  }
  [DeliverAt.symbol](): DateTime.DateTime {
    return DateTime.unsafeMake(this.at)
  }
}

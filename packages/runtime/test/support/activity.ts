import { type Tracer as TracerType, Tracer } from "effect"

/**
 * The cluster's RpcServer names the span of an entity handler `Type(entityId).Tag`. The runtime's background workers
 * that read the database before they message an entity (the carrier's event router, the agents' deadline sweeper, the
 * calls' watchdog, the campaigns' watch; `background-round.ts`) name theirs `Worker.step`: a round trip to PostgreSQL
 * outlasts the harness's few scheduler turns. So does the entity outbox's delivery of messages told between entities
 * (`EntityOutbox.deliver`).
 */
const entityTypes = new Set(["Agent", "Campaign", "Lead", "Call"])
const workers = new Set([
  "CarrierEventRouter",
  "AgentDeadlineSweeper",
  "CallWatchdog",
  "CampaignWatch",
  "OverdueLeadSweep",
  "EntityOutbox",
])

/** `Type(entityId).Tag` of an entity type above, or `Worker.step` of a worker above (every span name is looked at). */
const isWorkSpan = (name: string): boolean => {
  const paren = name.indexOf("(")
  if (paren > 0) return entityTypes.has(name.slice(0, paren)) && name.lastIndexOf(").") > paren
  const dot = name.indexOf(".")
  return dot > 0 && workers.has(name.slice(0, dot))
}

/**
 * Counts entity handlers at work, from their spans: wrapped around the run's tracer, it tells the harness
 * whether any entity is still handling a message. (A message waiting in a mailbox has no span yet, so the
 * harness also lets the scheduler run a few times before it trusts a zero.)
 */
export class EntityActivity {
  private open = 0
  /** Every handler span started so far: a change between two looks means work happened in between. */
  private started = 0

  get running(): number {
    return this.open
  }

  get startedCount(): number {
    return this.started
  }

  tracer(base: TracerType.Tracer): TracerType.Tracer {
    return Tracer.make({
      context: (f, fiber) => base.context(f, fiber),
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        if (!isWorkSpan(name)) return span
        this.open += 1
        this.started += 1
        let ended = false
        const end = span.end.bind(span)
        return Object.assign(span, {
          end: (endTime: bigint, exit: Parameters<TracerType.Span["end"]>[1]) => {
            if (!ended) {
              ended = true
              this.open -= 1
            }
            end(endTime, exit)
          },
        })
      },
    })
  }
}

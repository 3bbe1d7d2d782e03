import { BACKGROUND_WORK_ATTRIBUTE } from "@ringmaster/runtime"
import { type Tracer as TracerType, Tracer } from "effect"

/**
 * The cluster's RpcServer names the span of an entity handler `Type(entityId).Tag`. The runtime's background work (a
 * sweep's round, the carrier's event router, the entity outbox's delivery) marks its spans with
 * `BACKGROUND_WORK_ATTRIBUTE`: such a step may wait on PostgreSQL, which outlasts the harness's few scheduler turns.
 */
const entityTypes = new Set(["Agent", "Campaign", "Lead", "Call"])

/** A span the harness counts as work under way (every span name is looked at). */
const isWorkSpan = (name: string, options: TracerType.SpanOptions | undefined): boolean => {
  if (options?.attributes?.[BACKGROUND_WORK_ATTRIBUTE] === true) return true
  const paren = name.indexOf("(")
  return paren > 0 && entityTypes.has(name.slice(0, paren)) && name.lastIndexOf(").") > paren
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
        if (!isWorkSpan(name, options)) return span
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

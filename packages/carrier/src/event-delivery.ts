import { Effect } from "effect"
import type { Random } from "effect"
import type { SimulatedCarrierConfig } from "./simulated-config.js"
import { drawMs } from "./simulated-plan.js"

/**
 * How one event reaches subscribers, the way webhooks do: one delay (ms) per copy delivered. There are
 * two copies with probability `duplicateRate`. Without `reorder` every copy goes out at once, in order;
 * with it each copy waits up to `reorderWindowMs`, so events of a call that fall close together may swap.
 */
export const drawDeliveryDelays = (
  rng: Random.Random,
  config: Pick<SimulatedCarrierConfig, "duplicateRate" | "reorder" | "reorderWindowMs">,
): Effect.Effect<ReadonlyArray<number>> =>
  Effect.gen(function* () {
    const copies = (yield* rng.next) < config.duplicateRate ? 2 : 1
    const delays: Array<number> = []
    for (let copy = 0; copy < copies; copy++) {
      delays.push(config.reorder ? yield* drawMs(rng, { min: 0, max: config.reorderWindowMs }) : 0)
    }
    return delays
  })

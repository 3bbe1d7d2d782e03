import { SimulatedCarrier, type SimulatedCarrierConfig } from "@ringmaster/carrier"

/**
 * The telephone network of the auto-dialer's tests: every call rings 1 s; the far end greets for 1 s, then AMD
 * tells (always right); a person talks for an hour. `outcome` weighs the far ends (none by default); `overrides`
 * changes anything else.
 */
export const autoDialNetwork = (
  outcome: Partial<SimulatedCarrierConfig>,
  overrides: Partial<SimulatedCarrierConfig> & { readonly idPrefix: string },
) =>
  SimulatedCarrier.layer({
    human: 0,
    machine: 0,
    noAnswer: 0,
    busy: 0,
    disconnected: 0,
    ...outcome,
    amdAccuracy: 1,
    ringMs: { min: 1_000, max: 1_000 },
    greetingMs: { min: 1_000, max: 1_000 },
    amdDetectionMs: 1_000,
    talkMs: { min: 3_600_000, max: 3_600_000 },
    voicemailMs: 5_000,
    noAnswerAfterMs: 20_000,
    ...overrides,
  })

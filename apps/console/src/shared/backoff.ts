export interface BackoffOptions {
  readonly baseMs: number
  readonly capMs: number
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, capMs: 10_000 }

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first retry): doubling from `baseMs` up to
 * `capMs`, then scaled into [50 %, 100 %] by `random` (in [0, 1)) so that many consoles cut off together do not
 * all come back in the same instant.
 */
export const backoffDelay = (attempt: number, random: number, options: BackoffOptions = defaultBackoff): number => {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(Math.max(0, attempt), 30))
  const jitter = 0.5 + 0.5 * Math.min(Math.max(random, 0), 1)
  return Math.round(ceiling * jitter)
}

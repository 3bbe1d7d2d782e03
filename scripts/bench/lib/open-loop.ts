/** When an open-loop sender at `rate` per second sends during `seconds`: ms after its start, evenly spaced from 0. */
export const sendOffsets = (rate: number, seconds: number): ReadonlyArray<number> =>
  Array.from({ length: Math.floor(rate * seconds) }, (_, i) => (i * 1000) / rate)

export interface OpenLoopRun<A> {
  /** What each send gave, in sending order (only the sends started before an abort). */
  readonly results: ReadonlyArray<A>
  /** The largest delay of a send after its scheduled moment: this process falling behind its own schedule. */
  readonly maxLagMs: number
}

/**
 * Starts `send(i)` at each offset without waiting for the earlier sends to finish (an open loop: a slow reply does
 * not lower the offered rate), then waits for them all. A send that falls behind its moment starts at once.
 * Once `signal` aborts, no further send starts.
 */
export const runOpenLoop = async <A>(
  offsets: ReadonlyArray<number>,
  send: (index: number) => Promise<A>,
  signal?: AbortSignal,
): Promise<OpenLoopRun<A>> => {
  const start = performance.now()
  const pending: Array<Promise<A>> = []
  let maxLagMs = 0
  for (const [index, offset] of offsets.entries()) {
    const wait = start + offset - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    if (signal?.aborted === true) break
    maxLagMs = Math.max(maxLagMs, performance.now() - start - offset)
    pending.push(send(index))
  }
  return { results: await Promise.all(pending), maxLagMs }
}

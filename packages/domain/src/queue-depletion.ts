/**
 * Which supervisors to alert, and whose alert is over, when a campaign's ready leads number `ready`: a supervisor is
 * alerted once when the count falls below their threshold, and again only after it has been back at or above it.
 */
export const depletionCrossings = <K>(input: {
  readonly thresholds: ReadonlyMap<K, number>
  readonly alerted: ReadonlySet<K>
  readonly ready: number
}): { readonly alert: ReadonlyArray<K>; readonly clear: ReadonlyArray<K> } => {
  const alert: Array<K> = []
  const clear: Array<K> = []
  for (const [who, threshold] of input.thresholds) {
    const below = input.ready < threshold
    if (below && !input.alerted.has(who)) alert.push(who)
    if (!below && input.alerted.has(who)) clear.push(who)
  }
  for (const who of input.alerted) if (!input.thresholds.has(who)) clear.push(who)
  return { alert, clear }
}

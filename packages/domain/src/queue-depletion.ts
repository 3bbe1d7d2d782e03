/**
 * The ready count at which a supervisor alerted of a depleted queue may be alerted again: their threshold plus a
 * tenth of it (at least one lead). A queue that hovers at the threshold, one lead in and one out, would otherwise
 * alert on every lead handed out.
 */
export const depletionRearmAt = (threshold: number): number => threshold + Math.max(1, Math.ceil(threshold / 10))

/**
 * Which supervisors to alert, and whose alert is over, when a campaign's ready leads number `ready`: a supervisor is
 * alerted once when the count falls below their threshold, and again only after it has been back at
 * `depletionRearmAt(threshold)` or above.
 */
export const depletionCrossings = <K>(input: {
  readonly thresholds: ReadonlyMap<K, number>
  readonly alerted: ReadonlySet<K>
  readonly ready: number
}): { readonly alert: ReadonlyArray<K>; readonly clear: ReadonlyArray<K> } => {
  const alert: Array<K> = []
  const clear: Array<K> = []
  for (const [who, threshold] of input.thresholds) {
    if (input.alerted.has(who)) {
      if (input.ready >= depletionRearmAt(threshold)) clear.push(who)
    } else if (input.ready < threshold) {
      alert.push(who)
    }
  }
  for (const who of input.alerted) if (!input.thresholds.has(who)) clear.push(who)
  return { alert, clear }
}

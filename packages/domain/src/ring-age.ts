/**
 * How a campaign's dials resolved, by how long they had rung, in whole seconds: dials that ended up needing an
 * agent (`live`) and the others (no answer, busy, machines). It tells pacing how likely a call still ringing is to
 * need an agent: one that has rung longer than people usually take to answer is most likely a no-answer.
 */
export interface RingAgeProfile {
  readonly live: ReadonlyArray<number>
  readonly other: ReadonlyArray<number>
}

export const emptyRingAgeProfile: RingAgeProfile = { live: [], other: [] }

const bucketOf = (ageMs: number): number => (Number.isFinite(ageMs) && ageMs > 0 ? Math.floor(ageMs / 1000) : 0)

/** The profile with one more dial, resolved after `ageMs` of ringing. */
export const recordRingOutcome = (profile: RingAgeProfile, ageMs: number, neededAgent: boolean): RingAgeProfile => {
  const bucket = bucketOf(ageMs)
  const bump = (counts: ReadonlyArray<number>) => {
    const next = [...counts]
    while (next.length <= bucket) next.push(0)
    next[bucket] = (next[bucket] ?? 0) + 1
    return next
  }
  return neededAgent
    ? { live: bump(profile.live), other: profile.other }
    : { live: profile.live, other: bump(profile.other) }
}

/**
 * The chance that a call ringing for `ageMs` will need an agent: among the dials that rang at least that long
 * (to the second), the share that did, smoothed towards `fallback` by `priorWeight` dials.
 */
export const liveChanceAtAge = (profile: RingAgeProfile, ageMs: number, fallback: number, priorWeight = 2): number => {
  const from = bucketOf(ageMs)
  let live = 0
  let other = 0
  for (let b = from; b < profile.live.length; b++) live += profile.live[b] ?? 0
  for (let b = from; b < profile.other.length; b++) other += profile.other[b] ?? 0
  const prior = Number.isFinite(fallback) ? Math.min(1, Math.max(0, fallback)) : 0
  const weight = Number.isFinite(priorWeight) && priorWeight > 0 ? priorWeight : 0
  const total = live + other + weight
  return total === 0 ? prior : (live + prior * weight) / total
}

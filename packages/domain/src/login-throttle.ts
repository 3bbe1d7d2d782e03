/** How many failed logins of one user (tenant and username) are allowed within a window before the login waits. */
export interface LoginThrottlePolicy {
  readonly maxFailures: number
  readonly windowMs: number
}

export const defaultLoginThrottle: LoginThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000 }

/**
 * Until when a login is refused without looking at its password, given the times of the recent failed logins of
 * that user: with `maxFailures` failures within the window, until the oldest of the last `maxFailures` leaves it.
 * Null when a login may be tried now.
 */
export const loginLockedUntil = (
  failures: ReadonlyArray<number>,
  now: number,
  policy: LoginThrottlePolicy = defaultLoginThrottle,
): number | null => {
  const recent = failures.filter((at) => at > now - policy.windowMs && at <= now).sort((a, b) => b - a)
  if (recent.length < policy.maxFailures) return null
  const oldestCounted = recent[policy.maxFailures - 1]
  return oldestCounted === undefined ? null : oldestCounted + policy.windowMs
}

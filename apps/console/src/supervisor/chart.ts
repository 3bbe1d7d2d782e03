export interface ChartBox {
  readonly width: number
  readonly height: number
  readonly left: number
  readonly right: number
  readonly top: number
  readonly bottom: number
}

export const defaultBox: ChartBox = { width: 560, height: 180, left: 34, right: 8, top: 8, bottom: 20 }

export interface Domain {
  readonly x0: number
  readonly x1: number
  readonly y1: number
}

/** Maps a value into the plotting area; values outside the domain are clamped to its edge. */
export const scaleX = (box: ChartBox, domain: Domain, x: number): number => {
  const span = Math.max(1, domain.x1 - domain.x0)
  const t = Math.min(1, Math.max(0, (x - domain.x0) / span))
  return box.left + t * (box.width - box.left - box.right)
}

export const scaleY = (box: ChartBox, domain: Domain, y: number): number => {
  const t = Math.min(1, Math.max(0, y / Math.max(1, domain.y1)))
  return box.height - box.bottom - t * (box.height - box.top - box.bottom)
}

/** A "nice" top for an axis: 1, 2, 5 times a power of ten, at least `max`. */
export const niceMax = (max: number): number => {
  if (!(max > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power
  return 10 * power
}

const fmt = (n: number) => n.toFixed(1)

/** An SVG path through the points, in order. */
export const linePath = (
  box: ChartBox,
  domain: Domain,
  points: ReadonlyArray<{ readonly x: number; readonly y: number }>,
): string =>
  points
    .map((p, i) => `${i === 0 ? "M" : "L"}${fmt(scaleX(box, domain, p.x))} ${fmt(scaleY(box, domain, p.y))}`)
    .join(" ")

/**
 * Stacked bands: for each key, the closed area between the sum of the keys below it and the sum including it,
 * sample by sample. The top of the last band is the total.
 */
export const stackedBands = <K extends string>(
  box: ChartBox,
  domain: Domain,
  samples: ReadonlyArray<{ readonly x: number; readonly values: Readonly<Record<K, number>> }>,
  keys: ReadonlyArray<K>,
): ReadonlyArray<{ readonly key: K; readonly path: string }> => {
  const base = samples.map(() => 0)
  return keys.map((key) => {
    const lower = [...base]
    samples.forEach((s, i) => {
      base[i] = (base[i] ?? 0) + Math.max(0, s.values[key] ?? 0)
    })
    if (samples.length === 0) return { key, path: "" }
    const top = samples.map((s, i) => `${fmt(scaleX(box, domain, s.x))} ${fmt(scaleY(box, domain, base[i] ?? 0))}`)
    const bottom = samples
      .map((s, i) => `${fmt(scaleX(box, domain, s.x))} ${fmt(scaleY(box, domain, lower[i] ?? 0))}`)
      .reverse()
    return { key, path: `M${top.join(" L")} L${bottom.join(" L")} Z` }
  })
}

const minute = 60_000
const tickSteps = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360].map((m) => m * minute)

/**
 * Time marks on the local clock between x0 and x1: the finest step among 1 min … 6 h that gives at most
 * `maxTicks` marks, each on a whole multiple of that step (14:00, 14:15, 14:30 …).
 */
export const timeTicks = (x0: number, x1: number, maxTicks = 8): ReadonlyArray<number> => {
  const span = Math.max(0, x1 - x0)
  const step = tickSteps.find((s) => span / s <= maxTicks) ?? tickSteps[tickSteps.length - 1] ?? 60 * minute
  const stepMinutes = step / minute
  const first = new Date(x0)
  first.setSeconds(0, 0)
  const ticks: Array<number> = []
  for (let t = first.getTime(); t <= x1; t += minute) {
    const d = new Date(t)
    if (t >= x0 && (d.getHours() * 60 + d.getMinutes()) % stepMinutes === 0) ticks.push(t)
    if (ticks.length > maxTicks) break
  }
  return ticks
}

/**
 * The time range a chart of the day shows: from the first sample (the server may have started after midnight)
 * to now, and at least `minSpan` so that a few minutes of samples are not stretched across the whole width.
 */
export const dayRange = (
  samples: ReadonlyArray<{ readonly at: number }>,
  since: number,
  now: number,
  minSpan = 30 * minute,
): { readonly x0: number; readonly x1: number } => {
  const first = Math.max(since, samples[0]?.at ?? since)
  return { x0: Math.max(since, Math.min(first, now - minSpan)), x1: now }
}

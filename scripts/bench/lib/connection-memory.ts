/** The server's resident memory (bytes) with `connections` consoles open, idle or all Online. */
export interface Reading {
  readonly connections: number
  readonly online: boolean
  readonly rss: number
}

/** Megabytes (MiB) of resident memory that each 1,000 connections added above `baseBytes`. */
export const megabytesPerThousand = (baseBytes: number, withConnectionsBytes: number, connections: number): number =>
  connections <= 0 ? Number.NaN : ((withConnectionsBytes - baseBytes) / (1024 * 1024)) * (1000 / connections)

/**
 * Per 1,000 consoles, from the readings: the slope between the first and the last step (what each further console
 * costs, without the one-time costs of the first ones: code compiled, pools grown), and, for comparison, the cost
 * from no connections at all. Going Online is measured on top of being connected, at the full count.
 */
export const perThousand = (base: number, readings: ReadonlyArray<Reading>) => {
  const idle = readings.filter((r) => !r.online)
  const first = idle[0]
  const last = idle[idle.length - 1]
  const online = readings.filter((r) => r.online)
  const allOnline = online[online.length - 1]
  const connected =
    first === undefined || last === undefined
      ? Number.NaN
      : last.connections > first.connections
        ? megabytesPerThousand(first.rss, last.rss, last.connections - first.connections)
        : megabytesPerThousand(base, last.rss, last.connections)
  const fromNone = last === undefined ? Number.NaN : megabytesPerThousand(base, last.rss, last.connections)
  const onlineExtra =
    last === undefined || allOnline === undefined
      ? Number.NaN
      : megabytesPerThousand(last.rss, allOnline.rss, allOnline.connections)
  return { connected, fromNone, onlineExtra, online: connected + onlineExtra }
}

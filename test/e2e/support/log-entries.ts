/** A server's output as log entries: each starts with "[time] LEVEL", its annotations follow on indented lines. */
export const logEntries = (output: string): Array<string> => output.split(/\n(?=\S)/)

/** A warning, an error or a fatal entry. */
export const isTrouble = (entry: string): boolean => /^\[[^\]]*\] (WARN|ERROR|FATAL)/.test(entry)

/**
 * Every runner's log entries that name one of `ids` (the last `keep`), each marked with its runner's index and cut to
 * 1,500 characters: enough for an error's cause under its first stack lines.
 */
export const entriesNaming = (
  runners: ReadonlyArray<{ readonly output: () => string }>,
  ids: ReadonlyArray<string>,
  keep = 40,
): Array<string> =>
  runners.flatMap((r, i) =>
    logEntries(r.output())
      .filter((entry) => ids.some((id) => entry.includes(id)))
      .slice(-keep)
      .map((entry) => `runner ${i}: ${entry.slice(0, 1_500)}`),
  )

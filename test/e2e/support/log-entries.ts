/** A server's output as log entries: each starts with "[time] LEVEL", its annotations follow on indented lines. */
export const logEntries = (output: string): Array<string> => output.split(/\n(?=\S)/)

/** A warning, an error or a fatal entry. */
export const isTrouble = (entry: string): boolean => /^\[[^\]]*\] (WARN|ERROR|FATAL)/.test(entry)

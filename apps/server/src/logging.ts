import { Config, ConfigError, Either, FiberRef, HashSet, Layer, Logger, LogLevel } from "effect"

const levels = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  none: LogLevel.None,
} as const
export type LogLevelName = keyof typeof levels

const formats = ["pretty", "logfmt", "json"] as const
/** pretty: several lines a record, for a terminal; logfmt and json: one line a record, for a log collector. */
export type LogFormat = (typeof formats)[number]

export interface LogSettings {
  readonly level: LogLevelName
  readonly format: LogFormat
}

const oneOf = <A extends string>(name: string, allowed: ReadonlyArray<A>, fallback: A): Config.Config<A> =>
  Config.string(name).pipe(
    Config.withDefault(fallback),
    Config.mapOrFail((raw) => {
      const value = raw.trim().toLowerCase()
      const found = allowed.find((a) => a === value)
      return found !== undefined
        ? Either.right(found)
        : Either.left(ConfigError.InvalidData([name], `"${raw}" is not one of ${allowed.join(", ")}`))
    }),
  )

/**
 * `LOG_LEVEL` (default info; warning hides the access log of every HTTP request) and `LOG_FORMAT` (default pretty).
 */
export const LogConfig: Config.Config<LogSettings> = Config.all({
  level: oneOf("LOG_LEVEL", Object.keys(levels) as Array<LogLevelName>, "info"),
  format: oneOf("LOG_FORMAT", formats, "pretty"),
})

const loggers: Record<LogFormat, Logger.Logger<unknown, void>> = {
  pretty: Logger.prettyLoggerDefault,
  logfmt: Logger.withConsoleLog(Logger.logfmtLogger),
  json: Logger.withConsoleLog(Logger.jsonLogger),
}

/**
 * The process's logger in the chosen format, and the least level it writes. It takes the place of Effect's default
 * logger and of the pretty one `NodeRuntime.runMain` puts there, which still reports a failed start.
 */
export const loggingLayer = (settings: LogSettings): Layer.Layer<never> =>
  Layer.merge(
    Layer.fiberRefLocallyScopedWith(FiberRef.currentLoggers, (current) =>
      current.pipe(
        HashSet.remove(Logger.defaultLogger),
        HashSet.remove(Logger.prettyLoggerDefault),
        HashSet.add(loggers[settings.format]),
      ),
    ),
    Logger.minimumLogLevel(levels[settings.level]),
  )

/** The logging of `LOG_LEVEL` and `LOG_FORMAT`; an invalid value fails the start with the variable and the value. */
export const LoggingLive: Layer.Layer<never, ConfigError.ConfigError> = Layer.unwrapEffect(
  Config.map(LogConfig, loggingLayer),
)

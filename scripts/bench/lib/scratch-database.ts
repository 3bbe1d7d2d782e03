import { redactUrl } from "@ringmaster/store"
import { testDatabaseUrl } from "@ringmaster/testkit"
import { ConfigProvider, Effect } from "effect"

/** Where a bench creates its scratch database when `DATABASE_URL` is unset: the local server of this machine. */
export const defaultPostgresServerUrl = "postgres://postgres@127.0.0.1:5432/postgres"

/** The PostgreSQL server to create scratch databases on: `DATABASE_URL` when set and not blank, else the default. */
export const postgresServerUrl = (env: Readonly<Record<string, string | undefined>>): string => {
  const given = env["DATABASE_URL"]?.trim()
  return given === undefined || given === "" ? defaultPostgresServerUrl : given
}

/**
 * A fresh, empty database on `serverUrl`, dropped (WITH FORCE) when the scope closes, whether the bench
 * succeeded, failed or was interrupted.
 */
export const scratchDatabase = (serverUrl: string) =>
  Effect.acquireRelease(
    testDatabaseUrl().pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["DATABASE_URL", serverUrl]]))),
      Effect.tap((scratch) => Effect.logDebug(`scratch database ${redactUrl(scratch.url)}`)),
    ),
    (scratch) => scratch.drop,
  ).pipe(Effect.map((scratch) => new URL(scratch.url)))

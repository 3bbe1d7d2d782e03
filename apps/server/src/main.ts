import { HttpApiSwagger, HttpLayerRouter } from "@effect/platform"
import { NodeContext, NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { type Carrier, SimulatedCarrier } from "@ringmaster/carrier"
import { TelnyxCarrier } from "@ringmaster/carrier-telnyx"
import { RingmasterApi } from "@ringmaster/protocol"
import {
  AgentPush,
  AgentPushPostgres,
  ExternalDnc,
  multiRunnerCluster,
  RunnerPeers,
  RuntimeWith,
  singleRunnerCluster,
  TenantConfigs,
  TenantConfigsPostgres,
} from "@ringmaster/runtime"
import { Database, DatabaseConfig, Migrator } from "@ringmaster/store"
import { Console, Effect, Layer, Option, Redacted } from "effect"
import { createServer } from "node:http"
import { AgentGatewayLive } from "./agent-gateway.js"
import { CarrierConfig, ServerConfig } from "./config.js"
import { DatabaseWatch } from "./database-watch.js"
import { AgentsHandlers } from "./http/agents-handlers.js"
import { AuthHandlers } from "./http/auth-handlers.js"
import { AuthenticationLive } from "./http/authentication.js"
import { CampaignsHandlers } from "./http/campaigns-handlers.js"
import { CallbacksHandlers } from "./http/callbacks-handlers.js"
import { ComplianceHandlers } from "./http/compliance-handlers.js"
import { ConfigHandlers } from "./http/config-handlers.js"
import { consoleStaticRoutes } from "./http/console-static.js"
import { DecodeErrorMessageLive } from "./http/decode-error-message.js"
import { HealthHandlers, RuntimeInfo } from "./http/health-handlers.js"
import { IndexRoute } from "./http/index-page.js"
import { LeadsHandlers } from "./http/leads-handlers.js"
import { LoggingLive } from "./logging.js"
import { ReportsHandlers } from "./http/reports-handlers.js"
import { StatsHandlers } from "./http/stats-handlers.js"
import { TenantsHandlers } from "./http/tenants-handlers.js"
import { UnreadableBodyLive } from "./http/unreadable-body.js"
import { UsersHandlers } from "./http/users-handlers.js"
import { startUp } from "./startup.js"
import { StatsSamplerLive } from "./stats-sampler.js"
import { telnyxWebhookRoute } from "./webhook-ingress.js"

const ServerLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const config = yield* ServerConfig
    const carrier = yield* CarrierConfig
    const database = yield* DatabaseConfig
    const embedded = Option.isNone(database.url)
    const CarrierLive: Layer.Layer<Carrier> =
      carrier._tag === "telnyx"
        ? TelnyxCarrier.layer({
            apiKey: Redacted.make(carrier.apiKey),
            connectionId: carrier.connectionId,
            ...(carrier.baseUrl === undefined ? {} : { baseUrl: carrier.baseUrl }),
          })
        : SimulatedCarrier.layer({ idPrefix: `sim-${Date.now().toString(36)}` })
    const demo = Option.getOrElse(config.demo, () => embedded)
    // One process: consoles are all here. Many runners: a console may be open on another runner, and a runner cut
    // off from the database leaves, so that the others take its consoles and entities.
    const clusterAndPush = Option.match(database.url, {
      onNone: () => AgentPush.layerLocal.pipe(Layer.provideMerge(singleRunnerCluster)),
      onSome: (url) =>
        Layer.merge(
          AgentPushPostgres,
          DatabaseWatch({
            leave: (reason) =>
              Effect.logError(`leaving: ${reason}; its consoles and entities move to the other runners`).pipe(
                // Exit at once: a graceful stop would wait on a database it cannot reach.
                Effect.zipRight(Effect.sync(() => process.exit(1))),
              ),
          }).pipe(Layer.provide(Database.layerPostgres({ url, maxConnections: 1 }))),
        ).pipe(
          Layer.provide(RunnerPeers.layer),
          Layer.provideMerge(
            multiRunnerCluster({
              host: config.runnerHost,
              port: config.runnerPort,
              listenHost: config.runnerListenHost,
            }),
          ),
        ),
    })
    const info = Layer.succeed(RuntimeInfo, {
      clusterMode: embedded ? "single" : "multi",
      carrier: carrier._tag,
      runner: embedded ? "single runner, SQL message storage" : `runner ${config.runnerHost}:${config.runnerPort}`,
    })

    const ApiRoutes = HttpLayerRouter.addHttpApi(RingmasterApi, { openapiPath: "/openapi.json" }).pipe(
      Layer.provide([
        Layer.provide(HealthHandlers, info),
        LeadsHandlers,
        CampaignsHandlers,
        AgentsHandlers,
        ConfigHandlers,
        ComplianceHandlers,
        AuthHandlers,
        UsersHandlers,
        TenantsHandlers,
        ReportsHandlers,
        StatsHandlers,
        CallbacksHandlers,
      ]),
      Layer.provide(AuthenticationLive),
    )
    const DocsRoute = HttpApiSwagger.layerHttpLayerRouter({ api: RingmasterApi, path: "/docs" })
    const Routes = Layer.mergeAll(
      ApiRoutes,
      DocsRoute,
      IndexRoute,
      consoleStaticRoutes(),
      AgentGatewayLive(config.presenceGraceSeconds),
      telnyxWebhookRoute(carrier._tag === "telnyx" ? carrier.publicKey : null),
      UnreadableBodyLive,
      DecodeErrorMessageLive,
    )

    const Banner = Layer.scopedDiscard(
      Effect.gen(function* () {
        const seeded = yield* startUp({ demo, demoLeads: config.demoLeads })
        const url = `http://localhost:${config.httpPort}`
        yield* Console.log(`Ringmaster is up at ${url}  (API docs: ${url}/docs, health: ${url}/health)`)
        yield* Console.log(`database: ${embedded ? "embedded PGlite" : "PostgreSQL"}; carrier: ${carrier._tag}`)
        if (seeded !== null) {
          yield* Console.log(`demo tenant "${seeded.tenantId}", campaign ${seeded.campaignId}`)
          yield* Console.log(`  log in at ${url} with tenant "${seeded.tenantId}", or use a token:`)
          for (const u of [seeded.admin, seeded.supervisor, seeded.manager, seeded.analyst, ...seeded.agents]) {
            const login = u.password === null ? "" : `  username ${u.username}  password ${u.password} `
            yield* Console.log(`  ${u.role.padEnd(10)}  ${u.name.padEnd(18)}${login} token ${u.token}`)
          }
          yield* Console.log(
            `  try: curl -H 'authorization: Bearer ${seeded.supervisor.token}' -H 'content-type: application/json' ` +
              `-d '{"name":"Jane Roe","phone":"(415) 555-2671","leadTypeId":"${seeded.leadTypes.injury}","campaignId":"${seeded.campaignId}"}' ${url}/leads`,
          )
        }
      }),
    )

    const externalDnc = Option.match(config.externalDncUrl, {
      onNone: () => ExternalDnc.layerNone,
      onSome: (url) =>
        ExternalDnc.layerHttp({
          url,
          apiKey: Option.getOrUndefined(config.externalDncApiKey),
          timeout: "2 seconds",
        }).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    })
    // One process: configuration changes are all made here. Many runners: other runners are told of each change.
    const AppServices = RuntimeWith(externalDnc, embedded ? TenantConfigs.layer : TenantConfigsPostgres).pipe(
      Layer.provideMerge(CarrierLive),
      Layer.provideMerge(clusterAndPush),
      Layer.provideMerge(Migrator.layer),
      Layer.provideMerge(Database.layer),
      Layer.provideMerge(NodeContext.layer),
    )
    // The port opens only once the runtime is up and the start-up work is done: a request that arrived earlier
    // would wait for a router that is not there yet.
    const Http = NodeHttpServer.layer(createServer, { port: config.httpPort }).pipe(
      Layer.provide(Banner.pipe(Layer.provide(AppServices))),
    )
    return HttpLayerRouter.serve(Routes).pipe(
      Layer.provide(Http),
      Layer.merge(StatsSamplerLive),
      Layer.provide(AppServices),
    )
  }),
)

// Nothing reads spans in production, and making one per statement and message costs about 15% of the CPU of a lead.
Layer.launch(ServerLive).pipe(Effect.provide(LoggingLive), Effect.withTracerEnabled(false), NodeRuntime.runMain)

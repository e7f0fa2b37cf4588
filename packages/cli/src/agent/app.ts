/**
 * The agent apart from the process: `buildAgent(options)` loads the configuration, opens a token
 * manager per client and returns the local service, not yet listening. main.ts adds signals.
 */
import { createServer } from 'node:http'
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https'
import type { FetchLike, TokenStore } from '@keyshift/client'
import { parseConfig, readConfigText } from './config/load.ts'
import type { AgentConfig, Env } from './config/types.ts'
import { type ConfigWatcher, watchConfigFile } from './config/watch.ts'
import type { ReloadStatus, ServiceDeps } from './http/context.ts'
import { createRequestHandler } from './http/router.ts'
import { type BoundAddress, listenOn, type Server, stopServer } from './http/server.ts'
import { createReloader, type Reloader } from './reload.ts'
import { type AgentState, buildState } from './state.ts'
import type { AgentLogger } from './telemetry/logger.ts'
import { createAgentMetrics } from './telemetry/metrics.ts'
import { closeClientTokens, planClients, pokeClientsWithoutToken, type TokenPoolDeps } from './tokens/pool.ts'
import { DEFAULT_REPLAY_LIMIT } from './upstream/body.ts'
import { createNetworkPool, type NetworkPool } from './upstream/networks.ts'
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from './upstream/request.ts'
import { createUsageTracker, type UsageTracker, type WallClock } from './usage/tracker.ts'

export interface AgentOptions {
  configPath: string
  /** Where `${NAME}` references are looked up (main passes process.env). */
  env: Env
  logger: AgentLogger
  /** For the token managers; default the global fetch. */
  fetch?: FetchLike
  /** Monotonic ms; default `performance.now`. */
  now?: () => number
  /** Wall-clock ms for usage hours and call times (not monotonic); default `Date.now`. */
  clock?: WallClock
  /** How often usage counts are written to `<state_dir>/usage.sqlite`; default 5000 ms. */
  usageFlushMs?: number
  /** Watch the file for changes (default) or not; tests shorten the intervals. */
  watch?: false | { debounceMs?: number; pollMs?: number }
  /** Request bodies up to this many bytes are replayed once after a 401; default 1 MiB. */
  replayLimit?: number
  upstreamTimeoutMs?: number
  /** Passed to each token manager (Coupa advises 5000 ms; default 0). */
  firstUseDelay?: number
  /** How often clients without a usable token ask again (within their backoff); default 5000 ms. */
  retryIntervalMs?: number
  /** Milliseconds `close()` waits for requests in flight before cutting them; default 10 000. */
  closeGraceMs?: number
}

export interface Agent {
  /** The running configuration (the latest one that loaded). */
  config(): AgentConfig
  server: Server
  /** Starts listening on the configured address; resolves with the actual one. */
  listen(): Promise<BoundAddress>
  /** Re-reads the file; `force` reloads even if its content did not change. True if swapped. */
  reload(reason: string, force?: boolean): Promise<boolean>
  close(): Promise<void>
}

function serviceDeps(
  options: AgentOptions,
  now: () => number,
  status: ReloadStatus,
  usage: UsageTracker,
  networks: NetworkPool,
): ServiceDeps {
  return {
    metrics: createAgentMetrics(),
    logger: options.logger,
    now,
    networks,
    replayLimit: options.replayLimit ?? DEFAULT_REPLAY_LIMIT,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
    reloadStatus: () => status,
    usage,
  }
}

function poolDepsOf(options: AgentOptions, now: () => number, networks: NetworkPool): TokenPoolDeps {
  const deps: TokenPoolDeps = { logger: options.logger, now, networks, stores: new Map<string, TokenStore>() }
  if (options.fetch !== undefined) deps.fetch = options.fetch
  if (options.firstUseDelay !== undefined) deps.firstUseDelay = options.firstUseDelay
  return deps
}

/**
 * Reads the configuration and prepares the agent: token managers opened (and asked for a token),
 * the file watched, the server created but not listening.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE, KS_AGENT_CONFIG_INVALID, or
 *   KS_AGENT_USAGE_UNAVAILABLE when usage is on and `<state_dir>/usage.sqlite` cannot be opened.
 */
export async function buildAgent(options: AgentOptions): Promise<Agent> {
  const { logger, configPath } = options
  const now = options.now ?? (() => performance.now())
  const text = await readConfigText(configPath)
  const config = parseConfig(text, configPath, options.env)
  const usage = createUsageTracker({
    config,
    clock: options.clock ?? { now: Date.now },
    logger,
    ...(options.usageFlushMs === undefined ? {} : { flushIntervalMs: options.usageFlushMs }),
  })
  const networks = createNetworkPool()
  const poolDeps = poolDepsOf(options, now, networks)
  let state: AgentState = buildState(config, planClients(config, new Map(), poolDeps).clients)
  const status: ReloadStatus = { loadedAt: new Date().toISOString(), lastError: undefined }
  const deps = serviceDeps(options, now, status, usage, networks)
  const handler = createRequestHandler(() => state, deps)
  const { tls } = config
  // With allow_remote, tokens and local secrets leave the machine: TLS is then required (resolve.ts).
  const server: Server =
    tls === undefined
      ? createServer({ requestTimeout: 0 }, handler)
      : createHttpsServer({ requestTimeout: 0, cert: tls.cert, key: tls.key }, handler)
  const reloader: Reloader = createReloader({
    configPath,
    env: options.env,
    logger,
    metrics: deps.metrics,
    poolDeps,
    status,
    initialText: text,
    getState: () => state,
    onTlsReloaded: (next) => {
      // New connections get the renewed certificate; open ones keep theirs: no request is dropped.
      if (server instanceof HttpsServer) server.setSecureContext({ cert: next.cert, key: next.key })
    },
    setState: (next) => {
      state = next
      usage.configure(next.config)
    },
    onDrained: (live) =>
      networks.retain(live.flatMap((config) => [...config.instances.values()].map((i) => i.network))),
  })
  const retryMs = options.retryIntervalMs ?? 5000
  const retry = setInterval(() => pokeClientsWithoutToken(state.clients.values(), now()), retryMs)
  retry.unref()
  const watcher: ConfigWatcher | undefined =
    options.watch === false
      ? undefined
      : watchConfigFile(configPath, () => void reloader.reload('file changed', false), {
          ...options.watch,
          logger,
        })

  async function close(): Promise<void> {
    watcher?.close()
    clearInterval(retry)
    await stopServer(server, options.closeGraceMs ?? 10_000)
    await reloader.drained()
    await Promise.all([...state.clients.values()].map(closeClientTokens))
    await networks.close()
    usage.close() // after the server: every request's count is in
  }

  return {
    config: () => state.config,
    server,
    listen: () => listenOn(server, config.listen),
    reload: (reason, force = true) => reloader.reload(reason, force),
    close,
  }
}

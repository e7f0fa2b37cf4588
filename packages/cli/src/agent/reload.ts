/**
 * Reloading the configuration: re-read, check, and swap the snapshot in one assignment. A bad file
 * changes nothing (the error is logged and shown on /healthz). Requests in flight finish with the
 * snapshot they started with; token managers the new snapshot no longer needs are closed once
 * every older snapshot has drained. Reloads run one at a time.
 */
import { createHash } from 'node:crypto'
import { parseConfig, readConfigText } from './config/load.ts'
import type { AgentConfig, Env, TlsFiles } from './config/types.ts'
import { AgentError } from './errors.ts'
import type { ReloadStatus } from './http/context.ts'
import { type AgentState, buildState, whenIdle } from './state.ts'
import type { AgentLogger } from './telemetry/logger.ts'
import type { AgentMetrics } from './telemetry/metrics.ts'
import { type ClientTokens, closeClientTokens, planClients, type TokenPoolDeps } from './tokens/pool.ts'

export interface ReloaderOptions {
  configPath: string
  env: Env
  logger: AgentLogger
  metrics: AgentMetrics
  poolDeps: TokenPoolDeps
  status: ReloadStatus
  /** The text the running configuration was read from: a reload of the same text is skipped. */
  initialText: string
  getState(): AgentState
  setState(next: AgentState): void
  /** The listener's certificate and key as just re-read (SIGHUP picks up renewed files). */
  onTlsReloaded(tls: TlsFiles): void
  /**
   * Called once the snapshots a reload replaced have drained, with the configurations still in
   * use (the current one and any still draining): connections of other settings can be closed.
   */
  onDrained(live: AgentConfig[]): Promise<void>
}

export interface Reloader {
  /** Resolves true when a new configuration is in use; never rejects. */
  reload(reason: string, force: boolean): Promise<boolean>
  /** Resolves when every retired token manager has been closed. */
  drained(): Promise<void>
}

function ignore(): void {}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Settings that need a restart: the socket is bound once, as HTTP or as HTTPS. */
function warnFixedSettings(before: AgentConfig, after: AgentConfig, logger: AgentLogger): void {
  const old = `${before.listen.host}:${before.listen.port}`
  const next = `${after.listen.host}:${after.listen.port}`
  const tlsChanged = (before.tls === undefined) !== (after.tls === undefined)
  if (old !== next || before.allowRemote !== after.allowRemote || tlsChanged) {
    logger.warn(
      { listen: old, configured: next },
      'listen, allow_remote and tls on/off apply at the next restart',
    )
  }
}

/** A one-line summary of what a reload changed, for the log: `invoice-export: api_key → oauth`. */
function describeChanges(before: AgentState, after: AgentState): string[] {
  const changes: string[] = []
  for (const [name, route] of after.integrations) {
    const old = before.integrations.get(name)
    if (old === undefined) changes.push(`${name}: added (${route.auth})`)
    else if (old.auth !== route.auth) changes.push(`${name}: ${old.auth} → ${route.auth}`)
  }
  for (const name of before.integrations.keys()) {
    if (!after.integrations.has(name)) changes.push(`${name}: removed`)
  }
  return changes
}

export function createReloader(options: ReloaderOptions): Reloader {
  const { logger, metrics, status } = options
  const draining = new Set<AgentState>()
  const closing = new Set<Promise<void>>()
  let hash = sha256(options.initialText)
  let queue: Promise<unknown> = Promise.resolve()

  function untilDrained(state: AgentState): Promise<void> {
    return new Promise((resolve) => whenIdle(state, resolve))
  }

  /** Closes `retired` once the previous snapshot and every older one still draining are idle. */
  function retire(previous: AgentState, retired: ClientTokens[]): void {
    draining.add(previous)
    untilDrained(previous).then(() => draining.delete(previous), ignore)
    const done = Promise.all([...draining].map(untilDrained))
      .then(() => Promise.all(retired.map(closeClientTokens)))
      .then(() => options.onDrained([options.getState().config, ...[...draining].map((s) => s.config)]))
      .then(ignore, (error: unknown) => logger.warn({ error }, 'cannot close a retired token manager'))
    closing.add(done)
    done.finally(() => closing.delete(done))
  }

  function swap(config: AgentConfig, text: string, reason: string): void {
    const previous = options.getState()
    const plan = planClients(config, previous.clients, options.poolDeps)
    const next = buildState(config, plan.clients)
    warnFixedSettings(previous.config, config, logger)
    options.setState(next)
    if (previous.config.tls !== undefined && config.tls !== undefined) options.onTlsReloaded(config.tls)
    hash = sha256(text)
    retire(previous, plan.retired)
    status.loadedAt = new Date().toISOString()
    status.lastError = undefined
    metrics.reloads.inc({ result: 'success' })
    const changes = describeChanges(previous, next)
    const clients = { created: plan.created.length, closed: plan.retired.length }
    logger.info({ reason, changes, clients }, 'configuration reloaded')
  }

  function refuse(error: unknown, reason: string): void {
    const agentError =
      error instanceof AgentError
        ? error
        : new AgentError('KS_AGENT_CONFIG_INVALID', String(error), { cause: error })
    status.lastError = {
      at: new Date().toISOString(),
      message: agentError.message,
      details: agentError.details,
    }
    metrics.reloads.inc({ result: 'failure' })
    logger.error(
      { reason, code: agentError.agentCode, problems: agentError.details },
      `${agentError.message}; keeping the running configuration`,
    )
  }

  async function reloadOnce(reason: string, force: boolean): Promise<boolean> {
    try {
      const text = await readConfigText(options.configPath)
      if (!force && sha256(text) === hash) return false
      swap(parseConfig(text, options.configPath, options.env), text, reason)
      return true
    } catch (error) {
      refuse(error, reason)
      return false
    }
  }

  return {
    reload(reason, force) {
      const run = queue.then(() => reloadOnce(reason, force))
      queue = run.catch(ignore)
      return run
    },
    async drained() {
      await queue
      await Promise.all([...closing])
    },
  }
}

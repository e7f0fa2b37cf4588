/**
 * `runAgent(options)`: the agent as a process. Builds it, listens, reloads on SIGHUP, stops on
 * SIGINT or SIGTERM. The environment and the signals are passed in by the command.
 */
import type { FetchLike } from '@keyshift/client'
import { type Agent, buildAgent } from './app.ts'
import { listenUrl } from './config/address.ts'
import { loadConfig } from './config/load.ts'
import { proxyText } from './config/network.ts'
import type { AgentConfig, Env } from './config/types.ts'
import { type ConnectOptions, diagnoseInstance, reportText } from './diagnose/connect.ts'
import { AgentError } from './errors.ts'
import { createLogger, type LogLevel } from './telemetry/logger.ts'

/** What the agent listens to: `process` in the CLI, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: 'SIGHUP' | 'SIGINT' | 'SIGTERM', listener: () => void): unknown
  off(signal: 'SIGHUP' | 'SIGINT' | 'SIGTERM', listener: () => void): unknown
}

export interface RunAgentOptions {
  configPath: string
  env: Env
  /** Log lines (JSON) go here; the CLI passes stderr. */
  log(line: string): void
  /** Output of `--check` goes here; the CLI passes stdout. */
  print(text: string): void
  logLevel?: LogLevel
  fetch?: FetchLike
  signals: SignalSource
  /** Check the configuration, print a summary and return without starting. */
  check?: boolean
  /** With `check`: also try each instance's token endpoint through its proxy and CAs. */
  connect?: boolean
  json?: boolean
  /** Called once listening (tests use it to learn the port). */
  onListening?(agent: Agent, url: string): void
}

/** A summary of a configuration without any secret: what `--check` prints. */
export function configSummary(config: AgentConfig): object {
  const instances: Record<string, { url: string; clients: string[]; proxy: string; ca_file?: string }> = {}
  for (const instance of config.instances.values()) {
    instances[instance.name] = {
      url: instance.url.origin + instance.url.pathname,
      clients: [...instance.clients.keys()],
      proxy: proxyText(instance.proxy),
      ...(instance.caFile === undefined ? {} : { ca_file: instance.caFile }),
    }
  }
  const integrations: Record<string, { instance: string; auth: string; client?: string }> = {}
  for (const integration of config.integrations.values()) {
    integrations[integration.name] = {
      instance: integration.instance,
      auth: integration.auth,
      ...(integration.client === undefined ? {} : { client: integration.client }),
    }
  }
  return {
    listen: listenUrl(config.listen, config.tls !== undefined),
    state_dir: config.stateDir,
    env_file: config.envFile ?? null,
    instances,
    integrations,
  }
}

function summaryText(config: AgentConfig): string {
  const lines = [
    `configuration ${config.path} is valid`,
    `listen     ${listenUrl(config.listen, config.tls !== undefined)}`,
  ]
  if (config.envFile !== undefined) lines.push(`env_file   ${config.envFile}`)
  for (const instance of config.instances.values()) {
    const ca = instance.caFile === undefined ? '' : `  ca_file: ${instance.caFile}`
    lines.push(
      `instance   ${instance.name}  ${instance.url.origin}  clients: ${[...instance.clients.keys()].join(', ')}  proxy: ${proxyText(instance.proxy)}${ca}`,
    )
  }
  for (const integration of config.integrations.values()) {
    const via = integration.auth === 'oauth' ? `oauth (client ${integration.client})` : 'api_key'
    lines.push(`integration ${integration.name} → ${integration.instance}  ${via}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * `--check --connect`: the summary, then each instance's way to its token endpoint.
 *
 * @throws {AgentError} KS_AGENT_CONNECT_FAILED when an instance cannot get a token.
 */
async function checkConnections(config: AgentConfig, options: RunAgentOptions): Promise<void> {
  const connectOptions: ConnectOptions = {
    now: () => new Date(),
    timeoutMs: 15_000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  }
  const reports = await Promise.all(
    [...config.instances.values()].map((i) => diagnoseInstance(i, connectOptions)),
  )
  if (options.json === true) {
    options.print(`${JSON.stringify({ ...configSummary(config), connect: reports }, null, 2)}\n`)
  } else options.print(`${summaryText(config)}\n${reportText(reports)}`)
  const failed = reports.filter((report) => !report.ok).map((report) => report.instance)
  if (failed.length > 0) {
    const message = `${failed.length} of ${reports.length} instances cannot get a token: ${failed.join(', ')}`
    throw new AgentError('KS_AGENT_CONNECT_FAILED', message)
  }
}

/** Resolves when `signals` says to stop. SIGHUP reloads in the meantime. */
function untilStopped(agent: Agent, signals: SignalSource): Promise<void> {
  return new Promise<void>(function waitForSignals(resolve) {
    function onHangup(): void {
      void agent.reload('SIGHUP', true)
    }
    function onStop(): void {
      signals.off('SIGHUP', onHangup)
      signals.off('SIGINT', onStop)
      signals.off('SIGTERM', onStop)
      resolve()
    }
    signals.on('SIGHUP', onHangup)
    signals.on('SIGINT', onStop)
    signals.on('SIGTERM', onStop)
  })
}

/**
 * Runs `keyshift agent` until SIGINT or SIGTERM.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE, KS_AGENT_CONFIG_INVALID, KS_AGENT_LISTEN_FAILED.
 */
export async function runAgent(options: RunAgentOptions): Promise<void> {
  if (options.check === true) {
    const config = await loadConfig(options.configPath, options.env)
    if (options.connect === true) {
      await checkConnections(config, options)
      return
    }
    options.print(
      options.json === true ? `${JSON.stringify(configSummary(config), null, 2)}\n` : summaryText(config),
    )
    return
  }
  const logger = createLogger({ write: options.log, level: options.logLevel ?? 'info' })
  const agent = await buildAgent({
    configPath: options.configPath,
    env: options.env,
    logger,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })
  try {
    const address = await agent.listen()
    logger.info({ url: address.url, ...configSummary(agent.config()) }, 'keyshift agent listening')
    options.onListening?.(agent, address.url)
    await untilStopped(agent, options.signals)
    logger.info({}, 'keyshift agent stopping')
  } finally {
    await agent.close()
  }
}

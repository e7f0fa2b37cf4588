/**
 * The instances of `--config keyshift.yaml` that the transition follows from the agent's usage
 * (kind `coupa`), and how their usage is read: from the running agent (`GET /v1/usage`, exact), or,
 * when it does not answer, from its state_dir (up to the last flush). Nothing here resolves a
 * secret: the transition of a Coupa instance needs none.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { listenAddress, listenUrl } from '../../agent/config/address.ts'
import { invalid, parseRawConfig } from '../../agent/config/load.ts'
import { instanceKind, type RawConfig } from '../../agent/config/schema.ts'
import type { Problem } from '../../agent/config/types.ts'
import type { UsageReport } from '../../agent/usage/report.ts'
import { readUsageReport } from '../../agent/usage/store.ts'
import type { Context } from '../../command.ts'
import { CliError } from '../../errors.ts'
import { missingConfigHint } from '../agent-config.ts'
import type { ConfiguredClient, ConfiguredIntegration, ObservedInstance } from './reports.ts'

/** The agent configuration as the transition reads it. */
export interface TransitionConfig {
  path: string
  raw: RawConfig
}

/**
 * @throws {CliError} KS_AGENT_CONFIG_UNREADABLE, saying to run `keyshift init` when the file is not
 *   there; KS_AGENT_CONFIG_INVALID.
 */
export async function readTransitionConfig(path: string): Promise<TransitionConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw missingConfigHint(path, error)
  }
  return { path, raw: parseRawConfig(text, path) }
}

/** The names of the configuration's instances of kind `coupa`, in the order of the file. */
export function coupaInstances(config: TransitionConfig): string[] {
  return Object.entries(config.raw.instances)
    .filter(([, instance]) => instanceKind(instance) === 'coupa')
    .map(([name]) => name)
}

function agentUsageUrl(config: TransitionConfig): URL {
  const problems: Problem[] = []
  const listen = listenAddress(config.raw.listen, config.raw.allow_remote, problems)
  if (listen === undefined) throw invalid(config.path, problems)
  // An agent listening on every address is reached on this machine's loopback.
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host === '::' ? '::1' : listen.host
  return new URL('/v1/usage', listenUrl({ host, port: listen.port }, config.raw.tls !== undefined))
}

function stateDirOf(config: TransitionConfig): string {
  const dir = config.raw.state_dir
  return isAbsolute(dir) ? dir : resolve(config.path, '..', dir)
}

/**
 * True when no answer came (the agent is not listening, or its TLS certificate is not one this
 * process trusts), as opposed to an agent that answered with an error: fetch fails with a TypeError.
 */
function noAnswer(error: unknown): boolean {
  return error instanceof TypeError
}

/**
 * The agent's usage report: from the agent when it answers, else from its state_dir.
 *
 * @throws {CliError} KS_TRANSITION_USAGE_UNAVAILABLE when the agent answers with an error.
 */
export async function readUsage(
  context: Context,
  config: TransitionConfig,
): Promise<{ report: UsageReport; source: ObservedInstance['source'] }> {
  const url = agentUsageUrl(config)
  let answer: Response
  try {
    answer = await context.fetch(url, { headers: { accept: 'application/json' } })
  } catch (error) {
    if (!noAnswer(error)) throw unavailable(`cannot reach the agent at ${url.origin}`, error)
    const now = context.now().getTime()
    const report = readUsageReport(stateDirOf(config), {
      now,
      retentionDays: config.raw.usage.retention_days,
    })
    return { report, source: 'state_dir' }
  }
  if (!answer.ok) {
    const text = (await answer.text()).slice(0, 300)
    throw unavailable(`the agent at ${url.origin} answered ${answer.status} to GET /v1/usage: ${text}`)
  }
  return { report: (await answer.json()) as UsageReport, source: 'agent' }
}

function unavailable(message: string, cause?: unknown): CliError {
  return new CliError('KS_TRANSITION_USAGE_UNAVAILABLE', message, {
    cause,
    hint: 'start the agent (`keyshift agent --config keyshift.yaml`), or check its usage settings (AGENT.md, "Usage")',
  })
}

function clientsOf(config: TransitionConfig, instance: string): ConfiguredClient[] {
  const clients = config.raw.instances[instance]?.clients ?? {}
  return Object.entries(clients).map(([name, client]) => ({
    name,
    scopes:
      typeof client.scopes === 'string'
        ? client.scopes.split(/\s+/).filter((scope) => scope !== '')
        : (client.scopes ?? []),
  }))
}

function integrationsOf(config: TransitionConfig, instance: string): ConfiguredIntegration[] {
  return Object.entries(config.raw.integrations)
    .filter(([, integration]) => integration.instance === instance)
    .map(([name, integration]) => ({ name, auth: integration.auth, client: integration.client }))
}

/** What the transition of `instance` reads: the agent's report and the configuration's entries. */
export function observedInstance(
  config: TransitionConfig,
  instance: string,
  usage: { report: UsageReport; source: ObservedInstance['source'] },
  now: number,
): ObservedInstance {
  return {
    instance,
    report: usage.report,
    source: usage.source,
    integrations: integrationsOf(config, instance),
    clients: clientsOf(config, instance),
    now,
  }
}

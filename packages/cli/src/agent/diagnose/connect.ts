/**
 * `keyshift agent --check --connect`: for each instance, the way a token request takes, step by
 * step (name lookup, proxy CONNECT, TLS, the token endpoint's answer), so that an administrator
 * tells a network problem from a credential problem. Prints no secret and no token.
 */
import {
  clientCredentialsRequest,
  type FetchLike,
  processClientCredentialsResponse,
  proxyForUrl,
  TokenError,
} from '@keyshift/client'
import { openNetwork } from '../../network/lazy.ts'
import { proxyText } from '../config/network.ts'
import type { ClientConfig, InstanceConfig } from '../config/types.ts'
import { probeConnection, probeDns, probeTls, type StepResult, type Target } from './probe.ts'

export interface ConnectOptions {
  /** Replaces the instance's own connections for the token request (tests). */
  fetch?: FetchLike
  now: () => Date
  timeoutMs: number
}

export interface InstanceReport {
  instance: string
  url: string
  proxy: string
  steps: StepResult[]
  /** All steps passed. */
  ok: boolean
}

function targetOf(url: URL): Target {
  const secure = url.protocol === 'https:'
  return { host: url.hostname, port: url.port === '' ? (secure ? 443 : 80) : Number(url.port), secure }
}

function directReason(instance: InstanceConfig): string {
  if (instance.proxy === 'none') return 'proxy: none'
  if (instance.network.proxy?.https === undefined && instance.network.proxy?.http === undefined) {
    return 'no HTTPS_PROXY or HTTP_PROXY set'
  }
  return 'NO_PROXY lists the instance'
}

/** The token endpoint's answer for one client: a token (not shown), an OAuth error, or no answer. */
async function tokenStep(client: ClientConfig, fetch: FetchLike): Promise<StepResult> {
  const label = `client ${client.name}:`
  try {
    const response = await clientCredentialsRequest({
      tokenUrl: client.tokenUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scope: client.scopes,
      clientAuth: client.auth,
      fetch,
    })
    const status = response.status
    const token = await processClientCredentialsResponse(response, { tokenUrl: client.tokenUrl })
    const lifetime = token.expires_in === undefined ? '' : `, expires_in ${token.expires_in}`
    return {
      step: 'token',
      ok: true,
      text: `${label} HTTP ${status}, a token was issued (not shown)${lifetime}`,
    }
  } catch (error) {
    if (!(error instanceof TokenError)) throw error
    if (error.status === undefined) {
      return { step: 'token', ok: false, text: `${label} no answer (${error.message})` }
    }
    const oauth = error.error === undefined ? '' : ` ${error.error}`
    const what =
      error.status === 401 || error.status === 400 ? ' — the network is fine: check the credentials' : ''
    return { step: 'token', ok: false, text: `${label} HTTP ${error.status}${oauth}${what}` }
  }
}

async function networkSteps(
  instance: InstanceConfig,
  tokenUrl: URL,
  options: ConnectOptions,
): Promise<StepResult[]> {
  const target = targetOf(tokenUrl)
  const proxy =
    instance.network.proxy === undefined ? undefined : proxyForUrl(tokenUrl, instance.network.proxy)
  const steps = [await probeDns(target, proxy)]
  if (!steps[0]?.ok) return steps
  const why = directReason(instance)
  const { result, socket } = await probeConnection(target, proxy, why, instance.network.ca, options.timeoutMs)
  steps.push(result)
  if (socket === undefined) return steps
  if (!target.secure) {
    socket.destroy()
    steps.push({ step: 'tls', ok: true, text: 'not used (plain http to a loopback address)' })
    return steps
  }
  steps.push(await probeTls(target, socket, instance.network.ca, options.now(), options.timeoutMs))
  return steps
}

/** Runs the steps for one instance; a failed step skips the ones after it. */
export async function diagnoseInstance(
  instance: InstanceConfig,
  options: ConnectOptions,
): Promise<InstanceReport> {
  const clients = [...instance.clients.values()]
  const tokenUrl = clients[0]?.tokenUrl ?? instance.url
  const steps = await networkSteps(instance, tokenUrl, options)
  if (steps.every((step) => step.ok)) {
    const network = options.fetch === undefined ? openNetwork(instance.network) : undefined
    try {
      for (const client of clients)
        steps.push(await tokenStep(client, options.fetch ?? (network?.fetch as FetchLike)))
    } finally {
      await network?.close()
    }
    if (clients.length === 0) steps.push({ step: 'token', ok: true, text: 'no client configured: not asked' })
  }
  const proxy = proxyText(instance.proxy)
  return {
    instance: instance.name,
    url: `${instance.url.origin}${instance.url.pathname}`,
    proxy,
    steps,
    ok: steps.every((step) => step.ok),
  }
}

/** The reports as text: one block per instance, one line per step. */
export function reportText(reports: InstanceReport[]): string {
  const lines: string[] = []
  for (const report of reports) {
    lines.push(`instance ${report.instance}  ${report.url}  proxy: ${report.proxy}`)
    for (const step of report.steps) {
      lines.push(`  ${step.step.padEnd(6)}${step.ok ? 'ok    ' : 'FAILED'}  ${step.text}`)
    }
  }
  return `${lines.join('\n')}\n`
}

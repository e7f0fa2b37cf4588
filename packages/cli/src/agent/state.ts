/**
 * One immutable snapshot of what the agent serves: the configuration, its token managers, its
 * routes. A request takes the current snapshot when it arrives and keeps it to the end, so a reload
 * (which swaps the snapshot) never changes a request half-way; managers the new snapshot dropped
 * are closed once the last request of the old one has finished.
 */

import type { NetworkSettings } from '../network/settings.ts'
import type { AgentConfig, IntegrationAuth } from './config/types.ts'
import type { ClientTokens } from './tokens/pool.ts'

export interface IntegrationRoute {
  name: string
  instance: string
  auth: IntegrationAuth
  /** The instance's base URL. */
  baseUrl: URL
  /** How the instance is reached (proxy, CAs). */
  network: NetworkSettings
  /** The client's token manager when `auth` is oauth. */
  tokens: ClientTokens | undefined
  /** The API key when `auth` is api_key. */
  apiKey: string | undefined
  localSecretDigest: Buffer
}

export interface AgentState {
  config: AgentConfig
  clients: ReadonlyMap<string, ClientTokens>
  integrations: ReadonlyMap<string, IntegrationRoute>
  /** Requests that started with this snapshot and have not finished. */
  inflight: number
  /** Called (once each) when `inflight` drops to 0. */
  idle: (() => void)[]
}

/** The routes of `config`, given the token managers of its clients. */
export function buildState(config: AgentConfig, clients: ReadonlyMap<string, ClientTokens>): AgentState {
  const integrations = new Map<string, IntegrationRoute>()
  for (const integration of config.integrations.values()) {
    const instance = config.instances.get(integration.instance)
    if (instance === undefined) continue // the configuration check refuses this
    const tokens =
      integration.auth === 'oauth' ? clients.get(`${instance.name}/${integration.client}`) : undefined
    integrations.set(integration.name, {
      name: integration.name,
      instance: instance.name,
      auth: integration.auth,
      baseUrl: instance.url,
      network: instance.network,
      tokens,
      apiKey: integration.auth === 'api_key' ? integration.apiKey : undefined,
      localSecretDigest: integration.localSecretDigest,
    })
  }
  return { config, clients, integrations, inflight: 0, idle: [] }
}

/** Marks a request as started under `state`. */
export function enterState(state: AgentState): void {
  state.inflight += 1
}

/** Marks a request of `state` as finished. */
export function leaveState(state: AgentState): void {
  state.inflight -= 1
  if (state.inflight > 0) return
  for (const callback of state.idle.splice(0)) callback()
}

/** Runs `callback` once no request of `state` is in flight (at once if none is). */
export function whenIdle(state: AgentState, callback: () => void): void {
  if (state.inflight === 0) callback()
  else state.idle.push(callback)
}

/**
 * The connections of the agent, one set per distinct network settings (proxy and CAs): a `fetch`
 * for the token managers and keep-alive agents for the proxied requests. Instances with the same
 * settings share them; they live as long as the agent.
 */
import type { FetchLike } from '@keyshift/client'
import { openNetwork } from '../../network/lazy.ts'
import { type NetworkSettings, networkSignature } from '../../network/settings.ts'
import { createTunnellingAgents, type UpstreamAgents } from '../../network/tunnel.ts'

export interface Connections {
  fetch: FetchLike
  agents: UpstreamAgents
}

export interface NetworkPool {
  get(settings: NetworkSettings): Connections
  close(): Promise<void>
}

export function createNetworkPool(): NetworkPool {
  const pool = new Map<string, { network: ReturnType<typeof openNetwork>; agents: UpstreamAgents }>()
  return {
    get(settings) {
      const key = networkSignature(settings)
      let entry = pool.get(key)
      if (entry === undefined) {
        entry = { network: openNetwork(settings), agents: createTunnellingAgents(settings) }
        pool.set(key, entry)
      }
      return { fetch: entry.network.fetch, agents: entry.agents }
    },
    async close() {
      const entries = [...pool.values()]
      pool.clear()
      for (const { agents } of entries) {
        agents.http.destroy()
        agents.https.destroy()
      }
      await Promise.all(entries.map(({ network }) => network.close()))
    },
  }
}

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
  /** Closes the connections of every settings not in `keep` (after a reload changed a proxy or CA). */
  retain(keep: Iterable<NetworkSettings>): Promise<void>
  close(): Promise<void>
}

function closeEntry(entry: {
  network: ReturnType<typeof openNetwork>
  agents: UpstreamAgents
}): Promise<void> {
  entry.agents.http.destroy()
  entry.agents.https.destroy()
  return entry.network.close()
}

export function createNetworkPool(): NetworkPool {
  const pool = new Map<string, { network: ReturnType<typeof openNetwork>; agents: UpstreamAgents }>()
  /** Signatures by settings object: a configuration's settings do not change, and get() is on every proxied request. */
  const signatures = new WeakMap<NetworkSettings, string>()
  function signatureOf(settings: NetworkSettings): string {
    let signature = signatures.get(settings)
    if (signature === undefined) {
      signature = networkSignature(settings)
      signatures.set(settings, signature)
    }
    return signature
  }
  return {
    get(settings) {
      const key = signatureOf(settings)
      let entry = pool.get(key)
      if (entry === undefined) {
        entry = { network: openNetwork(settings), agents: createTunnellingAgents(settings) }
        pool.set(key, entry)
      }
      return { fetch: entry.network.fetch, agents: entry.agents }
    },
    async retain(keep) {
      const kept = new Set([...keep].map(signatureOf))
      const dropped = [...pool.entries()].filter(([key]) => !kept.has(key))
      for (const [key] of dropped) pool.delete(key)
      await Promise.all(dropped.map(([, entry]) => closeEntry(entry)))
    },
    async close() {
      const entries = [...pool.values()]
      pool.clear()
      await Promise.all(entries.map(closeEntry))
    },
  }
}

/**
 * The counts of the calls proxied since the last flush, in memory: what the proxy path touches.
 * One `count()` is a classification of the path (string work), a Map increment and, for an API
 * key, one entry in a short list: no I/O, no hashing. `drain()` hands the batch to the store.
 *
 * Bounded: at most MAX_PENDING_HOURS distinct (hour, instance, integration, auth, resource, action)
 * counts (about 200 bytes each), KEY_CALLS_KEPT calls per key and one entry per integration; when
 * the hour counts reach the bound, `full()` says so and the tracker flushes at once.
 */
import { permissionOfRequest } from '@keyshift/server/catalogue'
import type { IntegrationAuth } from '../config/types.ts'
import {
  earliest,
  emptyBatch,
  HOUR_MS,
  type HourCount,
  KEY_CALLS_KEPT,
  type KeyUse,
  mergeTimes,
  type UsageBatch,
} from './batch.ts'

/** Distinct hourly counts held between two flushes before one is forced. */
export const MAX_PENDING_HOURS = 10_000
/** Resource and action names are cut to this length (a path segment is the integration's choice). */
const NAME_LIMIT = 100
/** Paths of key calls are cut to this length. */
const PATH_LIMIT = 512

/** One call, as the proxy saw it once answered. */
export interface ProxiedCall {
  instance: string
  integration: string
  auth: IntegrationAuth
  /** The fingerprint of the API key sent (auth api_key only). */
  keyFingerprint: string | undefined
  method: string
  /** The path sent to the instance, with its query (dropped here). */
  apiPath: string
  /** The answer's status; 0 when no answer was sent (the client went away). */
  status: number
  /** Wall-clock ms. */
  at: number
}

export interface UsageCounter {
  count(call: ProxiedCall): void
  /** True when the hour counts reached MAX_PENDING_HOURS. */
  full(): boolean
  /** The counts so far, without clearing them (for a report). */
  peek(): UsageBatch
  /** The counts so far; the counter starts empty again. */
  drain(): UsageBatch
  /** Puts a batch that could not be written back in front of the current counts. */
  restore(batch: UsageBatch): void
}

function clip(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text
}

function pathOnly(apiPath: string): string {
  const query = apiPath.indexOf('?')
  return clip(query === -1 ? apiPath : apiPath.slice(0, query), PATH_LIMIT)
}

export function createUsageCounter(): UsageCounter {
  let hours = new Map<string, HourCount>()
  let batch = emptyBatch()

  function countHour(call: ProxiedCall): void {
    const hour = call.at - (call.at % HOUR_MS)
    const { resource, action } = permissionOfRequest(call.method, call.apiPath)
    const key = `${hour}\n${call.instance}\n${call.integration}\n${call.auth}\n${resource}\n${action}`
    const entry = hours.get(key)
    if (entry !== undefined) {
      entry.calls += 1
      return
    }
    const { instance, integration, auth } = call
    const count: HourCount = {
      hour,
      instance,
      integration,
      auth,
      resource: clip(resource, NAME_LIMIT),
      action: clip(action, NAME_LIMIT),
      calls: 1,
    }
    hours.set(key, count)
  }

  function countTime(call: ProxiedCall): void {
    let times = batch.times.get(call.integration)
    if (times === undefined) {
      times = { firstKey: undefined, lastKey: undefined, firstOAuth: undefined, lastOAuth: undefined }
      batch.times.set(call.integration, times)
    }
    if (call.auth === 'api_key') {
      times.firstKey ??= call.at
      times.lastKey = call.at
    } else {
      times.firstOAuth ??= call.at
      times.lastOAuth = call.at
    }
  }

  /** Adds `use` to the first and last calls of its key by its integration. */
  function addKeyUse(into: Map<string, KeyUse>, use: KeyUse): void {
    const key = `${use.keyFingerprint}\n${use.integration}`
    const entry = into.get(key)
    if (entry === undefined) into.set(key, { ...use })
    else {
      entry.first = Math.min(entry.first, use.first)
      entry.last = Math.max(entry.last, use.last)
    }
  }

  function keepKeyCall(call: ProxiedCall, fingerprint: string): void {
    const { integration, at } = call
    addKeyUse(batch.keyUses, { keyFingerprint: fingerprint, integration, first: at, last: at })
    let calls = batch.keyCalls.get(fingerprint)
    if (calls === undefined) {
      calls = []
      batch.keyCalls.set(fingerprint, calls)
    }
    if (calls.length >= KEY_CALLS_KEPT) calls.shift()
    calls.push({
      keyFingerprint: fingerprint,
      at: call.at,
      integration: call.integration,
      method: call.method,
      path: pathOnly(call.apiPath),
      status: call.status,
    })
  }

  function snapshot(): UsageBatch {
    return { ...batch, hours: [...hours.values()] }
  }

  return {
    count(call) {
      countHour(call)
      countTime(call)
      batch.firstAt ??= call.at
      if (call.keyFingerprint !== undefined) keepKeyCall(call, call.keyFingerprint)
    },
    full: () => hours.size >= MAX_PENDING_HOURS,
    peek: snapshot,
    drain() {
      const drained = snapshot()
      hours = new Map()
      batch = emptyBatch()
      return drained
    },
    restore(old) {
      const current = snapshot()
      hours = new Map()
      batch = emptyBatch()
      for (const part of [old, current]) {
        for (const count of part.hours) {
          const key = `${count.hour}\n${count.instance}\n${count.integration}\n${count.auth}\n${count.resource}\n${count.action}`
          const entry = hours.get(key)
          if (entry === undefined) hours.set(key, { ...count })
          else entry.calls += count.calls
        }
        for (const [integration, times] of part.times) {
          const into = batch.times.get(integration)
          if (into === undefined) batch.times.set(integration, { ...times })
          else mergeTimes(into, times)
        }
        for (const [fingerprint, calls] of part.keyCalls) {
          const kept = [...(batch.keyCalls.get(fingerprint) ?? []), ...calls]
          batch.keyCalls.set(fingerprint, kept.slice(-KEY_CALLS_KEPT))
        }
        for (const use of part.keyUses.values()) addKeyUse(batch.keyUses, use)
        batch.firstAt = earliest(batch.firstAt, part.firstAt)
      }
    },
  }
}

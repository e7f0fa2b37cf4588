/** A small typed event emitter whose listeners cannot break the code that emits. */
import type { Logger } from './logger.ts'

/** A listener of event `E` of the event map `M`. */
export type Listener<M, E extends keyof M> = (payload: M[E]) => void

/** The emitter: `on`/`off` for users, `emit` for the library. */
export interface Emitter<M> {
  on<E extends keyof M>(event: E, listener: Listener<M, E>): void
  off<E extends keyof M>(event: E, listener: Listener<M, E>): void
  emit<E extends keyof M>(event: E, payload: M[E]): void
}

/**
 * An emitter for the event map `M`. A listener that throws is logged at error and the others
 * still run: an observer must never stop a token refresh.
 */
export function createEmitter<M>(logger: Logger): Emitter<M> {
  const listeners = new Map<keyof M, Set<(payload: never) => void>>()
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: never) => void)
      listeners.set(event, set)
    },
    off(event, listener) {
      listeners.get(event)?.delete(listener as (payload: never) => void)
    },
    emit(event, payload) {
      const set = listeners.get(event)
      if (set === undefined) return
      for (const listener of [...set]) {
        try {
          ;(listener as Listener<M, typeof event>)(payload)
        } catch (error) {
          logger.error(
            { event: String(event), reason: error instanceof Error ? error.message : String(error) },
            'an event listener threw',
          )
        }
      }
    },
  }
}

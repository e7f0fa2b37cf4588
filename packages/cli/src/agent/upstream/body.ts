/**
 * The body of a proxied request: buffered when small (so it can be replayed after a 401), streamed
 * when large (so the agent never holds big uploads in memory).
 */
import type { IncomingMessage } from 'node:http'

/** Bodies up to this many bytes are buffered and may be replayed once; larger ones are streamed. */
export const DEFAULT_REPLAY_LIMIT = 1024 * 1024

export type RequestBody =
  | { kind: 'buffered'; data: Buffer }
  /** `prefix` was read already; the rest is still in `source`, paused. */
  | { kind: 'streaming'; prefix: Buffer; source: IncomingMessage }

const NO_BODY: RequestBody = { kind: 'buffered', data: Buffer.alloc(0) }

/**
 * The body of a request that declares none (no Transfer-Encoding, no Content-Length or 0: the
 * message ends with its headers, https://www.rfc-editor.org/rfc/rfc9112#section-6.3), known without
 * waiting for the stream's end; undefined when it may have one.
 */
export function declaredEmptyBody(req: IncomingMessage): RequestBody | undefined {
  const { headers } = req
  if (headers['transfer-encoding'] !== undefined) return undefined
  const length = headers['content-length']
  return length === undefined || length === '0' ? NO_BODY : undefined
}

/**
 * Reads `req` up to `limit` bytes. A body that ends within the limit is returned whole; one that
 * declares or reaches more is returned as a stream, paused, with what was read so far.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ kind: 'streaming', prefix: Buffer.alloc(0), source: req })
  }
  return new Promise<RequestBody>(function bufferBody(resolve, reject) {
    const chunks: Buffer[] = []
    let size = 0
    function cleanup(): void {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted)
    }
    function onData(chunk: Buffer): void {
      chunks.push(chunk)
      size += chunk.length
      if (size <= limit) return
      req.pause()
      cleanup()
      resolve({ kind: 'streaming', prefix: Buffer.concat(chunks), source: req })
    }
    function onEnd(): void {
      cleanup()
      resolve({ kind: 'buffered', data: Buffer.concat(chunks) })
    }
    function onError(error: Error): void {
      cleanup()
      reject(error)
    }
    function onAborted(): void {
      onError(Object.assign(new Error('the client went away while sending the body'), { code: 'ECONNRESET' }))
    }
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted)
  })
}

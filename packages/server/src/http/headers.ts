import { validateHeaderName, validateHeaderValue } from 'node:http'
import type { FastifyReply } from 'fastify'

/**
 * Whether Node writes this header: a token for a name, and a value without controls or characters
 * beyond Latin-1 (RFC 9110 §5.5). `writeHead` throws on any other, after the handler has run.
 */
export function isWritableHeader(name: string, value: unknown): boolean {
  try {
    validateHeaderName(name)
    validateHeaderValue(name, value as string)
    return true
  } catch {
    return false
  }
}

/** The headers Node writes, of `headers`. */
export function writableHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const writable: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (isWritableHeader(name, value)) writable[name] = value
  return writable
}

/**
 * Removes from a reply the headers Node would refuse to write, so that an error answer can be
 * sent at all; answers their names (for the log: never their values).
 */
export function removeUnwritableHeaders(reply: FastifyReply): string[] {
  const removed: string[] = []
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (isWritableHeader(name, value)) continue
    reply.removeHeader(name)
    removed.push(name)
  }
  return removed
}

/** Node's errors for a header it will not write: thrown by `writeHead`, once the handler has run. */
export function isHeaderWriteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code
  return (
    code === 'ERR_INVALID_CHAR' ||
    code === 'ERR_HTTP_INVALID_HEADER_VALUE' ||
    code === 'ERR_INVALID_HTTP_TOKEN'
  )
}

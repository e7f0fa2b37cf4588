/** The agent's own address: loopback only, unless the configuration says otherwise. */
import { isIP } from 'node:net'

export interface ListenAddress {
  host: string
  port: number
}

const FORM = 'must be host:port, e.g. 127.0.0.1:8787 or [::1]:8787'

/** Parses `127.0.0.1:8787`, `localhost:8787` or `[::1]:8787`; a message when it cannot. */
export function parseListen(value: string): ListenAddress | string {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim())
  if (match === null) return FORM
  const host = match[1] ?? match[2] ?? ''
  const port = Number(match[3])
  if (port > 65_535) return `port ${port} is out of range (0-65535)`
  if (match[1] !== undefined && isIP(host) !== 6) return FORM
  return { host, port }
}

/** 127.0.0.0/8, ::1 and localhost: reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true
  return isIP(host) === 4 && host.startsWith('127.')
}

/** `http://127.0.0.1:8787`, with brackets for IPv6. */
export function listenUrl(address: ListenAddress): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host
  return `http://${host}:${address.port}`
}

/**
 * The addresses of the configuration, under one loopback rule: where the agent listens (loopback
 * only unless allow_remote: whoever reaches it can use the tokens) and where the instances are
 * (https, or plain http to a loopback address only).
 */
import { isIP } from 'node:net'
import type { ListenAddress, Problem } from './types.ts'

const FORM = 'must be host:port, e.g. 127.0.0.1:8787 or [::1]:8787'

/** Parses `127.0.0.1:8787`, `localhost:8787` or `[::1]:8787`; a message when it cannot. */
function parseListen(value: string): ListenAddress | string {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim())
  if (match === null) return FORM
  const host = match[1] ?? match[2] ?? ''
  const port = Number(match[3])
  if (port > 65_535) return `port ${port} is out of range (0-65535)`
  if (match[1] !== undefined && isIP(host) !== 6) return FORM
  return { host, port }
}

/** 127.0.0.0/8, ::1 and localhost: reachable only from this machine. */
function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true
  return isIP(host) === 4 && host.startsWith('127.')
}

/** `http://127.0.0.1:8787` (`https://` with TLS), with brackets for IPv6. */
export function listenUrl(address: ListenAddress, secure = false): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host
  return `${secure ? 'https' : 'http'}://${host}:${address.port}`
}

/** The `listen` setting: a loopback address unless `allowRemote`; undefined (and a problem) otherwise. */
export function listenAddress(
  value: string,
  allowRemote: boolean,
  problems: Problem[],
): ListenAddress | undefined {
  const listen = parseListen(value)
  if (typeof listen === 'string') problems.push({ path: 'listen', message: listen })
  else if (!allowRemote && !isLoopbackHost(listen.host)) {
    problems.push({
      path: 'listen',
      message: `${listen.host} is not a loopback address: anyone who reaches it could use the tokens; listen on 127.0.0.1, or set allow_remote: true`,
    })
  } else return listen
  return undefined
}

/** An instance URL: https://, or http:// to a loopback address only; undefined (and a problem) otherwise. */
export function instanceUrl(value: string | undefined, path: string, problems: Problem[]): URL | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push({ path, message: 'must be a URL such as https://acme.coupahost.com' })
    return undefined
  }
  const fail = (message: string) => problems.push({ path, message })
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must be an https:// URL')
  else if (url.username !== '' || url.password !== '') fail('must not contain a user name or password')
  else if (url.search !== '' || url.hash !== '') fail('must not have a query or a fragment')
  else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))) {
    fail(
      'must be https:// (plain http only to a loopback address): tokens and API keys would travel unencrypted',
    )
  } else return url
  return undefined
}

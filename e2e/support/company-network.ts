/**
 * A company network on loopback for the end-to-end tests behind a proxy: a CONNECT proxy that asks
 * for a password, and an instance (the fake token endpoint and API) behind a TLS terminator whose
 * certificate comes from a throw-away CA. The instance's address is a port nothing listens on,
 * which the proxy routes to it: only the proxy reaches it, as only a company proxy reaches Coupa.
 */
import { randomBytes } from 'node:crypto'
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { connect as tlsConnect } from 'node:tls'
import { type FakeInstance, startFakeInstance } from '../../packages/cli/test/agent/fake-instance.ts'
import { createTestPki, type TestPki } from '../../packages/cli/test/network/pki.ts'
import {
  startConnectProxy,
  startTlsFront,
  type TestProxy,
  type TlsFront,
} from '../../packages/cli/test/network/servers.ts'
import { freePort } from './agent.ts'

export const CLIENT_SECRET = randomBytes(16).toString('hex')
export const LOCAL_SECRET = randomBytes(16).toString('hex')
export const PROXY_USER = 'proxy-user'
export const PROXY_PASSWORD = `proxy-pw-${randomBytes(6).toString('hex')}`

/** The environment of every process: no proxy of the machine's, only the ones a test sets. */
export const NO_PROXY_ENV = {
  HTTPS_PROXY: '',
  https_proxy: '',
  HTTP_PROXY: '',
  http_proxy: '',
  NO_PROXY: '',
  no_proxy: '',
  NODE_EXTRA_CA_CERTS: '',
  KEYSHIFT_CA_FILE: '',
}

export interface Answer {
  status: number
  body: string
}

/** GET over https trusting `ca` (node:https: the test's own fetch knows no private CA). */
export function httpsGet(
  url: string,
  ca: string,
  headers: Record<string, string> = {},
  agent: HttpsAgent | false = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, headers, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The serial number of the certificate a TLS server presents to a new connection. */
export function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().serialNumber)
      socket.destroy()
    })
    socket.on('error', reject)
  })
}

export interface CompanyNetwork {
  pki: TestPki
  instance: FakeInstance
  front: TlsFront
  proxy: TestProxy
  /** The port only the proxy reaches (it routes it to the instance). */
  hiddenPort: number
  hiddenUrl: string
  /** The proxy's URL with its user and password. */
  proxyUrl: string
  close(): Promise<void>
}

export async function startCompanyNetwork(): Promise<CompanyNetwork> {
  const pki = createTestPki()
  const instance = await startFakeInstance({ clients: { erp: CLIENT_SECRET }, apiKeys: [] })
  const front = await startTlsFront(pki.cert, pki.key, Number(new URL(instance.url).port))
  const hiddenPort = await freePort()
  const proxy = await startConnectProxy({
    credentials: `${PROXY_USER}:${PROXY_PASSWORD}`,
    routes: { [`localhost:${hiddenPort}`]: front.port },
  })
  return {
    pki,
    instance,
    front,
    proxy,
    hiddenPort,
    hiddenUrl: `https://localhost:${hiddenPort}`,
    proxyUrl: `http://${PROXY_USER}:${PROXY_PASSWORD}@${new URL(proxy.url).host}`,
    async close() {
      await proxy.close()
      await front.close()
      await instance.close()
      pki.remove()
    },
  }
}

// Launcher for Keyshift's token endpoint: `keyshift serve` on a fresh data dir, one OAuth client
// created through the admin API, then client-credentials requests with client_secret_post.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import {
  benchDir,
  freePort,
  HOST,
  isJwt,
  parseJson,
  type RunningTarget,
  request,
  startChild,
  waitForOk,
} from '../helpers.ts'

const SCOPES = ['core.invoice.read', 'core.common.read']

export async function startKeyshift(): Promise<RunningTarget> {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const password = randomBytes(24).toString('base64url') // 32 characters
  const data = join(benchDir(), 'keyshift-data')
  const cli = join('packages', 'cli', 'bin', 'keyshift.js')
  const args = [cli, 'serve', '--port', String(port), '--host', HOST, '--data', data]
  const child = startChild('keyshift', args, { KEYSHIFT_ADMIN_PASSWORD: password })
  try {
    await waitForOk(`${base}/.well-known/oauth-authorization-server`, child, 60_000)
    const created = await request(`${base}/admin/v1/oauth2/clients`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'bench',
        grant_type: 'client_credentials',
        scopes: SCOPES,
        login: 'bench',
      }),
    })
    if (created.status !== 201) {
      throw new Error(`creating the OAuth client answered ${created.status}: ${created.body.slice(0, 300)}`)
    }
    const { client_id, client_secret } = parseJson(created.body, 'create client')
    if (typeof client_id !== 'string' || typeof client_secret !== 'string') {
      throw new Error(`create client: no client_id/client_secret in ${created.body.slice(0, 300)}`)
    }
    const body = new URLSearchParams({
      client_id,
      client_secret,
      grant_type: 'client_credentials',
      scope: SCOPES.join(' '),
    }).toString()
    return {
      url: `${base}/oauth2/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      check: checkToken,
      stop: child.stop,
      logTail: child.logTail,
    }
  } catch (err) {
    const tail = child.logTail()
    await child.stop()
    throw new Error(`${(err as Error).message}${tail ? `\n--- keyshift log ---\n${tail}` : ''}`)
  }
}

function checkToken(status: number, text: string): void {
  if (status !== 200) throw new Error(`token endpoint answered ${status}: ${text.slice(0, 300)}`)
  const json = parseJson(text, 'token response')
  for (const key of ['access_token', 'token_type', 'expires_in', 'scope']) {
    if (!(key in json)) throw new Error(`token response lacks ${key}: ${text.slice(0, 300)}`)
  }
  if (!isJwt(json.access_token)) throw new Error(`access_token is not a JWT: ${text.slice(0, 300)}`)
}

// Keyshift's token endpoint: `keyshift serve` on a fresh data dir (one per start), one OAuth client created
// through the admin API, then client-credentials requests with client_secret_post.
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { benchDir, isJwt, parseJson, type RunningTarget } from '../helpers.ts'
import { createOAuthClient, launchKeyshift, tokenRequestBody } from './keyshift-server.ts'

export const SCOPES = ['core.invoice.read', 'core.common.read']

export function startKeyshift(): Promise<RunningTarget> {
  // A data dir of its own for each start: a round on fresh processes starts from an empty store too.
  const data = mkdtempSync(join(benchDir(), 'keyshift-data-'))
  return launchKeyshift('keyshift', { data }, async function tokenRequest(base) {
    const client = await createOAuthClient(base, { name: 'bench', login: 'bench', scopes: SCOPES })
    return {
      url: `${base}/oauth2/token`,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(client, SCOPES),
      check: checkToken,
    }
  })
}

export function checkToken(status: number, text: string): void {
  if (status !== 200) throw new Error(`token endpoint answered ${status}: ${text.slice(0, 300)}`)
  const json = parseJson(text, 'token response')
  for (const key of ['access_token', 'token_type', 'expires_in', 'scope']) {
    if (!(key in json)) throw new Error(`token response lacks ${key}: ${text.slice(0, 300)}`)
  }
  if (!isJwt(json.access_token)) throw new Error(`access_token is not a JWT: ${text.slice(0, 300)}`)
}

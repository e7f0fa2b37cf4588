import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClientService } from './clients/service.ts'

export const DEMO_LOGIN = 'demo-integration'
export const DEMO_SECRET_FILE = 'demo-client-secret.txt'
const DEMO_SCOPES = ['core.invoice.read', 'core.common.read', 'core.supplier.read']

export interface DemoClient {
  clientId: string
  scope: string
  /** The file holding the demo client's secret (mode 0600), when it still exists. */
  secretFile: string | undefined
}

/**
 * Creates the demo OAuth client on first start of a demo instance (`npm start`). Its secret goes
 * to a 0600 file in the data folder, never to stdout or the log.
 */
export async function seedDemoClient(clients: ClientService, dataDir: string): Promise<DemoClient> {
  const secretFile = join(dataDir, DEMO_SECRET_FILE)
  const existing = (await clients.list()).find((client) => client.login === DEMO_LOGIN)
  if (existing) {
    return {
      clientId: existing.clientId,
      scope: existing.scopes.join(' '),
      secretFile: existsSync(secretFile) ? secretFile : undefined,
    }
  }
  const { client, secret } = await clients.create({
    name: 'Demo integration',
    grantType: 'client_credentials',
    scopes: DEMO_SCOPES,
    login: DEMO_LOGIN,
    contactFirstName: 'Demo',
    contactLastName: 'Integration',
    contactEmail: 'demo@example.com',
  })
  const temp = `${secretFile}.${process.pid}.tmp`
  writeFileSync(temp, `${secret}\n`, { mode: 0o600 })
  renameSync(temp, secretFile)
  return { clientId: client.clientId, scope: client.scopes.join(' '), secretFile }
}

/**
 * OAuth clients as people name them on a command line or in a plan: the client_id (the 32 hex
 * Identifier), else the login, else the name, each only when it names one client.
 */
import type { ClientView } from '@keyshift/server/admin-api'
import { CliError } from '../errors.ts'

function describeClients(clients: ClientView[]): string[] {
  return clients.map((client) => `${client.client_id}  ${client.login}  ${client.name}`)
}

/** The client `ref` names among `clients`, or undefined when none does. */
export function findClient(ref: string, clients: ClientView[]): ClientView[] {
  for (const match of [
    (client: ClientView) => client.client_id === ref,
    (client: ClientView) => client.login === ref,
    (client: ClientView) => client.name === ref,
    (client: ClientView) => client.login.toLowerCase() === ref.toLowerCase(),
    (client: ClientView) => client.name.toLowerCase() === ref.toLowerCase(),
  ]) {
    const found = clients.filter(match)
    if (found.length > 0) return found
  }
  return []
}

/**
 * The one client `ref` names (client_id, login or name).
 *
 * @throws {CliError} KS_ADMIN_NOT_FOUND when none does; KS_USAGE when several do (listed).
 */
export function resolveClientRef(ref: string, clients: ClientView[], label = 'CLIENT'): ClientView {
  const found = findClient(ref, clients)
  if (found.length === 1) return found[0] as ClientView
  if (found.length > 1) {
    throw new CliError('KS_USAGE', `${label} names ${found.length} OAuth clients: give its client_id`, {
      details: describeClients(found),
    })
  }
  throw new CliError('KS_ADMIN_NOT_FOUND', `${label} names no OAuth client (by client_id, login or name)`, {
    hint: 'see `keyshift admin clients list`',
  })
}

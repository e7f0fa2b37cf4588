/**
 * `keyshift transition link KEY CLIENT`: records that an existing OAuth client replaces an API key
 * (`PUT /admin/v1/api-keys/:id/replacement`), as `apply` does for the clients it creates. From then
 * on `status` follows the key from in_use to migrating to ready_to_revoke.
 */
import type { ApiKeyView } from '@keyshift/server/admin-api'
import type { Command, Context, ParsedArgs } from '../command.ts'
import { CliError } from '../errors.ts'
import { resolveClientRef } from '../transition/client-refs.ts'
import { resolveKeyRef, shortIds } from '../transition/key-refs.ts'
import {
  forEachTarget,
  TRANSITION_ENVIRONMENT,
  TRANSITION_OPTIONS,
  transitionTargets,
} from '../transition/targets.ts'

const PATH = 'keyshift transition link'

function linkedText(key: ApiKeyView, client: { name: string; login: string; client_id: string }): string {
  const id = shortIds([key.id]).get(key.id) ?? key.id
  return [
    `Linked API key ${key.name} (${id}) to OAuth client ${client.name} (login ${client.login}, client_id ${client.client_id}).`,
    'Follow it with `keyshift transition status`: the key is ready_to_revoke once the client calls and the key stays quiet.',
    '',
  ].join('\n')
}

async function runLink(context: Context, args: ParsedArgs): Promise<void> {
  const [keyRef = '', clientRef = ''] = args.positionals
  const targets = await transitionTargets(context, args, PATH)
  if (targets.length !== 1) {
    throw new CliError('KS_USAGE', `link works on one instance: add --instance NAME; run '${PATH} --help'`)
  }
  await forEachTarget(context, args, targets, async function linkStep(target) {
    const [{ api_keys: keys }, { clients }] = await Promise.all([
      target.api.listApiKeys(),
      target.api.listClients(),
    ])
    const key = resolveKeyRef(keyRef, keys, { label: 'KEY' })
    const client = resolveClientRef(clientRef, clients)
    const answer = await target.api.setReplacement(key.id, client.client_id)
    return { answer, text: linkedText(key, client) }
  })
}

export const linkCommand: Command = {
  kind: 'command',
  name: 'link',
  summary: 'Link an API key to the existing OAuth client that replaces it',
  usage: 'KEY CLIENT [--url URL | --config FILE --instance NAME] [options]',
  description: [
    'For an integration that already has its OAuth client (made by hand, or shared with another',
    'integration): `status` then follows the key, and it becomes ready_to_revoke once the client calls',
    'and the key stays quiet for the quiet period. `apply` links the keys of a plan itself.',
  ],
  positionals: [
    {
      name: 'key',
      description: 'the API key: its id, the start of its id (as the tables show it), or its name',
    },
    {
      name: 'client',
      description: 'the OAuth client: its client_id, or its login or name when only one has it',
    },
  ],
  options: TRANSITION_OPTIONS,
  environment: TRANSITION_ENVIRONMENT,
  examples: [`${PATH} 5b2c7d1e erp-sync`, `${PATH} "Invoice export" 0f3c9a2b7e514d6a8c1b2d3e4f5a6b7c`],
  run: runLink,
}

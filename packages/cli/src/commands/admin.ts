/** `keyshift admin …`: the admin JSON API of an instance, with an admin user's HTTP Basic credentials. */
import { adminCommand } from '../admin/command.ts'
import { formatScopes } from '../admin/render.ts'
import type { CommandGroup } from '../command.ts'
import { apiKeysGroup } from './admin-api-keys.ts'
import { clientsGroup } from './admin-clients.ts'
import { customFieldsGroup } from './admin-custom-fields.ts'

const scopesCommand = adminCommand('keyshift admin scopes', {
  summary: 'List the scopes a client can be granted, and what each allows',
  call: (api) => api.listScopes(),
  print: { format: (body) => formatScopes(body.scopes) },
})

export const adminGroup: CommandGroup = {
  kind: 'group',
  name: 'admin',
  summary: 'Administer an instance: OAuth clients, scopes, legacy API keys and custom fields',
  commands: [clientsGroup, scopesCommand, apiKeysGroup, customFieldsGroup],
}

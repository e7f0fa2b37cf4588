/** `keyshift keys …`: the keys that sign access tokens, published at /oauth2/jwks. */
import { adminCommand } from '../admin/command.ts'
import { formatKeys } from '../admin/render.ts'
import type { CommandGroup } from '../command.ts'

const listCommand = adminCommand('keyshift keys list', {
  summary: 'List the signing keys: kid, algorithm, active or retired',
  call: (api) => api.listKeys(),
  print: { format: (body) => formatKeys(body.keys) },
})

const rotateCommand = adminCommand('keyshift keys rotate', {
  summary: 'Create a new signing key and retire the current one, without downtime',
  call: (api) => api.rotateKeys(),
  print: {
    format: (body) =>
      [
        `New signing key ${body.kid} signs new tokens from now on.`,
        'Retired keys stay published at /oauth2/jwks until the last token they signed expires.',
        '',
        formatKeys(body.keys),
      ].join('\n'),
  },
})

export const keysGroup: CommandGroup = {
  kind: 'group',
  name: 'keys',
  summary: 'Manage the keys that sign access tokens',
  commands: [listCommand, rotateCommand],
}

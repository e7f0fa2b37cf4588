/** `keyshift keys …`: the keys that sign access tokens, published at /oauth2/jwks. */
import { ADMIN_ENVIRONMENT, ADMIN_OPTIONS, adminApiFromArgs } from '../admin/options.ts'
import { formatKeys } from '../admin/render.ts'
import { type Command, type CommandGroup, type Context, flagArg, type ParsedArgs } from '../command.ts'
import { json } from '../output.ts'

async function runList(context: Context, args: ParsedArgs): Promise<void> {
  const body = await adminApiFromArgs(context, args, 'keyshift keys list').listKeys()
  context.io.stdout(flagArg(args, 'json') ? json(body) : formatKeys(body.keys))
}

async function runRotate(context: Context, args: ParsedArgs): Promise<void> {
  const body = await adminApiFromArgs(context, args, 'keyshift keys rotate').rotateKeys()
  if (flagArg(args, 'json')) {
    context.io.stdout(json(body))
    return
  }
  context.io.stdout(
    [
      `New signing key ${body.kid} signs new tokens from now on.`,
      'Retired keys stay published at /oauth2/jwks until the last token they signed expires.',
      '',
      formatKeys(body.keys),
    ].join('\n'),
  )
}

const listCommand: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List the signing keys: kid, algorithm, active or retired',
  usage: '[options]',
  options: ADMIN_OPTIONS,
  environment: ADMIN_ENVIRONMENT,
  run: runList,
}

const rotateCommand: Command = {
  kind: 'command',
  name: 'rotate',
  summary: 'Create a new signing key and retire the current one, without downtime',
  usage: '[options]',
  options: ADMIN_OPTIONS,
  environment: ADMIN_ENVIRONMENT,
  run: runRotate,
}

export const keysGroup: CommandGroup = {
  kind: 'group',
  name: 'keys',
  summary: 'Manage the keys that sign access tokens',
  commands: [listCommand, rotateCommand],
}

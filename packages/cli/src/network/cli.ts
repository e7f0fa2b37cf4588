/**
 * The network options of the commands that call an instance (`token`, `call`): the proxy from
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (read by the context's `fetch`), and `--ca-file`.
 */
import { type ProxyRules, proxyRulesFromEnv } from '@keyshift/client'
import type { Context, OptionTable, ParsedArgs } from '../command.ts'
import { stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { readCaBundle } from './ca.ts'
import type { NetworkSettings } from './settings.ts'

export const NETWORK_OPTIONS: OptionTable = {
  'ca-file': {
    type: 'string',
    value: 'FILE',
    env: 'KEYSHIFT_CA_FILE',
    description:
      'PEM bundle of CAs trusted besides the default roots (a private CA, a proxy that re-signs TLS)',
  },
}

export const NETWORK_ENVIRONMENT: Record<string, string> = {
  'HTTPS_PROXY, HTTP_PROXY': 'the outbound proxy for https:// and http:// URLs (lowercase names too)',
  NO_PROXY: 'hosts reached directly: example.com, .example.com, host:port, *',
  KEYSHIFT_CA_FILE: 'the CA bundle, when --ca-file is not given',
}

/**
 * The proxy rules of the environment.
 *
 * @throws {CliError} KS_USAGE naming the variable (never its value: it may hold a password).
 */
export function envProxyRules(env: Context['env']): ProxyRules {
  try {
    return proxyRulesFromEnv(env)
  } catch (error) {
    throw new CliError('KS_USAGE', (error as Error).message, { cause: error })
  }
}

/** The extra CAs of `--ca-file` / KEYSHIFT_CA_FILE, if given. Throws KS_USAGE when unusable. */
export function caFileArg(context: Context, args: ParsedArgs): string[] | undefined {
  const file = stringArg(args, 'ca-file') ?? context.env.KEYSHIFT_CA_FILE
  if (file === undefined || file === '') return undefined
  const bundle = readCaBundle(file)
  if ('problem' in bundle) throw new CliError('KS_USAGE', `--ca-file: ${bundle.problem}`)
  return bundle.certificates
}

/**
 * The `fetch` of a command: the context's (proxy from the environment), or one that also trusts
 * `--ca-file`, or the one of an instance of the agent's configuration (its proxy and ca_file).
 */
export function commandFetch(
  context: Context,
  args: ParsedArgs,
  instance?: NetworkSettings,
): Context['fetch'] {
  const ca = caFileArg(context, args)
  if (instance !== undefined) {
    const extra = [...(instance.ca ?? []), ...(ca ?? [])]
    return context.connect({ proxy: instance.proxy, ca: extra.length === 0 ? undefined : extra })
  }
  if (ca === undefined) return context.fetch
  return context.connect({ proxy: envProxyRules(context.env), ca })
}

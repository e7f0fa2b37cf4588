/**
 * `keyshift init`: writes a commented starter keyshift.yaml (the agent's configuration, also read by
 * `keyshift transition --config`) from flags, or by asking on a terminal. Never over an existing
 * file unless `--force`.
 */
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import type { InstanceKind } from '../agent/config/types.ts'
import { type Command, type Context, flagArg, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { writeOutFile } from '../files.ts'
import { json } from '../output.ts'
import {
  ENV_FILE,
  INIT_INSTANCES,
  type InitInstance,
  type InitInstanceName,
  inferKind,
  placeholderUrl,
  starterConfig,
  starterVariables,
} from './init-template.ts'

const PATH = 'keyshift init'
const DEFAULT_OUT = 'keyshift.yaml'
const KINDS: readonly InstanceKind[] = ['coupa', 'keyshift']

/** Asks one question on a terminal; the answer trimmed ('' for Enter). */
export interface Prompter {
  ask(question: string): Promise<string>
}

function usage(message: string): CliError {
  return new CliError('KS_USAGE', `${message}; run '${PATH} --help'`)
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol)
}

function kindArg(args: ParsedArgs): InstanceKind | undefined {
  const kind = stringArg(args, 'kind')
  if (kind === undefined) return undefined
  if (!(KINDS as readonly string[]).includes(kind)) throw usage('--kind must be coupa or keyshift')
  return kind as InstanceKind
}

function instance(
  name: InitInstanceName,
  url: string | undefined,
  kind: InstanceKind | undefined,
): InitInstance {
  if (url === undefined) {
    const chosen = kind ?? 'coupa'
    return { name, url: placeholderUrl(name, chosen), kind: chosen, placeholder: true }
  }
  return { name, url, kind: kind ?? inferKind(url), placeholder: false }
}

/** Asks for the URL (Enter: a placeholder) and the kind of one instance. */
async function askInstance(
  prompter: Prompter,
  name: InitInstanceName,
  kind: InstanceKind | undefined,
): Promise<InitInstance> {
  let question = `URL of the ${name} instance (Enter: a placeholder to edit later): `
  let answer = await prompter.ask(question)
  while (answer !== '' && !isHttpUrl(answer)) {
    question = `  not an http(s) URL (e.g. https://acme.coupahost.com); URL of the ${name} instance: `
    answer = await prompter.ask(question)
  }
  const url = answer === '' ? undefined : answer
  if (kind !== undefined || url === undefined) return instance(name, url, kind)
  const inferred = inferKind(url)
  const chosen = await prompter.ask(`Kind of ${name}: coupa or keyshift [${inferred}]: `)
  return instance(name, url, chosen === 'coupa' || chosen === 'keyshift' ? chosen : inferred)
}

/**
 * The instances to write: each from its flag, else asked (with a `prompter`), else a placeholder.
 *
 * @throws {CliError} KS_USAGE for a flag that is not an http(s) URL, or a wrong --kind.
 */
export async function initInstances(
  args: ParsedArgs,
  prompter: Prompter | undefined,
): Promise<InitInstance[]> {
  const kind = kindArg(args)
  const instances: InitInstance[] = []
  for (const name of INIT_INSTANCES) {
    const url = stringArg(args, name)
    if (url !== undefined && !isHttpUrl(url)) throw usage(`--${name} must be an http(s) URL`)
    if (url === undefined && prompter !== undefined) instances.push(await askInstance(prompter, name, kind))
    else instances.push(instance(name, url, kind))
  }
  return instances
}

function nextSteps(out: string, instances: InitInstance[]): string {
  const secrets = join(dirname(out), ENV_FILE)
  const rows = instances.map(
    (i) => `  ${i.name.padEnd(10)}  ${i.kind.padEnd(8)}  ${i.url}${i.placeholder ? '  (placeholder)' : ''}`,
  )
  const variables = starterVariables(instances)
    .map((name) => `${name}=…`)
    .join(' ')
  return [
    `Wrote ${out}:`,
    ...rows,
    '',
    'Next:',
    `  1. Edit ${out}: replace any placeholder URL, name your integrations.`,
    `  2. Put the secrets in ${secrets}, readable by you only (the agent refuses it otherwise):`,
    `       touch ${secrets} && chmod 600 ${secrets}`,
    `       then NAME=value lines: ${variables}`,
    `  3. keyshift agent --config ${out} --check`,
    `  4. keyshift transition review --config ${out}   (Coupa instances: from what the agent counted)`,
    '',
  ].join('\n')
}

/** A prompter on the terminal, or none when stdin or stdout is not one. */
function terminalPrompter(): (Prompter & { close(): void }) | undefined {
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) return undefined
  const lines = createInterface({ input: process.stdin, output: process.stdout })
  return {
    ask: async (question) => (await lines.question(question)).trim(),
    close: () => lines.close(),
  }
}

/** Runs init with `prompter` (none: flags and placeholders only). */
export async function runInit(
  context: Context,
  args: ParsedArgs,
  prompter: Prompter | undefined,
): Promise<void> {
  const out = stringArg(args, 'out') ?? DEFAULT_OUT
  if (out === '') throw usage('--out needs a file')
  const instances = await initInstances(args, prompter)
  await writeOutFile(out, starterConfig(instances), {
    force: flagArg(args, 'force'),
    hint: 'give --force to write over it (your edits are lost), or another --out',
  })
  const placeholders = instances.filter((i) => i.placeholder)
  if (flagArg(args, 'json')) {
    context.io.stdout(json({ file: out, env_file: join(dirname(out), ENV_FILE), instances }))
  } else context.io.stdout(nextSteps(out, instances))
  if (placeholders.length > 0 && prompter === undefined) {
    const flags = placeholders.map((i) => `--${i.name} URL`).join(' ')
    context.io.stderr(
      `warning: no URL for ${placeholders.map((i) => i.name).join(', ')}: placeholders written; edit ${out} or run again with ${flags} --force\n`,
    )
  }
}

async function runInitCommand(context: Context, args: ParsedArgs): Promise<void> {
  const prompter = flagArg(args, 'json') ? undefined : terminalPrompter()
  try {
    await runInit(context, args, prompter)
  } finally {
    prompter?.close()
  }
}

const URL_OPTIONS = Object.fromEntries(
  INIT_INSTANCES.map((name) => [
    name,
    { type: 'string' as const, value: 'URL', description: `base URL of the ${name} instance` },
  ]),
)

export const initCommand: Command = {
  kind: 'command',
  name: 'init',
  summary: 'Write a commented starter keyshift.yaml: instances, a sample integration, env_file, usage',
  usage:
    '[--production URL] [--test URL] [--dev URL] [--stage URL] [--kind coupa|keyshift] [--out FILE] [--force]',
  description: [
    'Writes the configuration of `keyshift agent` (also read by `keyshift transition --config`): the',
    'instances production, test, dev and stage, each with its kind (coupa: a real Coupa instance;',
    `keyshift: a Keyshift instance, with an admin block whose password is a \${VAR}), one sample`,
    'integration still on its API key, `env_file: secrets.env` and the usage defaults. Secrets are',
    `\${VAR} references only. On a terminal it asks for each URL not given; otherwise an instance`,
    'without its flag gets a placeholder URL to edit. The kind is --kind, else coupa for a',
    '*.coupahost.com or *.coupacloud.com URL and keyshift for any other.',
  ],
  options: {
    ...URL_OPTIONS,
    kind: { type: 'string', value: 'KIND', description: 'coupa or keyshift, for every instance' },
    out: { type: 'string', value: 'FILE', default: DEFAULT_OUT, description: 'the file to write' },
    force: { type: 'boolean', description: 'write over an existing file' },
  },
  examples: [
    `${PATH} --production https://acme.coupahost.com --test https://acme-test.coupahost.com \\`,
    '  --dev http://127.0.0.1:8080 --stage https://acme-stage.coupahost.com',
  ],
  run: runInitCommand,
}

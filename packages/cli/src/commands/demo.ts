/** `keyshift demo …`: demo data for trying and scale-testing an instance. The server does the work. */
import type { Command, CommandGroup, Context, DemoGenerateMain, ParsedArgs } from '../command.ts'
import { CliError } from '../errors.ts'

const DEMO_GENERATE_MODULE = '@keyshift/server/demo-generate'

/** Loads the generator only for `demo generate`, so the other commands need no database driver. */
export async function loadDemoGenerateMain(): Promise<DemoGenerateMain> {
  let module: { main?: unknown }
  try {
    // A literal, so that the build bundles the generator (as a chunk loaded only here).
    module = (await import('@keyshift/server/demo-generate')) as { main?: unknown }
  } catch (error) {
    const reason =
      (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error))
    throw new CliError('KS_SERVER_UNAVAILABLE', `cannot load ${DEMO_GENERATE_MODULE} (${reason})`, {
      cause: error,
    })
  }
  if (typeof module.main !== 'function') {
    throw new CliError('KS_SERVER_UNAVAILABLE', `cannot load ${DEMO_GENERATE_MODULE} (it exports no main)`)
  }
  return module.main as DemoGenerateMain
}

async function runGenerate(context: Context, args: ParsedArgs): Promise<void> {
  const generate = await context.loadDemoGenerate()
  try {
    await generate(args.positionals)
  } catch (error) {
    if (error instanceof CliError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new CliError('KS_DEMO_FAILED', message, { cause: error })
  }
}

const generateCommand: Command = {
  kind: 'command',
  name: 'generate',
  summary: 'Append N demo invoices to the store of an instance, for scale tests',
  usage: '--invoices N [--data DIR | --database-url URL] [--seed N]',
  description: [
    'Writes straight into the store, not through the API: seeds the demo data set first when the',
    'store has no suppliers yet, then appends the invoices, printing its progress.',
    'Give the same --data or --database-url as `keyshift serve`. Environment variables such as',
    'KEYSHIFT_DATA_DIR and DATABASE_URL are not read: the flags are the only way to name the store.',
  ],
  passThrough: true,
  options: {
    invoices: { type: 'string', value: 'N', description: 'invoices to append (required), e.g. 100000' },
    data: {
      type: 'string',
      value: 'DIR',
      default: './keyshift-data',
      description: 'data folder of the embedded SQLite store',
    },
    'database-url': {
      type: 'string',
      value: 'URL',
      description: 'PostgreSQL store instead: postgres://user:password@host:5432/database',
    },
    seed: { type: 'string', value: 'N', description: 'random seed (default: the demo seed)' },
  },
  examples: [
    'keyshift demo generate --invoices 100000',
    'keyshift demo generate --invoices 1000000 --data /var/lib/keyshift',
    'keyshift demo generate --invoices 1000000 --database-url postgres://keyshift@db:5432/keyshift',
  ],
  run: runGenerate,
}

export const demoGroup: CommandGroup = {
  kind: 'group',
  name: 'demo',
  summary: 'Demo data: fill an instance with invoices for scale tests',
  commands: [generateCommand],
}

/**
 * `generate` entry point: fills a store with invoices for scale tests.
 *
 *   node --import tsx packages/server/src/api/demo/generate-main.ts --data ./keyshift-data --invoices 1000000
 *
 * Seeds the demo master data first when the store has none, then appends the invoices.
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { openStore } from '../../store/open.ts'
import { generateInvoices } from './generate-invoices.ts'
import { seedDemoData } from './seed.ts'

/** The parsed command line. */
export interface GenerateArgs {
  dataDir: string
  databaseUrl: string | undefined
  invoices: number
  seed: number | undefined
}

/** The usage text of the command. */
export const generateHelp = `Usage: generate --invoices N [--data DIR] [--database-url URL] [--seed N]

Appends N demo invoices to the store (seeding the demo master data first when it has none).
  --invoices N         invoices to append (required), e.g. 100000 or 1000000
  --data DIR           folder of the embedded SQLite store (default ./keyshift-data)
  --database-url URL   PostgreSQL store instead: postgres://user:password@host:5432/database
  --seed N             random seed (default: the demo seed)
`

/** A command line `main` refuses; the message says which flag is wrong. */
export class GenerateUsageError extends Error {
  override name = 'GenerateUsageError'
}

function wholeNumber(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text.replaceAll('_', ''))
  if (!Number.isSafeInteger(value) || value < min) {
    throw new GenerateUsageError(`${flag} must be a whole number of at least ${min}`)
  }
  return value
}

/** Parses the flags; throws GenerateUsageError naming the wrong one. */
export function parseGenerateArgs(argv: string[]): GenerateArgs {
  let values: Record<string, string | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        'database-url': { type: 'string' },
        invoices: { type: 'string' },
        seed: { type: 'string' },
      },
    }))
  } catch (error) {
    throw new GenerateUsageError((error as Error).message)
  }
  const invoices = wholeNumber('--invoices', values.invoices, 1)
  if (invoices === undefined) throw new GenerateUsageError('--invoices N is required')
  const databaseUrl = values['database-url']
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new GenerateUsageError('--database-url must be postgres://user:password@host:5432/database')
  }
  return {
    dataDir: values.data ?? './keyshift-data',
    databaseUrl,
    invoices,
    seed: wholeNumber('--seed', values.seed, 0),
  }
}

/** Runs the command; sets `process.exitCode` 2 on a usage error. */
export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(generateHelp)
    return
  }
  let args: GenerateArgs
  try {
    args = parseGenerateArgs(argv)
  } catch (error) {
    if (!(error instanceof GenerateUsageError)) throw error
    process.stderr.write(`generate: ${error.message}\n\n${generateHelp}`)
    process.exitCode = 2
    return
  }
  const store = await openStore({ databaseUrl: args.databaseUrl, dataDir: args.dataDir })
  try {
    const now = Date.now()
    const started = performance.now()
    const seeded = await seedDemoData(store, { now, seed: args.seed })
    if (seeded.seeded) process.stdout.write('seeded the demo data set\n')
    const step = Math.max(1, Math.round(args.invoices / 10 / 1000)) * 1000
    const result = await generateInvoices(store, {
      count: args.invoices,
      now,
      seed: args.seed,
      onProgress: (written, total) => {
        if (written % step === 0 || written === total) process.stdout.write(`${written}/${total} invoices\n`)
      },
    })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    process.stdout.write(`invoices ${result.firstId}–${result.lastId} written in ${seconds} s\n`)
  } finally {
    await store.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2))
}

// Invoice data sets for the core-API targets, generated once per run into the run's temp dir by
// packages/server/src/api/demo/generate-main.ts (in its own process) and reused by every target
// that needs the same size: targets run one at a time, each with a fresh server on the same dir.
import { join } from 'node:path'
import { benchDir, startChild } from '../helpers.ts'

/** The demo data set the generator seeds into an empty store already holds this many invoices. */
const DEMO_INVOICES = 3_000
const GENERATOR = join('packages', 'server', 'src', 'api', 'demo', 'generate-main.ts')
/** 1 000 000 invoices take ~30 s on an idle machine; allow for a busy one. */
const TIMEOUT_MS = 15 * 60_000

const prepared = new Map<number, Promise<string>>()

/** The data dir of a store holding `total` invoices (demo set included); generated on first use. */
export function invoiceData(total: number): Promise<string> {
  let dir = prepared.get(total)
  if (!dir) {
    dir = generateInvoices(total)
    prepared.set(total, dir)
  }
  return dir
}

async function generateInvoices(total: number): Promise<string> {
  const data = join(benchDir(), `invoices-${total}`)
  const args = ['--import', 'tsx', GENERATOR, '--data', data, '--invoices', String(total - DEMO_INVOICES)]
  const child = startChild(`generate-${total}`, args)
  const watchdog = setTimeout(() => child.proc.kill('SIGKILL'), TIMEOUT_MS)
  const code = await child.exited
  clearTimeout(watchdog)
  const output = child.logTail(5)
  // Last line: "invoices <first>–<last> written in <s> s"; the last id is the store's invoice count.
  const lastId = Number(/invoices \d+–(\d+) written/.exec(output)?.[1])
  if (code !== 0 || lastId !== total) {
    throw new Error(`generating ${total} invoices failed (exit ${code}, last id ${lastId}):\n${output}`)
  }
  return data
}

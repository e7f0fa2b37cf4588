import type { Logger } from 'pino'
import type { ApiKeyService } from '../api-keys/service.ts'
import type { Clock } from '../contract/clock.ts'
import type { Store } from '../store/store.ts'
import { AuditLog } from './audit.ts'
import { TransitionRevoker } from './revoke.ts'
import { TransitionReports } from './service.ts'
import { TransitionSettings } from './settings.ts'
import { createApiKeySignals } from './signals.ts'
import { COUNTED_SINCE_SETTING, createSnapshotReader } from './snapshot.ts'
import { UsageLedger } from './usage-ledger.ts'

export interface TransitionOptions {
  store: Store
  clock: Clock
  logger: Logger
  apiKeys: ApiKeyService
  /** The instance's issuer. */
  realm: string
  /** The usage ledger's options; false: no ledger, nothing is counted (benchmarks). */
  usageLedger: { flushIntervalMs?: number; retentionDays?: number } | false
}

/** The transition workflow of an instance (docs/TRANSITION.md), wired together. */
export interface Transition {
  /** Counts core API calls; undefined when turned off. */
  ledger: UsageLedger | undefined
  settings: TransitionSettings
  reports: TransitionReports
  revoker: TransitionRevoker
  audit: AuditLog
  /** What to tell each API-key call: deprecation headers, or a refusal during a brownout. */
  apiKeySignals: ReturnType<typeof createApiKeySignals>
}

/** Loads the settings and, unless turned off, starts the usage ledger's timer. */
export async function createTransition(options: TransitionOptions): Promise<Transition> {
  const { store, clock, apiKeys, realm } = options
  const settings = new TransitionSettings({ store })
  await settings.load()
  const ledger = options.usageLedger === false ? undefined : await startLedger(options, options.usageLedger)
  // A report, and above all a revoke, must not miss a call this node has counted but not yet written.
  const read = createSnapshotReader({ store, clock, flush: ledger && (() => ledger.flush()) })
  const audit = new AuditLog({ store, clock })
  return {
    ledger,
    settings,
    reports: new TransitionReports({ read, settings, clock }),
    revoker: new TransitionRevoker({ read, settings, apiKeys, audit, clock }),
    audit,
    apiKeySignals: createApiKeySignals({ settings, clock, realm }),
  }
}

async function startLedger(
  { store, clock, logger }: TransitionOptions,
  ledgerOptions: { flushIntervalMs?: number; retentionDays?: number },
): Promise<UsageLedger> {
  // The first ledger of the store says since when calls are counted; later ones keep its date.
  await store.getOrInitSetting(COUNTED_SINCE_SETTING, String(clock.now()))
  const ledger = new UsageLedger({ store, clock, logger, ...ledgerOptions })
  ledger.start()
  return ledger
}

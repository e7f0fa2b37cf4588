import type { Clock } from '../contract/clock.ts'
import type { AuditEntryRecord } from '../contract/records.ts'
import type { AuditVia } from '../contract/wire.ts'
import type { Store } from '../store/store.ts'

export interface AuditedAction {
  actor: string
  action: 'api_key.revoke'
  subjectId: string
  subjectName: string | null
  forced: boolean
  /** The endpoint it came through. */
  via: AuditVia
}

type AuditStore = Pick<Store, 'insertAuditEntries' | 'listAuditEntries'>

/** Who did what to which key, when: written before the answer, read newest last. */
export class AuditLog {
  readonly #store: AuditStore
  readonly #clock: Clock

  constructor({ store, clock }: { store: AuditStore; clock: Clock }) {
    this.#store = store
    this.#clock = clock
  }

  async record(actions: readonly AuditedAction[]): Promise<void> {
    const at = this.#clock.now()
    await this.#store.insertAuditEntries(actions.map((a) => ({ ...a, at })))
  }

  list(): Promise<AuditEntryRecord[]> {
    return this.#store.listAuditEntries()
  }
}

import type { Principal } from '../auth/principal.ts'

/**
 * Counts each authorized call for the transition's usage ledger (docs/TRANSITION.md): a few Map
 * operations, no I/O. transition/usage-ledger.ts implements it; every route of the core API (the
 * resources, the records under them, GraphQL) counts through it.
 */
export interface UsageRecorder {
  record(
    principal: Pick<Principal, 'kind' | 'id'>,
    resource: string,
    action: string,
    origin: { remoteAddress: string | undefined; userAgent: string | undefined },
  ): void
}

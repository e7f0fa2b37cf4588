/**
 * The transition's reports (docs/TRANSITION.md) as the services make them: records and epoch
 * milliseconds, no wire names. views.ts turns each into its answer of `/admin/v1/transition/…`.
 */
import type { ApiKeyRecord, PrincipalUseRecord } from './records.ts'
import type { CountedFrom, KeyCategory, PlanAction, TransitionState } from './wire.ts'

/** Calls of one resource × action. */
export interface ActionCount {
  resource: string
  action: string
  calls: number
}

/** One key of the review: who it is, its last use, its calls and what it touched. */
export interface KeyReview {
  key: ApiKeyRecord
  lastUse: PrincipalUseRecord | undefined
  calls: { last1d: number; last7d: number; last30d: number }
  /** Every resource × action called in the last 30 days, most calls first. */
  usage: ActionCount[]
  category: KeyCategory
}

export interface ReviewReport {
  generatedAt: number
  keys: KeyReview[]
}

/** The client a plan entry makes (`replace`) or links (`link`: `clientId` is the existing client's). */
export interface PlannedClient {
  name: string
  login: string
  /** The Identifier of the existing client; only with `link`. */
  clientId?: string
}

/** What the plan does with one key: a new least-privilege client, an existing one, revoke, or nothing yet. */
export interface KeyPlan {
  key: ApiKeyRecord
  action: PlanAction
  /** 1: master data only; 2: transactional too; null for a key to revoke or one to skip unused. */
  phase: 1 | 2 | null
  /** The least-privilege scopes for what the key called (sorted, no repeats). */
  scopes: string[]
  client: PlannedClient | null
  reason: string
}

export interface PlanReport {
  generatedAt: number
  keys: KeyPlan[]
}

/** Where one key stands in the move, and why. */
export interface KeyStatus {
  key: ApiKeyRecord
  state: TransitionState
  replacementClientName: string | null
  firstOAuthCallAt: number | null
  lastKeyCallAt: number | null
  /** When the key became ready_to_revoke (a time that never comes: Infinity). */
  readyAt: number | null
  reason: string
}

export interface StatusReport {
  generatedAt: number
  quietPeriodSeconds: number
  keys: KeyStatus[]
}

/** The calls of a key that a revoke would fail from now on, and since when they are counted. */
export interface CallsThatWouldFail {
  countedFrom: CountedFrom
  /** At most 7 days back: the client's first call, or 7 days ago. */
  countedSince: number
  calls7d: number
  usage7d: ActionCount[]
}

/** One key of a revoke: its state and why, whether it was (or would be) revoked, the calls that would fail. */
export interface KeyRevoke extends CallsThatWouldFail {
  /** After a revoke, the revoked record. */
  key: ApiKeyRecord
  state: TransitionState
  /** Why the key is in its state (keyStatus). */
  reason: string
  revoked: boolean
  /** Why the key was not revoked; null when it was (or, in a dry run, would be). */
  refused: string | null
}

export interface RevokeReport {
  dryRun: boolean
  results: KeyRevoke[]
}

/** API-key calls and OAuth calls of one UTC day. */
export interface DayUsage {
  /** 00:00 UTC of the day. */
  day: number
  apiKeyCalls: number
  oauthCalls: number
}

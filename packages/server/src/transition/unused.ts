import type { ApiKeyRecord } from '../contract/records.ts'
import { DAY, UNUSED_DAYS } from './time.ts'

/**
 * When the key counts as unused (no call for 30 days), proven by what the ledger saw:
 * - called: 30 days after its last call;
 * - never called, made after counting began: from its creation, its whole life was watched;
 * - never called, made before counting began: 30 days after counting began, since calls before
 *   that were not seen. An upgraded instance must not call every old key unused on its first day.
 * Infinity while no ledger has ever counted (`countedSince` Infinity).
 */
export function unusedFrom(
  key: Pick<ApiKeyRecord, 'createdAt'>,
  lastCallAt: number | null,
  countedSince: number,
): number {
  if (lastCallAt !== null) return lastCallAt + UNUSED_DAYS * DAY
  if (key.createdAt >= countedSince) return key.createdAt
  return countedSince + UNUSED_DAYS * DAY
}

/**
 * Records and reports as the admin API shows them: the one mapping from the server's shapes
 * (camelCase, epoch milliseconds) to the wire (snake_case, ISO 8601). The admin routes answer with
 * these; nothing else builds a wire object. Never a secret, a key or a hash.
 */

import type { AuditEntryRecord, CustomFieldRecord } from './records.ts'
import {
  type ApiKeyRecord,
  apiKeyState,
  type OAuthClientRecord,
  type SigningKeyRecord,
  type TransitionSettingsRecord,
} from './records.ts'
import type {
  ActionCount,
  DayUsage,
  KeyPlan,
  KeyReview,
  KeyRevoke,
  KeyStatus,
  PlanReport,
  ReviewReport,
  RevokeReport,
  StatusReport,
} from './reports.ts'
import type {
  ApiKeyNotReadyProblem,
  ApiKeyView,
  AuditEntry,
  ClientView,
  CustomFieldView,
  Plan,
  PlanEntry,
  Problem,
  Review,
  ReviewEntry,
  RevokeAnswer,
  RevokeResult,
  SigningKeyView,
  Status,
  StatusEntry,
  TransitionSettingsView,
  UsagePerDay,
} from './wire.ts'

/** ISO 8601 for the wire; null (and a time that never comes, Infinity) is null. */
export function iso(at: number | null): string | null {
  return at === null || !Number.isFinite(at) ? null : new Date(at).toISOString()
}

/** ISO 8601 for the wire of a time that is always there: a NOT NULL column, the clock's now. */
export function isoAt(at: number): string {
  return new Date(at).toISOString()
}

/** An OAuth client: never its secret or the secret's hash. */
export function clientView(client: OAuthClientRecord): ClientView {
  return {
    id: client.id,
    name: client.name,
    grant_type: client.grantType,
    client_id: client.clientId,
    scopes: client.scopes,
    // The Oidc Scopes string to paste into the token request.
    scope: client.scopes.join(' '),
    login: client.login,
    contact_first_name: client.contactFirstName,
    contact_last_name: client.contactLastName,
    contact_email: client.contactEmail,
    active: client.active,
    created_at: isoAt(client.createdAt),
    updated_at: isoAt(client.updatedAt),
    previous_secret_expires_at: iso(client.previousSecretExpiresAt),
    tokens_revoked_at: iso(client.tokensRevokedAt),
  }
}

export function signingKeyView(
  key: Pick<SigningKeyRecord, 'kid' | 'createdAt' | 'retiredAt'>,
  currentKid: string,
): SigningKeyView {
  return {
    kid: key.kid,
    alg: 'ES256',
    created_at: isoAt(key.createdAt),
    retired_at: iso(key.retiredAt),
    active: key.kid === currentKid,
  }
}

/** An API key: never the key or its hash. */
export function apiKeyView(key: ApiKeyRecord, now: number): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    contact_first_name: key.contactFirstName,
    contact_last_name: key.contactLastName,
    contact_login: key.contactLogin,
    contact_email: key.contactEmail,
    expires_on: key.expiresOn,
    permissions: key.permissions,
    state: apiKeyState(key, now),
    revoked_at: iso(key.revokedAt),
    replacement_client_id: key.replacementClientId,
    deprecation_at: iso(key.deprecationAt),
    sunset_at: iso(key.sunsetAt),
    created_at: isoAt(key.createdAt),
    updated_at: isoAt(key.updatedAt),
  }
}

export function auditEntryView(entry: AuditEntryRecord): AuditEntry {
  return {
    at: isoAt(entry.at),
    actor: entry.actor,
    action: entry.action,
    subject_id: entry.subjectId,
    subject_name: entry.subjectName,
    forced: entry.forced,
    via: entry.via,
  }
}

export function settingsView(settings: TransitionSettingsRecord): TransitionSettingsView {
  return {
    quiet_period_seconds: settings.quietPeriodSeconds,
    deprecation_at: iso(settings.deprecationAt),
    sunset_at: iso(settings.sunsetAt),
    documentation_url: settings.documentationUrl,
    brownouts: settings.brownouts.map((b) => ({
      id: b.id,
      starts_at: isoAt(b.startsAt),
      ends_at: isoAt(b.endsAt),
      api_key_id: b.apiKeyId,
    })),
  }
}

export function reviewView(report: ReviewReport): Review {
  return { generated_at: isoAt(report.generatedAt), api_keys: report.keys.map((k) => reviewEntry(k, report)) }
}

function reviewEntry(review: KeyReview, report: ReviewReport): ReviewEntry {
  const { lastUse, calls } = review
  // Who the key is, as the API key's own view shows it.
  const { permissions, revoked_at, replacement_client_id, deprecation_at, sunset_at, updated_at, ...key } =
    apiKeyView(review.key, report.generatedAt)
  return {
    ...key,
    last_used_at: iso(lastUse?.lastAt ?? null),
    last_used_from: lastUse?.lastRemoteAddress ?? null,
    last_user_agent: lastUse?.lastUserAgent ?? null,
    calls: { last_1d: calls.last1d, last_7d: calls.last7d, last_30d: calls.last30d },
    usage: review.usage.map(({ resource, action, calls }) => ({ resource, action, calls_30d: calls })),
    category: review.category,
  }
}

export function planView(report: PlanReport): Plan {
  return { generated_at: isoAt(report.generatedAt), keys: report.keys.map(planEntry) }
}

function planEntry(plan: KeyPlan): PlanEntry {
  const { key, action, phase, scopes, client, reason } = plan
  return {
    api_key_id: key.id,
    api_key_name: key.name,
    action,
    phase,
    scopes,
    client: client && {
      name: client.name,
      login: client.login,
      ...(client.clientId !== undefined && { client_id: client.clientId }),
    },
    reason,
  }
}

export function statusView(report: StatusReport): Status {
  return {
    generated_at: isoAt(report.generatedAt),
    quiet_period_seconds: report.quietPeriodSeconds,
    keys: report.keys.map(statusEntry),
  }
}

function statusEntry(status: KeyStatus): StatusEntry {
  return {
    api_key_id: status.key.id,
    api_key_name: status.key.name,
    state: status.state,
    replacement_client_id: status.key.replacementClientId,
    replacement_client_name: status.replacementClientName,
    first_oauth_call_at: iso(status.firstOAuthCallAt),
    last_key_call_at: iso(status.lastKeyCallAt),
    ready_at: iso(status.readyAt),
    reason: status.reason,
  }
}

export function revokeView(report: RevokeReport): RevokeAnswer {
  return { dry_run: report.dryRun, results: report.results.map(revokeResult) }
}

function revokeResult(result: KeyRevoke): RevokeResult {
  return {
    api_key_id: result.key.id,
    api_key_name: result.key.name,
    state: result.state,
    revoked: result.revoked,
    refused: result.refused,
    ...wouldFail(result),
  }
}

function wouldFail(
  result: KeyRevoke,
): Pick<RevokeResult, 'calls_7d' | 'usage_7d' | 'counted_from' | 'counted_since'> {
  return {
    calls_7d: result.calls7d,
    usage_7d: result.usage7d.map(({ resource, action, calls }: ActionCount) => ({
      resource,
      action,
      calls_7d: calls,
    })),
    counted_from: result.countedFrom,
    counted_since: isoAt(result.countedSince),
  }
}

/**
 * The extension members of the 409 that refuses to revoke a key that is not ready: everything of
 * ApiKeyNotReadyProblem but the problem's own members, which the admin error handler adds.
 */
export function keyNotReadyMembers(result: KeyRevoke): Omit<ApiKeyNotReadyProblem, keyof Problem> {
  return {
    api_key_id: result.key.id,
    api_key_name: result.key.name,
    state: result.state,
    reason: result.reason,
    ...wouldFail(result),
  }
}

export function usagePerDayView(days: readonly DayUsage[]): UsagePerDay {
  return {
    days: days.map((d) => ({
      day: isoAt(d.day).slice(0, 10),
      api_key_calls: d.apiKeyCalls,
      oauth_calls: d.oauthCalls,
    })),
  }
}

export function customFieldView(field: CustomFieldRecord): CustomFieldView {
  return {
    id: field.id,
    resource: field.resource,
    name: field.name.replaceAll('_', '-'),
    label: field.label,
    type: field.type,
    values: field.values === null ? null : [...field.values],
    required: field.required,
    active: field.active,
    created_at: new Date(field.createdAt).toISOString(),
    updated_at: new Date(field.updatedAt).toISOString(),
  }
}

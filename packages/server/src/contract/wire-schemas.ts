/**
 * The admin API's answers (wire.ts) as zod schemas: what its OpenAPI description
 * (admin/openapi.ts) says of each answer, and what the tests check real answers against.
 *
 * Each schema is declared through `exactly<WireType>()`, which fails the typecheck unless the
 * schema's output is exactly that wire type: a field added to wire.ts without its schema, or to a
 * schema without wire.ts, does not compile. Objects are strict (`additionalProperties: false`), so
 * an answer with a field the schema does not name fails validation too.
 *
 * wire.ts stays free of imports (packages/web type-checks it alone): this file imports it, never the
 * reverse.
 */
import { z } from 'zod'
import type * as Wire from './wire.ts'

/** True only when A and B are the same type: not merely assignable one way or both. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** Where a schema's output differs from its wire type, the typecheck names both. */
interface SchemaMismatch<Output, Expected> {
  'the schema does not give exactly its wire type': { schema: Output; wire: Expected }
}

/** `exactly<ClientView>()(z.strictObject({…}))`: the schema, if its output is exactly `W`. */
function exactly<W>() {
  return <S extends z.ZodType>(
    schema: S & (Equal<z.output<S>, W> extends true ? unknown : SchemaMismatch<z.output<S>, W>),
  ): S => schema
}

const time = z.iso.datetime()
const nullableTime = time.nullable()
const count = z.number().int().min(0)

export const problem = exactly<Wire.Problem>()(
  z.strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('Field → messages, when the body was wrong (`{"name": ["is required"]}`).'),
  }),
)

export const sessionView = exactly<Wire.SessionView>()(
  z.strictObject({
    username: z.string(),
    csrf_token: z.string().describe('Sent back as `X-CSRF-Token` with every change.'),
    expires_at: time,
  }),
)

// OAuth clients

/** An OAuth client's Identifier. */
const identifier = z.string().regex(/^[0-9a-f]{32}$/)

export const clientView = exactly<Wire.ClientView>()(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    grant_type: z.literal('client_credentials'),
    client_id: identifier.describe('The Identifier: 32 hex characters.'),
    scopes: z.array(z.string()),
    scope: z.string().describe('The Oidc Scopes string for the token request: `scopes` joined by spaces.'),
    login: z.string(),
    contact_first_name: z.string().nullable(),
    contact_last_name: z.string().nullable(),
    contact_email: z.string().nullable(),
    active: z.boolean(),
    created_at: time,
    updated_at: time,
    previous_secret_expires_at: nullableTime.describe(
      'Until when the secret before the last rotation is still accepted; null: it no longer is.',
    ),
    tokens_revoked_at: nullableTime.describe(
      'Every token issued at or before this instant is refused for good, even once the client is active again (deactivation, `…/tokens/revoke`, a rotation with `revoke_tokens`); null: none.',
    ),
  }),
)

export const createdClientView = exactly<Wire.CreatedClientView>()(
  clientView.extend({ client_secret: z.string().describe('Shown once, in this answer only.') }),
)

export const clientList = exactly<Wire.ClientList>()(z.strictObject({ clients: z.array(clientView) }))

export const rotatedSecret = exactly<Wire.RotatedSecret>()(
  z.strictObject({
    client_secret: z.string(),
    previous_secret_expires_at: nullableTime,
    tokens_revoked_at: nullableTime.describe(
      "The client's cut-off: with `revoke_tokens`, this rotation's instant; null when none was ever set.",
    ),
  }),
)

// Scopes and signing keys

export const scopeView = exactly<Wire.ScopeView>()(
  z.strictObject({
    name: z.string(),
    description: z.string(),
    object: z.string(),
    service: z.enum([
      'core',
      'travel_booking',
      'treasury',
      'quality_collaboration',
      'riskassess',
      'oidc',
    ] as const satisfies readonly Wire.ScopeService[]),
    actions: z.array(z.string()).describe('`resource#action` pairs of the core API this scope grants.'),
  }),
)

export const scopeList = exactly<Wire.ScopeList>()(z.strictObject({ scopes: z.array(scopeView) }))

export const signingKeyView = exactly<Wire.SigningKeyView>()(
  z.strictObject({
    kid: z.string(),
    alg: z.string(),
    created_at: time,
    retired_at: nullableTime,
    active: z.boolean().describe('The key that signs new tokens; the others only verify.'),
  }),
)

export const signingKeyList = exactly<Wire.SigningKeyList>()(
  z.strictObject({ keys: z.array(signingKeyView) }),
)

export const rotatedSigningKey = exactly<Wire.RotatedSigningKey>()(
  z.strictObject({ kid: z.string(), keys: z.array(signingKeyView) }),
)

// Legacy API keys

const apiKeyState = exactly<Wire.ApiKeyState>()(z.enum(['active', 'expired', 'revoked']))

export const apiKeyView = exactly<Wire.ApiKeyView>()(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    contact_first_name: z.string().nullable(),
    contact_last_name: z.string().nullable(),
    contact_login: z.string(),
    contact_email: z.string(),
    expires_on: z.iso.date().nullable().describe('The key stops working at 00:00 UTC that day; null: never.'),
    permissions: z
      .array(z.string())
      .nullable()
      .describe('`resource#action` pairs; null or empty: every API.'),
    state: apiKeyState,
    revoked_at: nullableTime,
    replacement_client_id: z.string().nullable(),
    deprecation_at: nullableTime.describe("This key's Deprecation date; null: the instance's applies."),
    sunset_at: nullableTime.describe("This key's Sunset date; null: the instance's applies."),
    created_at: time,
    updated_at: time,
  }),
)

export const createdApiKeyView = exactly<Wire.CreatedApiKeyView>()(
  apiKeyView.extend({ key: z.string().describe('The key itself: shown once, in this answer only.') }),
)

export const apiKeyList = exactly<Wire.ApiKeyList>()(z.strictObject({ api_keys: z.array(apiKeyView) }))

// Integration history

export const integrationHistory = exactly<Wire.IntegrationHistory>()(
  z.strictObject({
    resource: z.string(),
    id: z.number().int(),
    entries: z.array(
      exactly<Wire.IntegrationHistoryEntry>()(
        z.strictObject({
          at: time,
          by: z.string().describe("The client's login, or the API key's contact login."),
          via: z.enum(['oauth_client', 'api_key']),
          action: z.string().describe('`create`, `update`, `export`, or the name of a custom action.'),
        }),
      ),
    ),
  }),
)

// The transition (docs/TRANSITION.md)

const calls = z.strictObject({ last_1d: count, last_7d: count, last_30d: count })

export const review = exactly<Wire.Review>()(
  z.strictObject({
    generated_at: time,
    api_keys: z.array(
      exactly<Wire.ReviewEntry>()(
        apiKeyView
          .pick({
            id: true,
            name: true,
            description: true,
            contact_first_name: true,
            contact_last_name: true,
            contact_login: true,
            contact_email: true,
            created_at: true,
            expires_on: true,
            state: true,
          })
          .extend({
            last_used_at: nullableTime,
            last_used_from: z.string().nullable(),
            last_user_agent: z.string().nullable(),
            calls,
            usage: z
              .array(z.strictObject({ resource: z.string(), action: z.string(), calls_30d: count }))
              .describe('Every resource × action called in the last 30 days, most calls first.'),
            category: exactly<Wire.KeyCategory>()(z.enum(['unused', 'master_data', 'transactional', 'both'])),
          }),
      ),
    ),
  }),
)

export const plan = exactly<Wire.Plan>()(
  z.strictObject({
    generated_at: time,
    keys: z.array(
      exactly<Wire.PlanEntry>()(
        z.strictObject({
          api_key_id: z.string(),
          api_key_name: z.string(),
          action: exactly<Wire.PlanAction>()(z.enum(['replace', 'link', 'revoke', 'skip'])),
          phase: z
            .literal([1, 2])
            .nullable()
            .describe('1: master data only; 2: transactional too; null for a key to revoke or skip.'),
          scopes: z.array(z.string()),
          client: exactly<Wire.PlanClient>()(
            z.strictObject({
              name: z.string(),
              login: z.string(),
              client_id: identifier
                .optional()
                .describe(
                  'Only with `link`: the existing client to link (`PUT /api-keys/{id}/replacement`).',
                ),
            }),
          ).nullable(),
          reason: z.string(),
        }),
      ),
    ),
  }),
)

const transitionState = exactly<Wire.TransitionState>()(
  z.enum(['in_use', 'migrating', 'ready_to_revoke', 'revoked']),
)

export const status = exactly<Wire.Status>()(
  z.strictObject({
    generated_at: time,
    quiet_period_seconds: count,
    keys: z.array(
      exactly<Wire.StatusEntry>()(
        z.strictObject({
          api_key_id: z.string(),
          api_key_name: z.string(),
          state: transitionState,
          replacement_client_id: z.string().nullable(),
          replacement_client_name: z.string().nullable(),
          first_oauth_call_at: nullableTime,
          last_key_call_at: nullableTime,
          ready_at: nullableTime.describe('When the key became ready_to_revoke.'),
          reason: z.string().describe('Why the key is in its state.'),
        }),
      ),
    ),
  }),
)

export const usagePerDay = exactly<Wire.UsagePerDay>()(
  z.strictObject({
    days: z.array(
      exactly<Wire.UsageDay>()(
        z.strictObject({ day: z.iso.date(), api_key_calls: count, oauth_calls: count }),
      ),
    ),
  }),
)

export const auditList = exactly<Wire.AuditList>()(
  z.strictObject({
    entries: z.array(
      exactly<Wire.AuditEntry>()(
        z.strictObject({
          at: time,
          actor: z.string().describe('The admin user who did it.'),
          action: z.string().describe('`api_key.revoke`'),
          subject_id: z.string(),
          subject_name: z.string().nullable(),
          forced: z.boolean().describe('Done although the subject was not ready for it.'),
          via: exactly<Wire.AuditVia>()(z.enum(['transition', 'api_keys']))
            .nullable()
            .describe(
              'The endpoint: `transition` (`POST /transition/revoke`) or `api_keys` (`POST /api-keys/{id}/revoke`); null for entries written before it was recorded.',
            ),
        }),
      ),
    ),
  }),
)

export const transitionSettingsView = exactly<Wire.TransitionSettingsView>()(
  z.strictObject({
    quiet_period_seconds: count,
    deprecation_at: nullableTime,
    sunset_at: nullableTime,
    documentation_url: z.string().nullable(),
    brownouts: z.array(
      exactly<Wire.BrownoutView>()(
        z.strictObject({
          id: z.string(),
          starts_at: time,
          ends_at: time.describe('Exclusive.'),
          api_key_id: z.string().nullable().describe("One key's brownout; null: every key's."),
        }),
      ),
    ),
  }),
)

/** The calls a revoke would fail from now on, and since when they are counted (transition/would-fail.ts). */
const wouldFail = {
  calls_7d: count,
  usage_7d: z.array(
    exactly<Wire.RevokeUsage>()(
      z.strictObject({ resource: z.string(), action: z.string(), calls_7d: count }),
    ),
  ),
  counted_from: exactly<Wire.CountedFrom>()(z.enum(['client_first_call', 'last_7_days'])).describe(
    "`client_first_call`: the key's calls since its replacement client's first call (within 7 days); `last_7_days`: every call of the last 7 days.",
  ),
  counted_since: time.describe(
    'The start of the count; the ledger counts per hour, so the hour containing it counts whole unless the key was last called before it.',
  ),
}

export const revokeAnswer = exactly<Wire.RevokeAnswer>()(
  z.strictObject({
    dry_run: z.boolean(),
    results: z.array(
      exactly<Wire.RevokeResult>()(
        z.strictObject({
          api_key_id: z.string(),
          api_key_name: z.string(),
          state: transitionState,
          revoked: z.boolean(),
          refused: z
            .string()
            .nullable()
            .describe('Why the key was not revoked; null when it was (or would be).'),
          ...wouldFail,
        }),
      ),
    ),
  }),
)

export const apiKeyNotReadyProblem = exactly<Wire.ApiKeyNotReadyProblem>()(
  problem
    .extend({
      api_key_id: z.string(),
      api_key_name: z.string(),
      state: transitionState,
      reason: z.string().describe('Why the key is in its state.'),
      ...wouldFail,
    })
    .describe(
      'A key that is not ready_to_revoke, revoked without `"force": true`: nothing was revoked. RFC 9457 problem details with extension members.',
    ),
)

// Custom fields

export const customFieldView = exactly<Wire.CustomFieldView>()(
  z.strictObject({
    id: z.string(),
    resource: z.string().describe('The resource whose records carry it: `invoices`.'),
    name: z.string().describe('Dashed, as records show it under `custom-fields`: `erp-vendor-id`.'),
    label: z.string(),
    type: z.enum(['string', 'integer', 'boolean', 'date', 'lookup']),
    values: z.array(z.string()).nullable().describe("A lookup's allowed values; null for other types."),
    required: z.boolean().describe('Must be given when a record is created.'),
    active: z.boolean().describe('Inactive fields are neither shown nor accepted; stored values are kept.'),
    created_at: time,
    updated_at: time,
  }),
)

export const customFieldList = exactly<Wire.CustomFieldList>()(
  z.strictObject({ custom_fields: z.array(customFieldView) }),
)

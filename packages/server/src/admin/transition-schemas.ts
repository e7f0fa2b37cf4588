/** Bodies of the transition admin API (docs/TRANSITION.md); parsed with `parseBody` (schemas.ts). */
import { z } from 'zod'
import { ValidationError } from '../contract/errors.ts'
import {
  checkedDocumentationUrl,
  DOCUMENTATION_URL_FORMAT,
  DOCUMENTATION_URL_MAX_LENGTH,
} from '../transition/settings.ts'

const MAX_QUIET_PERIOD_SECONDS = 365 * 86_400

/** An ISO 8601 time with its offset, read as epoch milliseconds. */
const time = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
  .pipe(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-12-01T00:00:00Z' }))
  .transform((value) => Date.parse(value))
  // What the request reads (the document shows the input): the checked string, not the number.
  .meta({ format: 'date-time' })

/**
 * The URL the `Link` header of API-key calls carries: checked as transition/settings.ts says (https,
 * nothing that ends a header parameter) and read as it will be sent, percent-encoded.
 */
const documentationUrl = z
  .string({ error: DOCUMENTATION_URL_FORMAT })
  .max(DOCUMENTATION_URL_MAX_LENGTH, `must be at most ${DOCUMENTATION_URL_MAX_LENGTH} characters`)
  .transform((value, context) => {
    try {
      return checkedDocumentationUrl(value)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      for (const message of error.errors.documentation_url ?? [])
        context.addIssue({ code: 'custom', message })
      return z.NEVER
    }
  })
  .meta({ format: 'uri' })

export const replacementBody = z.strictObject({
  client_id: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'is required (null unlinks)'
          : 'must be the client_id of an OAuth client, or null',
    })
    .nullable(),
})

export const signalsBody = z
  .strictObject({ deprecation_at: time.nullable(), sunset_at: time.nullable() })
  .partial()

const brownout = z.strictObject({
  // A brownout read from GET may be sent back as it is: its id is ignored, ids are assigned anew.
  id: z.string().optional(),
  starts_at: time,
  ends_at: time,
  api_key_id: z.string().nullable().optional(),
})

export const settingsBody = z
  .strictObject({
    quiet_period_seconds: z
      .number({ error: `must be a whole number of seconds from 1 to ${MAX_QUIET_PERIOD_SECONDS}` })
      .int(`must be a whole number of seconds from 1 to ${MAX_QUIET_PERIOD_SECONDS}`)
      .min(1, `must be a whole number of seconds from 1 to ${MAX_QUIET_PERIOD_SECONDS}`)
      .max(
        MAX_QUIET_PERIOD_SECONDS,
        `must be a whole number of seconds from 1 to ${MAX_QUIET_PERIOD_SECONDS}`,
      ),
    deprecation_at: time.nullable(),
    sunset_at: time.nullable(),
    documentation_url: documentationUrl.nullable(),
    brownouts: z.array(brownout, { error: 'must be a list of {starts_at, ends_at, api_key_id}' }),
  })
  .partial()

/** `POST /admin/v1/api-keys/:id/revoke`: the body may be left out. */
export const apiKeyRevokeBody = z
  .strictObject({
    force: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .describe('Revoke the key even when it is not ready_to_revoke (the audit log says forced).'),
  })
  .optional()
  .transform((body) => ({ force: body?.force ?? false }))

export const revokeBody = z
  .strictObject({
    api_key_ids: z
      .array(z.string(), { error: 'must be a list of API key ids' })
      .min(1, 'name at least one key'),
    all_ready: z.boolean({ error: 'must be true or false' }),
    dry_run: z.boolean({ error: 'must be true or false' }).default(false),
    force: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .partial({ api_key_ids: true, all_ready: true })
  .refine((body) => (body.api_key_ids !== undefined) !== (body.all_ready === true), {
    message: 'send either api_key_ids or "all_ready": true',
    path: ['api_key_ids'],
  })

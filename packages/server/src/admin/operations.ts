/**
 * Every operation of the admin API (`/admin/v1`), in one table: what its OpenAPI description
 * (openapi.ts) is built from. packages/server/test/openapi.test.ts checks that it describes every
 * route the server registers and no other, each operation named after its route's handler, and that
 * each operation answers as described.
 */
import type { ANSWERS, BODIES } from './named-schemas.ts'

/**
 * Who may call: `admin` is an admin user by HTTP Basic or the Setup pages' session cookie (with
 * its CSRF token for a change); `session` the cookie only; `none` anyone.
 */
export type Access = 'admin' | 'session' | 'none'

export interface AdminOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Under /admin/v1, path parameters as `{id}`. */
  path: string
  /** The name of the route's handler. */
  operationId: string
  summary: string
  tag: string
  access: Access
  body?: keyof typeof BODIES
  answer: { status: 200 | 201 | 204; schema?: keyof typeof ANSWERS }
  /**
   * Refusals besides those that follow from the access, the body and the path parameters: a status
   * (its common description, the Problem schema), or one that this operation describes itself.
   */
  problems?: Array<number | OwnProblem>
}

/** A refusal with its own meaning and body: a problem schema with extension members. */
export interface OwnProblem {
  status: number
  description: string
  schema: keyof typeof ANSWERS
}

const ok = (schema: keyof typeof ANSWERS) => ({ status: 200, schema }) as const
const created = (schema: keyof typeof ANSWERS) => ({ status: 201, schema }) as const

/** The operations of one tag, each open to admin users unless it says otherwise. */
function tagged(
  tag: string,
  operations: ReadonlyArray<Omit<AdminOperation, 'tag' | 'access'> & { access?: Access }>,
): AdminOperation[] {
  return operations.map((operation) => ({ access: 'admin', ...operation, tag }))
}

export const ADMIN_OPERATIONS: readonly AdminOperation[] = [
  ...tagged('Session', [
    {
      method: 'POST',
      path: '/session',
      operationId: 'signIn',
      summary: 'Sign in to the Setup pages: sets the HttpOnly session cookie, answers its CSRF token',
      access: 'none',
      body: 'SignIn',
      answer: created('SessionView'),
      problems: [401, 429],
    },
    {
      method: 'GET',
      path: '/session',
      operationId: 'currentSession',
      summary: "The session of the request's cookie",
      access: 'session',
      answer: ok('SessionView'),
    },
    {
      method: 'DELETE',
      path: '/session',
      operationId: 'signOut',
      summary: 'Sign out: ends the session and clears its cookie',
      access: 'session',
      answer: { status: 204 },
    },
  ]),
  ...tagged('Instance', [
    {
      method: 'GET',
      path: '/openapi.json',
      operationId: 'adminOpenApiDocument',
      summary: 'This description of the admin API',
      access: 'none',
      answer: ok('OpenApiDocument'),
    },
    {
      method: 'GET',
      path: '/scopes',
      operationId: 'listScopes',
      summary: 'Every scope, with the core API actions it grants',
      answer: ok('ScopeList'),
    },
    {
      method: 'GET',
      path: '/signing-keys',
      operationId: 'listSigningKeys',
      summary: 'The keys that sign and verify access tokens',
      answer: ok('SigningKeyList'),
    },
    {
      method: 'POST',
      path: '/signing-keys/rotate',
      operationId: 'rotateSigningKey',
      summary: 'Make a new signing key; the old one still verifies',
      answer: ok('RotatedSigningKey'),
    },
    {
      method: 'GET',
      path: '/integration-history/{resource}/{id}',
      operationId: 'integrationHistory',
      summary: 'Which client or API key created and changed a core API record',
      answer: ok('IntegrationHistory'),
    },
  ]),
  ...tagged('OAuth clients', [
    {
      method: 'POST',
      path: '/oauth2/clients',
      operationId: 'createClient',
      summary: 'Create an OAuth client: the only answer that carries its secret',
      body: 'NewClient',
      answer: created('CreatedClientView'),
      problems: [409],
    },
    {
      method: 'GET',
      path: '/oauth2/clients',
      operationId: 'listClients',
      summary: 'Every OAuth client',
      answer: ok('ClientList'),
    },
    {
      method: 'GET',
      path: '/oauth2/clients/{id}',
      operationId: 'showClient',
      summary: 'One OAuth client, by id or client_id',
      answer: ok('ClientView'),
    },
    {
      method: 'PATCH',
      path: '/oauth2/clients/{id}',
      operationId: 'updateClient',
      summary: 'Change a client: a field left out is unchanged',
      body: 'ClientChanges',
      answer: ok('ClientView'),
    },
    {
      method: 'POST',
      path: '/oauth2/clients/{id}/activate',
      operationId: 'activateClient',
      summary: 'Let the client get tokens again',
      answer: ok('ClientView'),
    },
    {
      method: 'POST',
      path: '/oauth2/clients/{id}/deactivate',
      operationId: 'deactivateClient',
      summary: 'Refuse the client, and its tokens for good (they stay refused once it is active again)',
      answer: ok('ClientView'),
    },
    {
      method: 'POST',
      path: '/oauth2/clients/{id}/tokens/revoke',
      operationId: 'revokeClientTokens',
      summary: 'Refuse for good every token issued to the client so far; it stays active and gets new ones',
      answer: ok('ClientView'),
    },
    {
      method: 'POST',
      path: '/oauth2/clients/{id}/secret',
      operationId: 'rotateClientSecret',
      summary:
        'A new secret, shown once; the old one lasts the grace period; revoke_tokens: its tokens go too',
      body: 'SecretRotation',
      answer: ok('RotatedSecret'),
    },
  ]),
  ...tagged('API keys', [
    {
      method: 'POST',
      path: '/api-keys',
      operationId: 'createApiKey',
      summary: 'Create a legacy API key: the only answer that carries the key',
      body: 'NewApiKey',
      answer: created('CreatedApiKeyView'),
      problems: [409],
    },
    {
      method: 'GET',
      path: '/api-keys',
      operationId: 'listApiKeys',
      summary: 'Every legacy API key',
      answer: ok('ApiKeyList'),
    },
    {
      method: 'GET',
      path: '/api-keys/{id}',
      operationId: 'showApiKey',
      summary: 'One API key',
      answer: ok('ApiKeyView'),
    },
    {
      method: 'POST',
      path: '/api-keys/{id}/revoke',
      operationId: 'revokeApiKey',
      summary: 'Revoke the key if ready_to_revoke, or with force (written to the audit log)',
      body: 'ApiKeyRevokeRequest',
      answer: ok('ApiKeyView'),
      problems: [
        {
          status: 409,
          description:
            'The key is not ready_to_revoke and `force` was not sent: nothing was revoked; the body gives its state, why, and the calls that would fail',
          schema: 'ApiKeyNotReadyProblem',
        },
      ],
    },
    {
      method: 'PUT',
      path: '/api-keys/{id}/replacement',
      operationId: 'setApiKeyReplacement',
      summary: 'The OAuth client that replaces the key (null unlinks)',
      body: 'ApiKeyReplacement',
      answer: ok('ApiKeyView'),
    },
    {
      method: 'PUT',
      path: '/api-keys/{id}/signals',
      operationId: 'setApiKeySignals',
      summary: "This key's Deprecation and Sunset dates, over the instance's",
      body: 'ApiKeySignals',
      answer: ok('ApiKeyView'),
    },
  ]),
  ...tagged('Transition', [
    {
      method: 'GET',
      path: '/transition/review',
      operationId: 'transitionReview',
      summary: 'Every API key: who, last use, what it touched',
      answer: ok('Review'),
    },
    {
      method: 'GET',
      path: '/transition/plan',
      operationId: 'transitionPlan',
      summary: 'The OAuth client for each key in use, or revoke',
      answer: ok('Plan'),
    },
    {
      method: 'GET',
      path: '/transition/status',
      operationId: 'transitionStatus',
      summary: 'Per key: in_use, migrating, ready_to_revoke, revoked',
      answer: ok('Status'),
    },
    {
      method: 'GET',
      path: '/transition/usage',
      operationId: 'transitionUsage',
      summary: 'API-key calls against OAuth calls, per day for 30 days',
      answer: ok('UsagePerDay'),
    },
    {
      method: 'GET',
      path: '/transition/audit',
      operationId: 'transitionAudit',
      summary: 'Who revoked which key, and when',
      answer: ok('AuditList'),
    },
    {
      method: 'GET',
      path: '/transition/settings',
      operationId: 'transitionSettings',
      summary: "The instance's transition settings",
      answer: ok('TransitionSettingsView'),
    },
    {
      method: 'PUT',
      path: '/transition/settings',
      operationId: 'updateTransitionSettings',
      summary: 'Change the settings: a field left out is unchanged',
      body: 'TransitionSettingsChanges',
      answer: ok('TransitionSettingsView'),
    },
    {
      method: 'POST',
      path: '/transition/revoke',
      operationId: 'transitionRevoke',
      summary: 'Revoke the keys named, or every key ready_to_revoke (dry_run: only say which)',
      body: 'RevokeRequest',
      answer: ok('RevokeAnswer'),
    },
  ]),
  ...tagged('Custom fields', [
    {
      method: 'GET',
      path: '/custom-fields',
      operationId: 'listCustomFields',
      summary: 'Every custom field of every resource, active or not',
      answer: ok('CustomFieldList'),
    },
    {
      method: 'POST',
      path: '/custom-fields',
      operationId: 'createCustomField',
      summary: "Define a custom field: the resource's records carry it under custom-fields",
      body: 'NewCustomField',
      answer: created('CustomFieldView'),
      problems: [409],
    },
    {
      method: 'PATCH',
      path: '/custom-fields/{id}',
      operationId: 'updateCustomField',
      summary: "Change a custom field's label, lookup values, required or active",
      body: 'CustomFieldChanges',
      answer: ok('CustomFieldView'),
    },
    {
      method: 'POST',
      path: '/custom-fields/{id}/deactivate',
      operationId: 'deactivateCustomField',
      summary: 'Deactivate a custom field: no longer shown or accepted; stored values are kept',
      answer: ok('CustomFieldView'),
    },
  ]),
]

/** The transition endpoints of the admin API (docs/TRANSITION.md), one function per endpoint. */
import type {
  ApiKeyView,
  Plan,
  Review,
  RevokeAnswer,
  RevokeRequest,
  Status,
  TransitionSettingsView,
} from '@keyshift/server/admin-api'
import { type AdminApiOptions, adminRequest, createAdminApi } from '../admin/api.ts'

const BASE = '/admin/v1/transition'

/** Body of `PUT /admin/v1/transition/settings`: a field left out keeps its value; `brownouts` replaces the list. */
export interface SettingsChanges {
  quiet_period_seconds?: number
  deprecation_at?: string | null
  sunset_at?: string | null
  documentation_url?: string | null
  brownouts?: { starts_at: string; ends_at: string; api_key_id: string | null }[]
}

/** The admin API of one instance, with the transition endpoints. */
export function createTransitionApi(options: AdminApiOptions) {
  return {
    ...createAdminApi(options),
    review: () =>
      adminRequest<Review>(options, { method: 'GET', path: `${BASE}/review`, expect: 'api_keys' }),
    plan: () => adminRequest<Plan>(options, { method: 'GET', path: `${BASE}/plan`, expect: 'keys' }),
    status: () => adminRequest<Status>(options, { method: 'GET', path: `${BASE}/status`, expect: 'keys' }),
    revoke: (body: RevokeRequest) =>
      adminRequest<RevokeAnswer>(options, {
        method: 'POST',
        path: `${BASE}/revoke`,
        body,
        expect: 'results',
      }),
    settings: () =>
      adminRequest<TransitionSettingsView>(options, {
        method: 'GET',
        path: `${BASE}/settings`,
        expect: 'quiet_period_seconds',
      }),
    updateSettings: (changes: SettingsChanges) =>
      adminRequest<TransitionSettingsView>(options, {
        method: 'PUT',
        path: `${BASE}/settings`,
        body: changes,
        expect: 'quiet_period_seconds',
      }),
    /** Links the key to the client that replaces it (`client_id`: the 32 hex Identifier). */
    setReplacement: (apiKeyId: string, clientId: string | null) =>
      adminRequest<ApiKeyView>(options, {
        method: 'PUT',
        path: `/admin/v1/api-keys/${encodeURIComponent(apiKeyId)}/replacement`,
        body: { client_id: clientId },
        expect: 'id',
      }),
  }
}

export type TransitionApi = ReturnType<typeof createTransitionApi>

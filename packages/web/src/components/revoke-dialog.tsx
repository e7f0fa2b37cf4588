import { useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { count, STATE_LABELS, when } from '../format.ts'
import type { RevokeAnswer } from '../types.ts'
import { Dialog } from './dialog.tsx'
import { ErrorMessage } from './field.tsx'
import { useLoad } from './load.ts'

/**
 * Revokes one API key through the transition (POST /admin/v1/transition/revoke, in the audit log):
 * first a dry run shows what the key did in the last 7 days and whether it is ready; a key that is
 * not ready is revoked only with "Revoke anyway".
 */
export function RevokeDialog({ id, name, onDone }: { id: string; name: string; onDone: () => void }) {
  const preview = useLoad(() =>
    api<RevokeAnswer>('POST', '/transition/revoke', { api_key_ids: [id], dry_run: true }),
  )
  const [error, setError] = useState<string | null>(null)
  const revoke = async (force: boolean) => {
    try {
      const answer = await api<RevokeAnswer>('POST', '/transition/revoke', { api_key_ids: [id], force })
      if (answer.results[0]?.revoked) onDone()
      else setError(answer.results[0]?.refused ?? 'not revoked')
    } catch (failure) {
      setError(messageOf(failure))
    }
  }
  const result = preview.data?.results[0]
  return (
    <Dialog title={`Revoke API key ${name}?`} onClose={onDone}>
      <ErrorMessage message={error ?? preview.error} />
      {result ? (
        <div class="recent-use">
          <p>
            <strong>{count(result.calls_7d)}</strong>{' '}
            {result.counted_from === 'client_first_call'
              ? `calls since its client's first call (${when(result.counted_since)}), which would fail`
              : 'calls in the last 7 days, which would fail'}{' '}
            · transition state: {STATE_LABELS[result.state] ?? result.state}
          </p>
          {result.usage_7d.length > 0 && (
            <ul>
              {result.usage_7d.map((use) => (
                <li key={`${use.resource}#${use.action}`}>
                  <span class="mono">
                    {use.resource}#{use.action}
                  </span>
                  : {count(use.calls_7d)}
                </li>
              ))}
            </ul>
          )}
          {result.refused && (
            <p class="warning" role="alert">
              Not ready to revoke: {result.refused}
            </p>
          )}
        </div>
      ) : (
        <p>Loading its recent use…</p>
      )}
      <p>Integrations that still send this key get 401 at once. This cannot be undone.</p>
      <div class="buttons">
        {result && (
          <button type="button" class="danger" onClick={() => revoke(result.refused !== null)}>
            {result.refused ? 'Revoke anyway' : 'Revoke key'}
          </button>
        )}
        {/* biome-ignore lint/a11y/noAutofocus: a dialog that destroys starts on Cancel (HTML dialog focusing steps) */}
        <button type="button" onClick={onDone} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  )
}

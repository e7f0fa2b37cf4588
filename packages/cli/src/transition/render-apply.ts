/** Human output of `keyshift transition apply`: one line per key, then what became of the secrets. */
import { table } from '../output.ts'
import type { AgentEdit } from './agent-config.ts'
import type { KeyResult } from './apply.ts'
import { variablePrefix } from './secrets.ts'

function detail(result: KeyResult): string {
  const client = `client ${result.login ?? '?'}`
  switch (result.outcome) {
    case 'created':
      return result.linked
        ? `${client} (${result.client_id}) created, key linked to it`
        : `${client} (${result.client_id}) created, but the key was NOT linked: ${result.error ?? ''}`
    case 'exists':
      return `${client} already exists (an earlier apply?): skipped, its secret is not shown again`
    case 'revoke':
      return `apply never revokes: run \`keyshift transition revoke ${result.api_key_id}\` once status says ready_to_revoke`
    case 'skip':
      return 'skipped, as the plan says'
    case 'other_phase':
      return `phase ${result.phase ?? '-'}: not in this run`
    case 'failed':
      return `${client}: ${result.error ?? 'failed'}`
    case 'not_run':
      return 'not tried: the run stopped at the failure above'
  }
}

const LABEL: Record<KeyResult['outcome'], string> = {
  created: 'created',
  exists: 'exists',
  revoke: 'revoke',
  skip: 'skip',
  other_phase: 'later',
  failed: 'FAILED',
  not_run: 'not run',
}

export function formatApplyResults(results: KeyResult[]): string {
  if (results.length === 0) return 'The plan has no keys.\n'
  const rows = results.map((result) => [result.api_key_name, LABEL[result.outcome], detail(result)])
  return `${table(['KEY', 'RESULT', 'DETAIL'], rows)}\n`
}

export function formatAgentEdit(file: string, edit: AgentEdit): string {
  const lines = [`Agent configuration ${file}:`]
  for (const path of edit.added) lines.push(`  added    ${path}`)
  for (const path of edit.skipped) lines.push(`  skipped  ${path} (already there, left as it is)`)
  return `${lines.join('\n')}\n`
}

/** The variables the agent configuration now refers to, and how to flip each integration. */
export function formatNextSteps(integrations: string[]): string {
  if (integrations.length === 0) return ''
  const lines = integrations.map((integration) => {
    const prefix = variablePrefix(integration)
    return `  ${integration}: set ${prefix}_CLIENT_ID, ${prefix}_CLIENT_SECRET, ${prefix}_API_KEY (its current key) and ${prefix}_LOCAL_SECRET (openssl rand -hex 32)`
  })
  return [
    'Next, in the agent environment:',
    ...lines,
    'then point each integration at the agent, and flip `auth: api_key` to `auth: oauth` in its phase.',
    '',
  ].join('\n')
}

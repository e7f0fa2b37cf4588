/** Human output of `keyshift transition apply`: one line per key, then what became of the secrets. */
import { resolve } from 'node:path'
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
    case 'linked':
      return result.existing === true
        ? `${client} (${result.client_id}) already exists (an earlier apply?): key linked to it, its secret is not shown again`
        : `key linked to the existing ${client} (${result.client_id}); its secret is not known to apply`
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
  linked: 'linked',
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

/** What `formatNextSteps` says what to do next from. */
export interface NextSteps {
  /** The integrations added to the agent configuration now. */
  integrations: { integration: string; linked: boolean; client_id: string | undefined }[]
  /** The secrets file written now. */
  secretsFile: string | undefined
  agentConfig: string | undefined
  /** The env file the agent configuration names (absolute), if any. */
  envFile: string | undefined
}

function variableLines(next: NextSteps, where: string): string[] {
  if (next.integrations.length === 0) return []
  const lines = next.integrations.map(({ integration, linked, client_id }) => {
    const prefix = variablePrefix(integration)
    const client = linked
      ? `${prefix}_CLIENT_ID=${client_id ?? '…'}, ${prefix}_CLIENT_SECRET (the linked client's secret; lost? keyshift admin clients rotate-secret), `
      : ''
    return `  ${integration}: ${client}${prefix}_API_KEY (its current key) and ${prefix}_LOCAL_SECRET (openssl rand -hex 32)`
  })
  return [
    `Next, set in ${where}:`,
    ...lines,
    'then point each integration at the agent, and flip `auth: api_key` to `auth: oauth` in its phase.',
  ]
}

/** The command that starts the agent with the secrets just written. */
function agentLines(next: NextSteps): string[] {
  const secrets = next.secretsFile
  if (secrets === undefined) {
    return next.agentConfig === undefined
      ? []
      : ['Run the agent:', `  keyshift agent --config ${next.agentConfig}`]
  }
  if (next.agentConfig === undefined || next.envFile === undefined) {
    const config = next.agentConfig ?? 'keyshift.yaml'
    return ['Run the agent with the secrets:', `  keyshift agent --config ${config} --env-file ${secrets}`]
  }
  const run = `  keyshift agent --config ${next.agentConfig}`
  if (next.envFile === resolve(secrets)) {
    return [`Run the agent (${next.agentConfig} reads ${secrets}: env_file):`, run]
  }
  return [
    `${next.agentConfig} reads its secrets from ${next.envFile}: add the new ones to it, then run the agent`,
    '(or send a running agent SIGHUP):',
    `  cat ${secrets} >> ${next.envFile} && rm ${secrets}`,
    run,
  ]
}

/** The variables the agent configuration now refers to, how to flip each integration, how to run it. */
export function formatNextSteps(next: NextSteps): string {
  const where =
    next.envFile !== undefined
      ? next.envFile
      : next.secretsFile !== undefined
        ? next.secretsFile
        : 'the agent environment'
  const blocks = [variableLines(next, where), agentLines(next)].filter((lines) => lines.length > 0)
  if (blocks.length === 0) return ''
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`
}

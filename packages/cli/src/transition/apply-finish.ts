/**
 * After the clients of `apply` are created: their secrets written once (or printed once), the agent
 * configuration edited, and the summary. A step that fails does not stop the others: the secrets of
 * clients that exist now must not be lost.
 */
import { dirname, resolve } from 'node:path'
import type { CliError } from '../errors.ts'
import {
  type AgentConfigFile,
  type AgentEdit,
  addAgentEntry,
  ensureEnvFile,
  saveAgentConfig,
} from './agent-config.ts'
import type { KeyResult } from './apply.ts'
import { formatAgentEdit, formatApplyResults, formatNextSteps, type NextSteps } from './render-apply.ts'
import { type ClientSecret, type SecretsFile, secretLines, variablePrefix } from './secrets.ts'

export interface FinishOptions {
  secretsFile: SecretsFile | undefined
  agent: AgentConfigFile | undefined
}

export interface Finished {
  /** For `--json`. */
  answer: Record<string, unknown>
  text: string
  /** For stderr: the secrets were printed. */
  warning: string | undefined
  failures: CliError[]
}

export const PRINTED_SECRETS_WARNING =
  'warning: the client secrets above are shown only this once; store them now (e.g. in the agent environment). If one is lost, rotate it: keyshift admin clients rotate-secret <id>\n'

function secretsOf(results: KeyResult[]): ClientSecret[] {
  return results.flatMap((result) =>
    result.client_secret !== undefined && result.client_id !== undefined && result.integration !== undefined
      ? [
          {
            integration: result.integration,
            client_id: result.client_id,
            client_secret: result.client_secret,
          },
        ]
      : [],
  )
}

/** Writes the secrets to the file; false when they must be printed instead (no file, or it failed). */
async function storeSecrets(file: SecretsFile | undefined, secrets: ClientSecret[], failures: CliError[]) {
  if (file === undefined) return false
  if (secrets.length === 0) {
    await file.discard()
    return true
  }
  try {
    await file.write(secrets)
    return true
  } catch (error) {
    failures.push(error as CliError)
    return false
  }
}

/** The agent configuration edited, and the env file it reads (absolute), if any. */
interface AgentEdited {
  edit: AgentEdit
  envFile: string | undefined
}

/**
 * Adds the clients made or linked now, and their integrations; with a secrets file written, makes
 * it the configuration's `env_file:` unless it has one.
 */
async function editAgentConfig(
  agent: AgentConfigFile,
  results: KeyResult[],
  secretsPath: string | undefined,
  failures: CliError[],
): Promise<AgentEdited> {
  const edit: AgentEdit = { added: [], skipped: [] }
  for (const result of results) {
    if ((result.outcome !== 'created' && result.outcome !== 'linked') || result.integration === undefined)
      continue
    addAgentEntry(
      agent,
      { integration: result.integration, scopes: result.scopes ?? [], phase: result.phase },
      edit,
    )
  }
  const current = agent.document.get('env_file')
  let envFile = typeof current === 'string' ? resolve(dirname(resolve(agent.path)), current) : undefined
  if (secretsPath !== undefined) envFile = ensureEnvFile(agent, secretsPath, edit)
  if (edit.added.length === 0) return { edit, envFile }
  try {
    await saveAgentConfig(agent)
  } catch (error) {
    failures.push(error as CliError)
    return {
      edit: { added: [], skipped: edit.skipped },
      envFile: typeof current === 'string' ? envFile : undefined,
    }
  }
  return { edit, envFile }
}

function secretsText(file: SecretsFile | undefined, secrets: ClientSecret[], printed: boolean): string {
  if (secrets.length === 0)
    return file === undefined ? '' : `\nNo client was created: ${file.path} was not written.\n`
  if (printed) return `\nClient secrets (shown only this once):\n${secretLines(secrets)}`
  const names = secrets.map((s) => `${variablePrefix(s.integration)}_CLIENT_ID/_CLIENT_SECRET`).join(', ')
  return `\nSecrets of ${secrets.length} new client(s) written to ${file?.path} (mode 0600): ${names}\n`
}

/** Stores the secrets, edits the agent configuration, and renders what was done. */
export async function finishApply(results: KeyResult[], options: FinishOptions): Promise<Finished> {
  const failures: CliError[] = []
  const secrets = secretsOf(results)
  const printed = !(await storeSecrets(options.secretsFile, secrets, failures)) && secrets.length > 0
  const written = !printed && secrets.length > 0 ? options.secretsFile?.path : undefined
  const edited =
    options.agent === undefined ? undefined : await editAgentConfig(options.agent, results, written, failures)
  const edit = edited?.edit
  const added = new Set(edit?.added ?? [])
  const integrations = results.flatMap((r) =>
    r.integration !== undefined && added.has(`integrations.${r.integration}`)
      ? [{ integration: r.integration, linked: r.outcome === 'linked', client_id: r.client_id }]
      : [],
  )
  const next: NextSteps = {
    integrations,
    secretsFile: written,
    agentConfig: options.agent?.path,
    envFile: edited?.envFile,
  }
  const text = [
    formatApplyResults(results),
    secretsText(options.secretsFile, secrets, printed),
    edit === undefined || options.agent === undefined ? '' : `\n${formatAgentEdit(options.agent.path, edit)}`,
    `\n${formatNextSteps(next)}`,
  ].join('')
  const answer = {
    results: results.map(({ client_secret, ...rest }) => (printed ? { ...rest, client_secret } : rest)),
    secrets_file: printed || secrets.length === 0 ? null : (options.secretsFile?.path ?? null),
    agent_config: options.agent === undefined ? null : { file: options.agent.path, ...edit },
  }
  return { answer, text, warning: printed ? PRINTED_SECRETS_WARNING : undefined, failures }
}

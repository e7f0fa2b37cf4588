/**
 * Adds the clients `apply` created to the agent's configuration (AGENT.md): a client under the
 * instance and an integration still on `auth: api_key`, secrets as `${VAR}` references. Edited with
 * yaml's Document API so that comments and formatting stay; written atomically (temp + rename).
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { type Document, isCollection, isMap, isScalar, parseDocument, YAMLMap } from 'yaml'
import { unreadableConfig } from '../agent/config/load.ts'
import { AgentError } from '../agent/errors.ts'
import { CliError } from '../errors.ts'
import { variablePrefix } from './secrets.ts'
import { keepKeyLineComments } from './yaml-comments.ts'

export interface AgentConfigFile {
  path: string
  instance: string
  document: Document
  /** Permissions of the file, kept by the rewrite. */
  mode: number
}

export interface AgentEntry {
  integration: string
  scopes: string[]
  phase: number | null
}

/** What was done to the file: the paths added, and those left alone because they were there. */
export interface AgentEdit {
  added: string[]
  skipped: string[]
}

/**
 * KS_AGENT_CONFIG_UNREADABLE for the configuration at `path`; when it is not there, with a hint to
 * write one with `keyshift init`.
 */
export function missingConfigHint(path: string, error: unknown, more = ''): CliError {
  const unreadable = unreadableConfig(path, error)
  if ((error as { code?: unknown }).code !== 'ENOENT') return unreadable
  return new CliError(unreadable.code, unreadable.message, {
    cause: error,
    hint: `write a starter configuration with \`keyshift init --out ${path}\`${more}`,
  })
}

async function readAgentText(path: string): Promise<{ text: string; mode: number }> {
  try {
    const text = await readFile(path, 'utf8')
    return { text, mode: (await stat(path)).mode & 0o777 }
  } catch (error) {
    throw missingConfigHint(path, error)
  }
}

function isAbsent(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null)
}

/** The instance must be there; the mappings apply adds to must be mappings, or not be there yet. */
function checkShape(document: Document, path: string, instance: string): void {
  if (!isMap(document.getIn(['instances', instance], true))) {
    throw new CliError('KS_USAGE', `the configuration ${path} has no instance ${JSON.stringify(instance)}`, {
      hint: 'give --instance the name of an instance under `instances:` of --agent-config',
    })
  }
  for (const section of [['instances', instance, 'clients'], ['integrations']]) {
    const node = document.getIn(section, true)
    if (!isAbsent(node) && !isMap(node)) {
      throw new AgentError('KS_AGENT_CONFIG_INVALID', `the configuration ${path} has 1 problem`, {
        details: [`${section.join('.')}: must be a mapping (key: value)`],
      })
    }
  }
}

/**
 * Reads the agent configuration at `path` and checks that apply can add to it under `instance`.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE or KS_AGENT_CONFIG_INVALID; {CliError} KS_USAGE
 *   when it has no such instance.
 */
export async function openAgentConfig(path: string, instance: string): Promise<AgentConfigFile> {
  const { text, mode } = await readAgentText(path)
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true })
  if (document.errors.length > 0) {
    throw new AgentError('KS_AGENT_CONFIG_INVALID', `the configuration ${path} is not valid YAML`, {
      details: document.errors.map((error) => error.message.split('\n')[0] ?? 'invalid YAML'),
    })
  }
  checkShape(document, path, instance)
  keepKeyLineComments(document, text)
  return { path, instance, document, mode }
}

/**
 * Makes `path` (checked by checkShape) a mapping to add to: created when not there (or `clients:`
 * with no value), and an empty `{}` turned into a block mapping, to read as the rest of the file.
 */
function ensureMapping(config: AgentConfigFile, path: string[]): void {
  const node = config.document.getIn(path, true)
  if (isAbsent(node)) config.document.setIn(path, new YAMLMap())
  else if (isMap(node) && node.items.length === 0) node.flow = false
}

function addOnce(
  config: AgentConfigFile,
  path: string[],
  value: unknown,
  edit: AgentEdit,
): YAMLMap | undefined {
  const name = path.join('.')
  ensureMapping(config, path.slice(0, -1))
  if (config.document.hasIn(path)) {
    edit.skipped.push(name)
    return undefined
  }
  const node = config.document.createNode(value) as YAMLMap
  const scopes = node.get('scopes', true)
  if (isCollection(scopes)) scopes.flow = true
  config.document.setIn(path, node)
  edit.added.push(name)
  return node
}

/** Adds the client and the integration of `entry`; an entry already there is left as it is. */
export function addAgentEntry(config: AgentConfigFile, entry: AgentEntry, edit: AgentEdit): void {
  const prefix = variablePrefix(entry.integration)
  addOnce(
    config,
    ['instances', config.instance, 'clients', entry.integration],
    {
      client_id: `\${${prefix}_CLIENT_ID}`,
      client_secret: `\${${prefix}_CLIENT_SECRET}`,
      // No scopes (a linked client the plan gave none for): the token has the client's own.
      ...(entry.scopes.length > 0 && { scopes: entry.scopes }),
    },
    edit,
  )
  const integration = addOnce(
    config,
    ['integrations', entry.integration],
    {
      instance: config.instance,
      auth: 'api_key',
      client: entry.integration,
      api_key: `\${${prefix}_API_KEY}`,
      local_secret: `\${${prefix}_LOCAL_SECRET}`,
    },
    edit,
  )
  const auth = integration?.get('auth', true)
  if (isScalar(auth))
    auth.comment = ` flip to oauth ${entry.phase === null ? 'when ready' : `in phase ${entry.phase}`}`
}

/**
 * The env file the agent reads for the `${VAR}`s (`env_file:`, absolute). When the file has none, it
 * is set to `secretsPath` (written relative to the configuration's folder, as the agent reads it),
 * just before `instances:`, and `env_file` is added to `edit`.
 */
export function ensureEnvFile(config: AgentConfigFile, secretsPath: string, edit: AgentEdit): string {
  const base = dirname(resolve(config.path))
  const current = config.document.get('env_file')
  if (typeof current === 'string' && current !== '') return resolve(base, current)
  const written = relative(base, resolve(secretsPath)) || basename(secretsPath)
  const pair = config.document.createPair('env_file', written)
  const top = config.document.contents
  if (isMap(top) && !top.has('env_file')) {
    const at = top.items.findIndex((item) => isScalar(item.key) && item.key.value === 'instances')
    if (isScalar(pair.value)) pair.value.comment = ` NAME=value lines for the \${VAR}s (mode 0600)`
    top.items.splice(at < 0 ? top.items.length : at, 0, pair as (typeof top.items)[number])
  } else config.document.set('env_file', written)
  edit.added.push('env_file')
  return resolve(secretsPath)
}

/**
 * Writes the edited file: to a temporary file beside it, then renamed over it, so that the agent
 * (which watches the file) never reads half of it.
 *
 * @throws {CliError} KS_FILE_WRITE_FAILED; the file is then unchanged.
 */
export async function saveAgentConfig(config: AgentConfigFile): Promise<void> {
  const temporary = join(
    dirname(config.path),
    `.${basename(config.path)}.${randomBytes(6).toString('hex')}.tmp`,
  )
  try {
    await writeFile(temporary, config.document.toString({ flowCollectionPadding: false }), {
      mode: config.mode,
      flag: 'wx',
    })
    await rename(temporary, config.path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    const code = (error as { code?: unknown }).code
    throw new CliError(
      'KS_FILE_WRITE_FAILED',
      `cannot write ${config.path} (${typeof code === 'string' ? code : 'write failed'}); it is unchanged`,
      { cause: error },
    )
  }
}

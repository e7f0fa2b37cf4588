/**
 * A TokenStore in one JSON file: `{"version":1,"tokens":{"<key>":{access_token, token_type, scope,
 * issued_at, expires_at}}}`. Mode 0600; every write goes to a temporary file that is synced and
 * renamed over the old one, so a reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { isObject } from './http.ts'
import { readStoredToken, type StoredToken, type TokenStore } from './token-store.ts'

const FILE_VERSION = 1

/**
 * Options of {@link createFileTokenStore}.
 * @example
 * createFileTokenStore(path, { wallNow: () => Date.now() })
 */
export interface FileTokenStoreOptions {
  /** Wall-clock epoch ms, to drop expired entries when writing; default `Date.now`. */
  wallNow?: () => number
}

interface TokenFile {
  version: number
  tokens: Record<string, unknown>
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : 'unknown error'
}

/**
 * Reads the file. A missing file is empty; an unreadable or corrupt one throws an error whose
 * message names the path and the reason, never the content (JSON.parse's own message quotes it,
 * and the content is tokens).
 */
async function readTokenFile(path: string): Promise<TokenFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { version: FILE_VERSION, tokens: {} }
    throw new Error(`cannot read the token store ${path} (${errorCode(error)})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`the token store ${path} is not valid JSON`)
  }
  if (!isObject(parsed) || parsed.version !== FILE_VERSION || !isObject(parsed.tokens)) {
    throw new Error(`the token store ${path} is not a version ${FILE_VERSION} token file`)
  }
  return { version: FILE_VERSION, tokens: parsed.tokens }
}

/** Writes `file` atomically with mode 0600: temporary file, fsync, rename. */
async function writeTokenFile(path: string, file: TokenFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw new Error(`cannot write the token store ${path} (${errorCode(error)})`)
  }
}

/** Entries that are unreadable or expired are dropped when the file is rewritten; `keep` never is. */
function liveEntries(
  tokens: Record<string, unknown>,
  wallNow: number,
  keep: string,
): Record<string, unknown> {
  const live: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(tokens)) {
    const token = readStoredToken(value)
    if (token !== undefined && (key === keep || token.expires_at > wallNow)) live[key] = token
  }
  return live
}

/**
 * A token store in the file at `path` (created with mode 0600, its folder with 0700). Several
 * token managers may share the file; writes within one process are serialised. It holds access
 * tokens, never the client secret: keep it out of backups and version control all the same.
 *
 * @throws Its methods reject when the file cannot be read, parsed or written; the token manager
 *   treats that as a miss and logs a warning.
 * @example
 * const tokens = createTokenManager({ ...options, store: createFileTokenStore('/var/lib/app/tokens.json') })
 */
export function createFileTokenStore(path: string, options: FileTokenStoreOptions = {}): TokenStore {
  const wallNow = options.wallNow ?? Date.now
  let queue: Promise<unknown> = Promise.resolve()

  /** Runs read-modify-write changes one after another. */
  function serialised<T>(change: () => Promise<T>): Promise<T> {
    const next = queue.then(change, change)
    queue = next.catch(() => undefined)
    return next
  }

  async function update(key: string, edit: (tokens: Record<string, unknown>) => boolean): Promise<void> {
    let tokens: Record<string, unknown>
    try {
      tokens = (await readTokenFile(path)).tokens
    } catch {
      tokens = {} // a corrupt file is replaced by a good one
    }
    if (!edit(tokens)) return
    await writeTokenFile(path, { version: FILE_VERSION, tokens: liveEntries(tokens, wallNow(), key) })
  }

  return {
    load: async function loadFromFile(key: string): Promise<StoredToken | undefined> {
      const { tokens } = await readTokenFile(path)
      if (!(key in tokens)) return undefined
      const token = readStoredToken(tokens[key])
      if (token === undefined) throw new Error(`the token store ${path} has a malformed entry`)
      return token
    },
    save: function saveToFile(key: string, token: StoredToken): Promise<void> {
      return serialised(() =>
        update(key, function putToken(tokens) {
          tokens[key] = token
          return true
        }),
      )
    },
    remove: function removeFromFile(key: string, accessToken: string): Promise<void> {
      return serialised(() =>
        update(key, function dropToken(tokens) {
          if (readStoredToken(tokens[key])?.access_token !== accessToken) return false
          delete tokens[key]
          return true
        }),
      )
    },
  }
}

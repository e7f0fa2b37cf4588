/**
 * The secrets of the clients `apply` creates, written once: to a file created for them (mode 0600,
 * never over an existing file) or, without one, printed once.
 */
import { type FileHandle, open, unlink } from 'node:fs/promises'
import { CliError } from '../errors.ts'
import { writeFailed } from '../files.ts'

export interface ClientSecret {
  integration: string
  client_id: string
  client_secret: string
}

/**
 * `supplier-sync` → `SUPPLIER_SYNC`: the prefix of the integration's environment variables. A name
 * that starts with a digit (`3pl-sync`) gets a leading `_`, as a variable name cannot start so.
 */
export function variablePrefix(integration: string): string {
  const prefix = integration.toUpperCase().replace(/[^A-Z0-9_]+/g, '_')
  return /^[0-9]/.test(prefix) ? `_${prefix}` : prefix
}

/** `SUPPLIER_SYNC_CLIENT_ID=…` and `SUPPLIER_SYNC_CLIENT_SECRET=…` lines, as a .env file has them. */
export function secretLines(secrets: ClientSecret[]): string {
  return secrets
    .flatMap((secret) => {
      const prefix = variablePrefix(secret.integration)
      return [`${prefix}_CLIENT_ID=${secret.client_id}`, `${prefix}_CLIENT_SECRET=${secret.client_secret}`]
    })
    .map((line) => `${line}\n`)
    .join('')
}

/** A secrets file created (empty, 0600) before any client is, so that no secret can be lost to it. */
export interface SecretsFile {
  path: string
  /** Writes the lines and closes the file. */
  write(secrets: ClientSecret[]): Promise<void>
  /** Closes and removes the file: nothing was created. */
  discard(): Promise<void>
}

/**
 * Creates the secrets file at `path`, mode 0600.
 *
 * @throws {CliError} KS_FILE_EXISTS when a file is there (it may hold secrets of an earlier run);
 *   KS_FILE_WRITE_FAILED when it cannot be created.
 */
export async function createSecretsFile(path: string): Promise<SecretsFile> {
  let handle: FileHandle
  try {
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') {
      throw new CliError('KS_FILE_EXISTS', `the secrets file ${path} already exists; nothing was created`, {
        cause: error,
        hint: 'secrets are written once, to a new file: move that one away or give another --secrets-file',
      })
    }
    throw writeFailed(path, error)
  }
  return {
    path,
    write: async function writeSecrets(secrets) {
      try {
        await handle.chmod(0o600)
        await handle.writeFile(secretLines(secrets), 'utf8')
        await handle.sync()
      } catch (error) {
        throw writeFailed(path, error)
      } finally {
        await handle.close()
      }
    },
    discard: async function discardSecrets() {
      await handle.close()
      await unlink(path)
    },
  }
}

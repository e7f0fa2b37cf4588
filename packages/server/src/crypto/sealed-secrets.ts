import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/** A value sealed by `SealedSecrets`; base64url has no '.', and hex neither, so no clear value starts so. */
const PREFIX = 'ks1.'
/** `ks1.<key id>.<IV>.<ciphertext and tag>`, each part base64url (8 characters, 12 bytes, ≥ 16 bytes). */
const SEALED = /^ks1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

/** A sealed value that cannot be opened: no key configured for it, or it was altered. Never quotes the value. */
export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SealedSecretError'
  }
}

/**
 * Encryption at rest of the secrets the store must keep readable: the private part of each signing
 * key and the pepper of the secret hashes. Whoever reads a copy of the database made after they
 * were sealed then cannot sign tokens or test guessed secrets offline without also holding
 * KEYSHIFT_SECRETS_KEY. (https://www.rfc-editor.org/rfc/rfc6819#section-5.1.4.1.3 : credentials are
 * not stored in clear.)
 *
 * AES-256-GCM with a random 96-bit IV per value (NIST SP 800-38D §8.2.2), a full 128-bit tag, and
 * the value's name as additional data, so that a sealed value copied into another place does not
 * open there. A sealed value names its key by a fingerprint, so that a previous key can still open
 * what it sealed while `isCurrent` tells what must be sealed again with the current one.
 */
export class SealedSecrets {
  /** No key: values are kept in clear, and a sealed one cannot be opened. */
  static readonly none = new SealedSecrets(undefined, undefined)

  readonly #current: { id: string; key: Buffer } | undefined
  readonly #previous: { id: string; key: Buffer } | undefined

  /** `current` seals; `previous` (a key being replaced) only opens. Each must be 32 bytes. */
  constructor(current: Buffer | undefined, previous?: Buffer) {
    this.#current = current && withId(current, 'KEYSHIFT_SECRETS_KEY')
    this.#previous = previous && withId(previous, 'KEYSHIFT_SECRETS_KEY_PREVIOUS')
  }

  /** True when new values are sealed (a current key is set): a value in clear is then suspect. */
  get sealing(): boolean {
    return this.#current !== undefined
  }

  /** `plaintext` sealed with the current key for the place `name`; in clear when there is no key. */
  seal(plaintext: string, name: string): string {
    if (!this.#current) return plaintext
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(name, 'utf8'))
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return `${PREFIX}${this.#current.id}.${iv.toString('base64url')}.${sealed.toString('base64url')}`
  }

  /** The plaintext of a stored value: a value in clear as it is, a sealed one opened with its key. */
  open(stored: string, name: string): string {
    if (!isSealed(stored)) return stored
    const [, id, ivText = '', sealedText = ''] = SEALED.exec(stored) ?? []
    const altered = () =>
      new SealedSecretError(
        `${name} is encrypted at rest but does not decrypt${id ? ` with key ${id}` : ''}: the stored value was altered or belongs elsewhere`,
      )
    if (!id) throw altered()
    const key = [this.#current, this.#previous].find((k) => k?.id === id)?.key
    if (!key) {
      throw new SealedSecretError(
        `${name} is encrypted at rest with a key that is not configured (key ${id}): set KEYSHIFT_SECRETS_KEY, or KEYSHIFT_SECRETS_KEY_PREVIOUS while changing keys, to the key it was encrypted with`,
      )
    }
    const iv = Buffer.from(ivText, 'base64url')
    const sealed = Buffer.from(sealedText, 'base64url')
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw altered()
    try {
      // A full tag only: without authTagLength, Node accepts a tag cut to 4 bytes.
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(Buffer.from(name, 'utf8'))
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
      const ciphertext = sealed.subarray(0, sealed.length - TAG_BYTES)
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
    } catch {
      throw altered()
    }
  }

  /** True when `stored` is as `seal` would store it now: sealed with the current key, or in clear without one. */
  isCurrent(stored: string): boolean {
    if (!this.#current) return !isSealed(stored)
    return stored.startsWith(`${PREFIX}${this.#current.id}.`)
  }

  /** How secrets are kept, for the start banner. */
  describe(): string {
    const previous = this.#previous
      ? `; KEYSHIFT_SECRETS_KEY_PREVIOUS (key ${this.#previous.id}) only decrypts`
      : ''
    if (!this.#current) return `in clear in the store (set KEYSHIFT_SECRETS_KEY to encrypt them)${previous}`
    return `encrypted with KEYSHIFT_SECRETS_KEY (AES-256-GCM, key ${this.#current.id})${previous}`
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX)
}

/**
 * A secrets key from its text: 32 bytes as base64 (as `openssl rand -base64 32` prints), base64url
 * or 64 hex digits; undefined when it is none of these.
 */
export function parseSecretsKey(text: string): Buffer | undefined {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]+$/.test(trimmed)) {
    // Hex digits only: a hex key, whole or cut short, is never read as base64.
    return trimmed.length === KEY_BYTES * 2 ? Buffer.from(trimmed, 'hex') : undefined
  }
  const base64url = trimmed.replace(/=$/, '').replaceAll('+', '-').replaceAll('/', '_')
  if (!/^[A-Za-z0-9_-]{43}$/.test(base64url)) return undefined
  const key = Buffer.from(base64url, 'base64url')
  // The last digit carries 2 unused bits: only its canonical form, so that a key has one spelling.
  return key.length === KEY_BYTES && key.toString('base64url') === base64url ? key : undefined
}

function withId(key: Buffer, setting: string): { id: string; key: Buffer } {
  if (key.length !== KEY_BYTES) throw new SealedSecretError(`${setting} must be ${KEY_BYTES} bytes`)
  // A fingerprint, not the key: SHA-256 of a 256-bit random key reveals nothing about it.
  const id = createHash('sha256').update('keyshift secrets key\0').update(key).digest('base64url').slice(0, 8)
  return { id, key: Buffer.from(key) }
}

import assert from 'node:assert/strict'
import { createCipheriv, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  isSealed,
  parseSecretsKey,
  SealedSecretError,
  SealedSecrets,
} from '../../src/crypto/sealed-secrets.ts'

const key = randomBytes(32)
const otherKey = randomBytes(32)
const secret = 'a3f1c2'.repeat(10)

describe('SealedSecrets', () => {
  it('seals with AES-256-GCM and opens again; the sealed text holds no part of the secret', () => {
    const secrets = new SealedSecrets(key)
    const sealed = secrets.seal(secret, 'secret_pepper')
    assert.ok(isSealed(sealed), sealed)
    assert.ok(!sealed.includes(secret.slice(0, 12)))
    assert.equal(secrets.open(sealed, 'secret_pepper'), secret)
  })

  it('seals the same value differently each time (a fresh IV per value)', () => {
    const secrets = new SealedSecrets(key)
    assert.notEqual(secrets.seal(secret, 'x'), secrets.seal(secret, 'x'))
  })

  it('does not open a value under another name: a sealed value copied elsewhere stays shut', () => {
    const secrets = new SealedSecrets(key)
    const sealed = secrets.seal(secret, 'signing key A')
    assert.throws(() => secrets.open(sealed, 'signing key B'), {
      name: 'SealedSecretError',
      message:
        /signing key B is encrypted at rest but does not decrypt with key \S+: the stored value was altered/,
    })
  })

  it('refuses an altered value', () => {
    const secrets = new SealedSecrets(key)
    const sealed = secrets.seal(secret, 'x')
    const last = sealed.at(-2) === 'A' ? 'B' : 'A'
    const altered = `${sealed.slice(0, -2)}${last}${sealed.at(-1)}`
    assert.throws(() => secrets.open(altered, 'x'), SealedSecretError)
  })

  it('without the key, says which setting to set, and never quotes the value', () => {
    const sealed = new SealedSecrets(key).seal(secret, 'secret_pepper')
    for (const secrets of [SealedSecrets.none, new SealedSecrets(otherKey)]) {
      assert.throws(
        () => secrets.open(sealed, 'secret_pepper'),
        (error: Error) => {
          assert.ok(error instanceof SealedSecretError)
          assert.match(error.message, /secret_pepper is encrypted at rest with a key that is not configured/)
          assert.match(error.message, /set KEYSHIFT_SECRETS_KEY, or KEYSHIFT_SECRETS_KEY_PREVIOUS/)
          assert.ok(!error.message.includes(sealed.split('.')[3] ?? 'none'))
          return true
        },
      )
    }
  })

  it('a previous key opens what it sealed; isCurrent tells what must be sealed again', () => {
    const old = new SealedSecrets(key)
    const changing = new SealedSecrets(otherKey, key)
    const sealedByOld = old.seal(secret, 'x')
    assert.equal(changing.open(sealedByOld, 'x'), secret)
    assert.equal(changing.isCurrent(sealedByOld), false)
    assert.equal(changing.isCurrent(changing.seal(secret, 'x')), true)
    assert.equal(changing.isCurrent(secret), false)
    assert.equal(old.isCurrent(changing.seal(secret, 'x')), false)
  })

  it('without a key, values stay in clear, clear values open as they are, and sealed ones are not current', () => {
    const none = SealedSecrets.none
    assert.equal(none.sealing, false)
    assert.equal(none.seal(secret, 'x'), secret)
    assert.equal(none.open(secret, 'x'), secret)
    assert.equal(none.isCurrent(secret), true)
    assert.equal(none.isCurrent(new SealedSecrets(key).seal(secret, 'x')), false)
    // Only the previous key: what it sealed opens, and is written back in clear.
    const unsealing = new SealedSecrets(undefined, key)
    const sealed = new SealedSecrets(key).seal(secret, 'x')
    assert.equal(unsealing.open(sealed, 'x'), secret)
    assert.equal(unsealing.isCurrent(sealed), false)
  })

  it('describes itself without the key', () => {
    assert.match(SealedSecrets.none.describe(), /in clear .*set KEYSHIFT_SECRETS_KEY/)
    const described = new SealedSecrets(key, otherKey).describe()
    assert.match(
      described,
      /^encrypted with KEYSHIFT_SECRETS_KEY \(AES-256-GCM, key \S+\); KEYSHIFT_SECRETS_KEY_PREVIOUS \(key \S+\) only decrypts$/,
    )
    assert.match(
      new SealedSecrets(undefined, key).describe(),
      /^in clear .*; KEYSHIFT_SECRETS_KEY_PREVIOUS \(key \S+\) only decrypts$/,
    )
    for (const k of [key, otherKey]) {
      assert.ok(!described.includes(k.toString('base64').slice(0, 8)))
      assert.ok(!described.includes(k.toString('hex').slice(0, 8)))
    }
  })

  it('refuses a right tag cut to 4 bytes (Node accepts short GCM tags unless told the length)', () => {
    const secrets = new SealedSecrets(key)
    const [prefix, id, iv = ''] = secrets.seal(secret, 'x').split('.')
    const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    cipher.setAAD(Buffer.from('x'))
    const body = Buffer.concat([
      cipher.update('', 'utf8'),
      cipher.final(),
      cipher.getAuthTag().subarray(0, 4),
    ])
    // Long enough for the format: 12 bytes of a plaintext, then the 4-byte tag.
    const cipher2 = createCipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    cipher2.setAAD(Buffer.from('x'))
    const twelve = Buffer.concat([cipher2.update('short secret', 'utf8'), cipher2.final()])
    const shortTag = cipher2.getAuthTag().subarray(0, 4)
    for (const forged of [body, Buffer.concat([twelve, shortTag])]) {
      assert.throws(
        () => secrets.open(`${prefix}.${id}.${iv}.${forged.toString('base64url')}`, 'x'),
        SealedSecretError,
      )
    }
  })

  it('refuses a cut tag, a changed IV or body, and any other shape, without quoting the value', () => {
    const secrets = new SealedSecrets(key)
    const sealed = secrets.seal(secret, 'x')
    const [prefix, id, iv = '', body = ''] = sealed.split('.')
    const bytes = Buffer.from(body, 'base64url')
    const flip = (b: Buffer, at: number) => {
      const copy = Buffer.from(b)
      copy[at] = (copy[at] ?? 0) ^ 1
      return copy.toString('base64url')
    }
    const forged = [
      // The tag cut to 4 bytes, over an empty ciphertext: Node accepts short tags unless told not to.
      `${prefix}.${id}.${iv}.${bytes.subarray(bytes.length - 4).toString('base64url')}`,
      `${prefix}.${id}.${iv}.${bytes.subarray(0, bytes.length - 1).toString('base64url')}`,
      `${prefix}.${id}.${flip(Buffer.from(iv, 'base64url'), 0)}.${body}`,
      `${prefix}.${id}.${iv}.${flip(bytes, 0)}`,
      `${prefix}.${id}.${iv}.${flip(bytes, bytes.length - 1)}`,
      `${sealed}.extra`,
      `${prefix}.${id}.${iv}!!.${body}`,
      `${prefix}.${id}\n.${iv}.${body}`,
      'ks1.',
    ]
    for (const value of forged) {
      assert.throws(
        () => secrets.open(value, 'x'),
        (error: Error) => error instanceof SealedSecretError && !error.message.includes(body.slice(0, 16)),
        value,
      )
    }
  })
})

describe('parseSecretsKey', () => {
  it('reads 32 bytes as base64 (with or without padding), base64url or hex', () => {
    for (const text of [
      key.toString('base64'),
      key.toString('base64').replace(/=$/, ''),
      key.toString('base64url'),
      key.toString('hex'),
      ` ${key.toString('hex').toUpperCase()}\n`,
    ]) {
      assert.deepEqual(parseSecretsKey(text), key, text)
    }
  })

  it('refuses anything else', () => {
    // The same bytes with the last digit's two unused bits set: not the canonical spelling.
    const canonical = key.toString('base64url')
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const nonCanonical = [...last]
      .map((c) => `${canonical.slice(0, -1)}${c}`)
      .find((text) => text !== canonical && Buffer.from(text, 'base64url').equals(key))
    assert.ok(nonCanonical)
    for (const text of [
      '',
      'secret',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      'g'.repeat(64),
      `${key.toString('base64')}==`,
      // A hex key cut to 43 digits is not read as base64.
      key.toString('hex').slice(0, 43),
      nonCanonical,
    ]) {
      assert.equal(parseSecretsKey(text), undefined, text)
    }
  })
})

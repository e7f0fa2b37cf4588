import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto'

/** `bytes` random bytes from the CSPRNG as lowercase hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

/**
 * A keyed hash of a server-generated secret: HMAC-SHA-256 with the instance pepper, hex.
 * A slow password hash adds nothing to a 256-bit random secret and would cap the token endpoint
 * (https://www.rfc-editor.org/rfc/rfc6819#section-5.1.4.1.3: store hashes, not the secret).
 */
export function keyedHash(pepper: string | KeyObject, secret: string): string {
  return keyedDigest(pepper, secret).toString('hex')
}

/** The same keyed hash as bytes, to compare with `digestsEqual`. */
export function keyedDigest(pepper: string | KeyObject, secret: string): Buffer {
  return createHmac('sha256', pepper).update(secret, 'utf8').digest()
}

/** The pepper as a key object: an HMAC with it does not import the key again on every call. */
export function pepperKey(pepper: string): KeyObject {
  return createSecretKey(Buffer.from(pepper, 'utf8'))
}

/** Compares two digests of equal length in constant time; unequal lengths are simply unequal. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b)
}

/** SHA-256-sized fingerprint safe to log: identifies a token or secret without revealing it. */
export function fingerprint(pepper: string, value: string): string {
  return keyedHash(pepper, value).slice(0, 12)
}

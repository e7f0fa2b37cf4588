/**
 * A throw-away certificate authority for tests, made with openssl in a temporary folder (never
 * committed): a CA, a server certificate it signs for localhost and 127.0.0.1, and a second,
 * unrelated CA. Valid for 20 years from the clock the test runs on (openssl runs under the same
 * moved clock as the test, so a clock moved by years changes nothing).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestPki {
  dir: string
  /** PEM files. */
  caFile: string
  otherCaFile: string
  certFile: string
  keyFile: string
  ca: string
  cert: string
  key: string
  /** Signs a new server certificate with the same key (a renewal); returns its PEM. */
  renew(): string
  remove(): void
}

const DAYS = '7300'

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
}

function selfSignedCa(dir: string, name: string, subject: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    DAYS,
    '-subj',
    subject,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
}

function signServer(dir: string, out: string, serial: string): void {
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    serial,
    '-out',
    out,
    '-days',
    DAYS,
    '-extfile',
    'server.ext',
  ])
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'keyshift-pki-'))
  selfSignedCa(dir, 'ca', '/O=Keyshift tests/CN=Keyshift Test CA')
  selfSignedCa(dir, 'other-ca', '/CN=Unrelated Test CA')
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  ])
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  )
  signServer(dir, 'server.pem', '1001')
  let serial = 1001
  const read = (file: string) => readFileSync(join(dir, file), 'utf8')
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    otherCaFile: join(dir, 'other-ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    ca: read('ca.pem'),
    cert: read('server.pem'),
    key: read('server.key'),
    renew() {
      serial += 1
      signServer(dir, 'server.pem', String(serial))
      return read('server.pem')
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

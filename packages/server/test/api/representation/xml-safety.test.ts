/**
 * XML bodies cannot make the server read files, expand entities or recurse without end.
 * https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html
 */
import assert from 'node:assert/strict'
import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it, mock } from 'node:test'
import { renderRecord } from '../../../src/api/representation/index.ts'
import { invoices, resolve } from './definitions.ts'
import { bodyErrors, parseXml } from './helpers.ts'

const DTD_REFUSED = ['DTDs are not accepted: the XML body must not contain a DOCTYPE']
const TOO_DEEP = ['the XML body nests deeper than 32 elements']

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<invoice-header><invoice-number>&lol9;</invoice-number></invoice-header>`

/** `depth` nested elements: the invoice root holding unknown elements. */
function nested(depth: number): string {
  const inner = depth - 1
  return `<invoice-header>${'<bogus>'.repeat(inner)}${'</bogus>'.repeat(inner)}</invoice-header>`
}

describe('XML body safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyshift-xxe-'))
  const secret = join(dir, 'secret.txt')
  writeFileSync(secret, 'TOP-SECRET-MARKER')
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('refuses an external entity (XXE) before parsing, and reads no file', () => {
    const reads = [
      mock.method(fs, 'readFileSync'),
      mock.method(fs, 'openSync'),
      mock.method(fs, 'readFile'),
      mock.method(fs.promises, 'readFile'),
    ]
    syncBuiltinESMExports()
    try {
      for (const target of ['file:///etc/passwd', `file://${secret}`]) {
        const body = `<!DOCTYPE x [<!ENTITY e SYSTEM "${target}">]><invoice-header><invoice-number>&e;</invoice-number></invoice-header>`
        const messages = bodyErrors(() => parseXml(body))
        assert.deepEqual(messages, DTD_REFUSED)
        assert.ok(!messages.join().includes('TOP-SECRET'))
      }
      for (const read of reads) assert.equal(read.mock.callCount(), 0)
    } finally {
      mock.restoreAll()
      syncBuiltinESMExports()
    }
  })

  it('refuses the billion laughs at once', () => {
    const started = performance.now()
    assert.deepEqual(
      bodyErrors(() => parseXml(BILLION_LAUGHS)),
      DTD_REFUSED,
    )
    assert.ok(performance.now() - started < 1000)
  })

  it('refuses a DOCTYPE in any case and anywhere, and a stray ENTITY declaration', () => {
    for (const body of [
      '<!doctype invoice-header><invoice-header/>',
      '<invoice-header><!-- --></invoice-header><!DocType x>',
      '<invoice-header><!ENTITY e "x"></invoice-header>',
      '\uFEFF<?xml version="1.0"?><!DOCTYPE invoice-header SYSTEM "http://example.com/x.dtd"><invoice-header/>',
    ]) {
      assert.deepEqual(
        bodyErrors(() => parseXml(body)),
        DTD_REFUSED,
        body,
      )
    }
  })

  it('refuses entities other than the five predefined ones, and invalid character references', () => {
    assert.deepEqual(
      bodyErrors(() => parseXml('<invoice-header><invoice-number>&e;</invoice-number></invoice-header>')),
      ['the XML body uses the undeclared entity &e;'],
    )
    assert.deepEqual(
      bodyErrors(() => parseXml('<invoice-header><invoice-number>&#1;</invoice-number></invoice-header>')),
      ['the XML body has an invalid character reference &#1;'],
    )
    assert.deepEqual(
      bodyErrors(() =>
        parseXml('<invoice-header><invoice-number>&#x110000;</invoice-number></invoice-header>'),
      ),
      ['the XML body has an invalid character reference &#x110000;'],
    )
  })

  it('refuses raw characters that XML 1.0 forbids', () => {
    assert.deepEqual(
      bodyErrors(() => parseXml('<invoice-header><invoice-number>\u0001</invoice-number></invoice-header>')),
      ['the XML body contains a character that XML 1.0 does not allow'],
    )
  })

  it('accepts 32 nested elements and refuses 33, or 50 000', () => {
    assert.deepEqual(
      bodyErrors(() => parseXml(nested(32))),
      ['unknown field bogus'],
    )
    assert.deepEqual(
      bodyErrors(() => parseXml(nested(33))),
      TOO_DEEP,
    )
    assert.deepEqual(
      bodyErrors(() => parseXml(nested(50_000))),
      TOO_DEEP,
    )
  })

  it('does not let element names reach the prototype', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const body = `<invoice-header><${name}><paid>true</paid></${name}></invoice-header>`
      assert.equal(bodyErrors(() => parseXml(body)).length, 1)
    }
    assert.equal(({} as { paid?: string }).paid, undefined)
  })

  it('does not let type attributes decide a value: the definition does', () => {
    const body =
      '<invoice-header><invoice-number type="integer">00123</invoice-number><paid type="integer">true</paid></invoice-header>'
    assert.deepEqual(parseXml(body), { invoice_number: '00123', paid: true })
  })

  it('reads back text that looks like markup, since rendering escapes it', () => {
    const text = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e; ]]>'
    const view = { returnObject: 'full' as const, fields: ['invoice_number'] }
    const body = renderRecord(invoices, { invoice_number: text }, view, 'xml', resolve).body
    assert.deepEqual(parseXml(body), { invoice_number: text })
  })
})

/** Coupa's error bodies (coupa-api-facts §4.5, exception-handling-and-error-codes). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { noResultsXml, renderErrors } from '../../../src/api/representation/index.ts'

describe('Coupa error bodies', () => {
  it('JSON errors are keyed by the dashed singular', () => {
    assert.deepEqual(
      renderErrors('json', 'user', ['Login has already been taken', 'Email has already been taken']),
      {
        contentType: 'application/json; charset=utf-8',
        body: '{"errors":{"user":["Login has already been taken","Email has already been taken"]}}',
      },
    )
    assert.equal(renderErrors('json', 'expense_report', ['x']).body, '{"errors":{"expense-report":["x"]}}')
  })

  it('XML errors are <errors><error>…</error></errors>, messages escaped', () => {
    assert.deepEqual(renderErrors('xml', 'invoice', ["Total can't be < 0 & > 1", 'Second']), {
      contentType: 'application/xml; charset=utf-8',
      body:
        '<?xml version="1.0" encoding="UTF-8"?><errors><error>Total can&apos;t be &lt; 0 &amp; &gt; 1</error>' +
        '<error>Second</error></errors>',
    })
  })

  it('the XML "no results" body is Coupa\'s 404 message', () => {
    assert.deepEqual(noResultsXml(), {
      contentType: 'application/xml; charset=utf-8',
      body: '<?xml version="1.0" encoding="UTF-8"?><errors><error>No results match your search criteria.</error></errors>',
    })
  })
})

/** Keeping an edited YAML file as its author wrote it, where yaml's printer would not. */
import { type Document, isCollection, isScalar, visit } from 'yaml'

/**
 * yaml reads the comment of `key: # comment` above a block collection as the collection's first
 * comment, and prints it on the line below the key. This puts such comments back on the key's line,
 * using the source to tell them from comments that were on their own line.
 */
export function keepKeyLineComments(document: Document, source: string): void {
  visit(document, {
    Pair(_, pair) {
      const { key, value } = pair
      if (!isScalar(key) || !isCollection(value) || value.flow || value.commentBefore == null) return
      if (key.range == null || value.range == null) return
      const keyLine = source.slice(key.range[1], value.range[0]).split('\n')[0] ?? ''
      if (!keyLine.includes('#')) return
      const [first, ...rest] = value.commentBefore.split('\n')
      key.comment = first
      value.commentBefore = rest.length > 0 ? rest.join('\n') : undefined
    },
  })
}

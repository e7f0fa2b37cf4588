import { useState } from 'preact/hooks'

/** Copies `value` to the clipboard and says so in a live region. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [status, setStatus] = useState('')
  const copy = async () => {
    setStatus((await copyText(value)) ? 'Copied' : 'Copy failed: select the text and copy it')
    setTimeout(() => setStatus(''), 4000)
  }
  return (
    <span class="copy">
      <button type="button" onClick={copy} aria-label={`Copy ${label}`}>
        Copy
      </button>
      <span class="copy-status" role="status" aria-live="polite">
        {status}
      </span>
    </span>
  )
}

/** The clipboard API where the page is a secure context (https or localhost), a hidden field otherwise. */
async function copyText(value: string): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(value)
      return true
    }
  } catch {
    // fall through to the older way
  }
  const area = document.createElement('textarea')
  area.value = value
  area.setAttribute('readonly', '')
  area.className = 'offscreen'
  document.body.append(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  return copied
}

/** A value to copy: shown in a read-only box with its copy button. */
export function CopyValue({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} readOnly value={value} class="mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={value} label={label} />
      </div>
    </div>
  )
}

/** A secret shown once: hidden until Show, copyable either way. */
export function SecretValue({ id, label, value }: { id: string; label: string; value: string }) {
  const [shown, setShown] = useState(false)
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {shown ? (
          <input id={id} readOnly type="text" value={value} class="mono" autocomplete="off" />
        ) : (
          <input id={id} readOnly type="password" value={value} class="mono" autocomplete="off" />
        )}
        <button type="button" aria-pressed={shown} onClick={() => setShown(!shown)}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <CopyButton value={value} label={label} />
      </div>
    </div>
  )
}

/**
 * The certificate view's page, built from the server's key-free report (describeCertificates):
 * the verdict first, then each block with its facts, its chain and its fingerprints with copy
 * buttons. Pure (no vscode import) so the markup is unit-tested; every value is escaped, and the
 * page runs only the one script carrying the nonce (inline styles stay allowed: VS Code adds its theme
 * defaults to the page as a style element).
 */
import type { DescribeCertificatesResult } from '../../server/src/protocol';

type Report = Pick<DescribeCertificatesResult, 'file' | 'items' | 'verdict' | 'focus'>;
type Item = Report['items'][number];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const VERDICT_ICON = { ok: '✓', information: 'ℹ', warning: '⚠', error: '✗' } as const;

function row(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function fingerprint(name: string, value: string | undefined): string {
  if (!value) return '';
  const v = escapeHtml(value);
  return `<tr><th>${escapeHtml(name)}</th><td><code>${v}</code> <button class="copy" data-copy="${v}" data-what="${escapeHtml(name)}" title="Copy ${escapeHtml(name)}">Copy</button></td></tr>`;
}

function itemHtml(item: Item, index: number, focus: number): string {
  const head = `<h2>${escapeHtml(item.title)} <span class="line">line ${item.line + 1}</span></h2>`;
  const cls = `item${index === focus ? ' focus' : ''}`;
  switch (item.kind) {
    case 'certificate': {
      const chain = [`<li>${escapeHtml(item.title)} <span class="where">(this certificate)</span></li>`]
        .concat(item.chain.map((l) => `<li>${escapeHtml(l.title)} <span class="where">${escapeHtml(l.where)}</span></li>`))
        .join('');
      return `<section class="${cls}" id="item-${index}">${head}
<p class="validity ${item.status}">${escapeHtml(item.validity)}${item.selfSigned ? ' · self-signed' : ''}</p>
<table>${row('Subject', item.subject || '(empty)')}${row('Issuer', item.issuer || '(empty)')}${row('Subject alt names', item.sans)}${row('Valid from', item.notBefore)}${row('Valid until', item.notAfter)}${row('Public key', item.publicKey)}${row('Signature', item.signature)}${row('Basic constraints', item.basicConstraints)}${row('Key usage', item.keyUsage)}${row('Extended key usage', item.extKeyUsage)}${row('Serial', item.serial)}${row('Subject key ID', item.subjectKeyId)}${row('Authority key ID', item.authorityKeyId)}${fingerprint('SHA-256', item.sha256)}${fingerprint('SHA-1', item.sha1)}</table>
<h3>Chain</h3><ol class="chain">${chain}</ol></section>`;
    }
    case 'privateKey':
      return `<section class="${cls}" id="item-${index}">${head}<table>${row('Format', item.format)}${row('Encrypted', item.encrypted ? 'yes' : 'no')}${row('Belongs to', item.pairsWith ?? (item.publicKeySha256 ? 'no certificate of this file or folder' : undefined))}${fingerprint('Public key SHA-256', item.publicKeySha256)}</table><p class="note">The key itself is never shown.</p></section>`;
    case 'csr':
      return `<section class="${cls}" id="item-${index}">${head}<table>${row('Subject', item.subject)}${row('Requested alt names', item.sans || '(none)')}${row('Public key', item.publicKey)}${row('Signature', item.signature)}</table></section>`;
    case 'publicKey':
      return `<section class="${cls}" id="item-${index}">${head}<table>${fingerprint('SHA-256 of SPKI', item.publicKeySha256)}</table></section>`;
    default:
      return `<section class="${cls}" id="item-${index}">${head}${'message' in item && item.message ? `<p>${escapeHtml(item.message)}</p>` : ''}</section>`;
  }
}

export function certificatePage(r: Report, opts: { nonce: string }): string {
  const v = r.verdict;
  const problems = v.problems.length
    ? `<ul class="problems">${v.problems
        .map((p) => `<li class="${p.severity}">Line ${p.line + 1}: ${escapeHtml(p.message)} <code>${escapeHtml(p.code)}</code></li>`)
        .join('')}</ul>`
    : '';
  const items = r.items.length ? r.items.map((it, i) => itemHtml(it, i, r.focus)).join('\n') : '<p>No PEM block in this file.</p>';
  const nonce = escapeHtml(opts.nonce);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.file)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-bottom: .3em; } h3 { font-size: 1em; margin: .8em 0 .2em; }
.verdict { padding: .5em .8em; border-left: 4px solid; margin: .5em 0 1em; }
.verdict.ok { border-color: var(--vscode-testing-iconPassed, green); }
.verdict.information { border-color: var(--vscode-editorInfo-foreground, blue); }
.verdict.warning { border-color: var(--vscode-editorWarning-foreground, orange); }
.verdict.error { border-color: var(--vscode-editorError-foreground, red); }
.problems li.error { color: var(--vscode-editorError-foreground); } .problems li.warning { color: var(--vscode-editorWarning-foreground); }
section.item { border-top: 1px solid var(--vscode-panel-border, #8884); padding-top: .3em; }
section.focus h2 { text-decoration: underline; }
.line, .where, .note { opacity: .7; font-weight: normal; font-size: .9em; }
.validity.expired, .validity.not-yet-valid { color: var(--vscode-editorError-foreground); } .validity.expiring { color: var(--vscode-editorWarning-foreground); }
table { border-collapse: collapse; } th { text-align: left; padding: .15em 1em .15em 0; vertical-align: top; font-weight: 600; white-space: nowrap; }
td { padding: .15em 0; word-break: break-all; } code { font-family: var(--vscode-editor-font-family); }
button.copy { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: none; padding: .1em .6em; cursor: pointer; }
button.copy:hover { background: var(--vscode-button-secondaryHoverBackground); }
</style></head>
<body>
<h1>${escapeHtml(r.file)}</h1>
<div class="verdict ${v.level}" role="status"><strong>${VERDICT_ICON[v.level]} ${escapeHtml(v.summary)}</strong>${problems}</div>
${items}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const b = e.target.closest('button.copy');
  if (b) vscode.postMessage({ copy: b.dataset.copy, what: b.dataset.what });
});
const focus = document.getElementById('item-${r.focus}');
if (focus && ${r.focus} > 0) focus.scrollIntoView();
</script>
</body></html>`;
}

/** The certificates of a report, for "Copy SHA-256 fingerprint": the focused one alone, else every one to pick from. */
export function fingerprintChoices(r: Report): { label: string; description: string; sha256: string }[] {
  const certs = r.items.flatMap((it, i) => (it.kind === 'certificate' ? [{ it, i }] : []));
  const focused = certs.find((c) => c.i === r.focus);
  return (focused ? [focused] : certs).map(({ it }) =>
    it.kind === 'certificate'
      ? { label: it.title, description: `line ${it.line + 1} · ${it.validity}`, sha256: it.sha256 }
      : (undefined as never),
  );
}

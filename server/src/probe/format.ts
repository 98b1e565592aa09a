/** A probe result for people: plain text for the CLI, Markdown for the editor's preview. */
import * as path from 'node:path';
import type { ProbeResult } from './types';

function yesNo(v: boolean | null): string {
  return v === null ? 'unknown' : v ? 'yes' : 'no';
}

function summary(r: ProbeResult): string {
  const t = r.target;
  const where = `${t.host}:${t.port}`;
  return r.ok
    ? `OK: ${where} (${t.serverName}) — ${r.protocol}, ${r.cipher}${r.alpn ? `, ALPN ${r.alpn}` : ''}`
    : `FAILED: ${where} — ${r.error}`;
}

function clientLine(r: ProbeResult): string {
  const c = r.clientCertificate;
  const accepted = c.accepted === null ? '' : c.accepted ? ', accepted' : ', rejected';
  return `asked for: ${yesNo(c.requested)}; ours ${c.configured ? `(${path.basename(r.target.cert ?? '')})` : '(none configured)'} sent: ${yesNo(c.sent)}${accepted}`;
}

export function formatText(r: ProbeResult): string {
  const t = r.target;
  const lines = [summary(r), ''];
  lines.push(
    `target:      ${t.host}:${t.port} (${t.protocol}${t.alpnOffered.length ? `, ALPN offered ${t.alpnOffered.join(',')}` : ''})${t.remoteAddress ? ` → ${t.remoteAddress}` : ''}`,
  );
  lines.push(`verify:      name ${t.serverName} against ${t.ca ?? 'the system roots'}`);
  if (r.protocol) lines.push(`negotiated:  ${r.protocol}, ${r.cipher}, ALPN ${r.alpn ?? '(none)'}`);
  if (r.chain.length) {
    lines.push('chain:');
    r.chain.forEach((c, i) =>
      lines.push(
        `  ${i}: ${c.subject} | issuer ${c.issuer} | SANs ${c.sans.join(', ') || '(none)'} | expires ${c.notAfter.slice(0, 10)} | SHA-256 ${c.sha256}`,
      ),
    );
    lines.push(
      `server cert: chain ${r.verification.chain ? 'verifies' : `does NOT verify (${r.verification.reason})`}; name ${r.verification.name ? 'matches' : 'does NOT match'}`,
    );
  }
  if (r.protocol || r.clientCertificate.configured) lines.push(`client cert: ${clientLine(r)}`);
  if (r.alert) lines.push(`alert:       ${r.alert.code} ${r.alert.name}`);
  if (r.facts?.derivation?.length) {
    lines.push('derived from the config:');
    for (const d of r.facts.derivation) lines.push(`  ${d}`);
  }
  if (r.findings.length) {
    lines.push('');
    for (const f of r.findings) lines.push(`${f.severity}: [${f.code}] ${f.message}`);
  }
  lines.push('', `same test with openssl: ${r.openssl}`);
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

export function formatMarkdown(r: ProbeResult): string {
  const t = r.target;
  const out: string[] = [];
  out.push(`# TLS connection to ${esc(`${t.host}:${t.port}`)}: ${r.ok ? 'OK' : 'FAILED'}`, '');
  out.push(
    r.ok ? `The handshake succeeded and the server certificate verifies for **${esc(t.serverName)}**.` : `**${esc(r.error ?? 'failed')}**`,
    '',
  );
  const problems = r.findings.filter((f) => f.message !== r.error);
  if (problems.length) {
    out.push('## Findings', '');
    for (const f of problems) out.push(`- **${f.severity}** \`${f.code}\`: ${esc(f.message)}`);
    out.push('');
  }
  out.push('## Connection', '', '| | |', '|---|---|');
  out.push(
    `| target | \`${t.host}:${t.port}\` (${t.protocol})${t.remoteAddress ? ` → ${esc(t.remoteAddress)}` : ''}${t.local === false ? ' — **not this machine**' : ''} |`,
  );
  out.push(`| name verified | \`${esc(t.serverName)}\` |`);
  out.push(`| trusted CA | ${t.ca ? `\`${esc(t.ca)}\`` : 'system roots'} |`);
  out.push(`| client certificate | ${t.cert ? `\`${esc(t.cert)}\`` : 'none'} |`);
  if (r.protocol)
    out.push(
      `| protocol | ${r.protocol}, ${esc(r.cipher ?? '')} |`,
      `| ALPN | ${r.alpn ?? '(none)'}${t.alpnOffered.length ? ` (offered ${t.alpnOffered.join(', ')})` : ''} |`,
    );
  if (r.chain.length)
    out.push(
      `| server certificate | chain ${r.verification.chain ? 'verifies' : `**does not verify** (${r.verification.reason})`}; name ${r.verification.name ? 'matches' : '**does not match**'} |`,
    );
  if (r.protocol || r.clientCertificate.configured) out.push(`| client authentication | ${esc(clientLine(r))} |`);
  if (r.alert) out.push(`| alert from the server | ${r.alert.code} ${r.alert.name} |`);
  out.push(`| time | ${r.elapsedMs} ms |`, '');
  if (r.chain.length) {
    out.push('## Presented chain', '');
    r.chain.forEach((c, i) => {
      out.push(
        `${i}. **${esc(c.subject)}** — issuer ${esc(c.issuer)}; SANs ${esc(c.sans.join(', ') || 'none')}; expires ${c.notAfter.slice(0, 10)}  `,
      );
      out.push(`   SHA-256 \`${c.sha256}\``);
    });
    out.push('');
  }
  if (r.facts?.derivation?.length) {
    out.push(`## Derived from ${r.facts.configFile ? `\`${esc(path.basename(r.facts.configFile))}\`` : 'the config'}`, '');
    for (const d of r.facts.derivation) out.push(`- ${esc(d)}`);
    out.push('');
  }
  out.push('## The same test with openssl', '', '```sh', r.openssl, '```', '');
  return out.join('\n');
}

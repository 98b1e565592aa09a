/** The client and package.json agree with server/src/protocol.ts instead of spelling ids themselves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLIENT_COMMANDS, SETTINGS_SECTION } from '../../server/src/protocol';

const repo = path.join(__dirname, '../..');

/** String literals ('…', "…", `…` without substitutions) that are one of our ids or the settings section. */
function ownIdLiterals(source: string): string[] {
  const ours = new RegExp(`^${SETTINGS_SECTION}([./][\\w./-]*)?$`);
  return [...source.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\$]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3]).filter((s) => ours.test(s));
}

test('the id scanner finds command, notification and section literals and nothing else', () => {
  const found = ownIdLiterals(
    `x('tlsConfig.generateCerts'); y("tlsConfig/settings"); z(\`tlsConfig\`); get('expiryWarningDays'); t('TLS Config'); u('tlsConfigs')`,
  );
  assert.deepEqual(found, ['tlsConfig.generateCerts', 'tlsConfig/settings', 'tlsConfig']);
});

test('client/src spells no command, request, notification or settings id: they come from protocol.ts', () => {
  const dir = path.join(repo, 'client/src');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    assert.deepEqual(ownIdLiterals(fs.readFileSync(path.join(dir, f), 'utf8')), [], `client/src/${f}`);
  }
});

test('package.json contributes exactly the client commands of the protocol, and its menus name only those', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const ids = Object.values(CLIENT_COMMANDS).sort();
  assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command).sort(), ids);
  for (const items of Object.values(pkg.contributes.menus) as { command: string }[][]) {
    for (const item of items) assert.ok(ids.includes(item.command as (typeof ids)[number]), item.command);
  }
  for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(key.startsWith(`${SETTINGS_SECTION}.`), key);
});

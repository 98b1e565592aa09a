import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  CertWriteError,
  DEFAULT_OPTIONS,
  generateCertSet,
  planWrite,
  writeCertSet,
  type GeneratedFile,
} from '../../server/src/service/certgen';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let set: GeneratedFile[];
const roots: string[] = [];
before(async () => {
  set = await generateCertSet({ ...DEFAULT_OPTIONS, csr: true });
});
after(() => {
  for (const r of roots) {
    try {
      chmodSync(r, 0o755);
    } catch {
      /* ignore */
    }
    rmSync(r, { recursive: true, force: true });
  }
});

function freshDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'certgen-write-'));
  roots.push(d);
  return d;
}

const mode = (p: string) => statSync(p).mode & 0o777;
/** Temp and backup files the writer may have left (all start with a dot). */
const hidden = (d: string) => readdirSync(d).filter((n) => n.startsWith('.'));

describe('planWrite', () => {
  it('lists target paths and which already exist', () => {
    const d = freshDir();
    writeFileSync(path.join(d, 'server.pem'), 'old');
    const plan = planWrite(d, set);
    assert.equal(plan.length, set.length);
    assert.deepEqual(
      plan.filter((p) => p.exists).map((p) => p.path),
      [path.join(d, 'server.pem')],
    );
    assert.equal(plan[0].path, path.join(d, 'ca.pem'));
  });

  it('refuses names that are not plain file names', () => {
    assert.throws(
      () => planWrite(freshDir(), [{ name: '../x.pem' as GeneratedFile['name'], contents: '', secret: false }]),
      CertWriteError,
    );
  });
});

describe('writeCertSet', () => {
  it('creates the folder, writes every file, keys 0600 and the rest 0644 whatever the umask', async () => {
    const d = path.join(freshDir(), 'deep', 'tls');
    const old = process.umask(0o077);
    let written: string[];
    try {
      ({ written } = await writeCertSet(d, set, { overwrite: false }));
    } finally {
      process.umask(old);
    }
    assert.deepEqual(
      written,
      set.map((f) => path.join(d, f.name)),
    );
    for (const f of set) {
      const p = path.join(d, f.name);
      assert.equal(readFileSync(p, 'utf8'), f.contents);
      assert.equal(mode(p), f.secret ? 0o600 : 0o644, `${f.name} mode ${mode(p).toString(8)}`);
    }
    assert.deepEqual(hidden(d), []);
    assert.deepEqual(readdirSync(d).sort(), set.map((f) => f.name).sort());
  });

  it('refuses to overwrite, names the existing files, and writes nothing', async () => {
    const d = freshDir();
    writeFileSync(path.join(d, 'server.pem'), 'old server');
    writeFileSync(path.join(d, 'ca.key'), 'old key');
    await assert.rejects(writeCertSet(d, set, { overwrite: false }), (e: unknown) => {
      assert.ok(e instanceof CertWriteError);
      assert.match(e.message, /already exist/);
      assert.ok(e.message.includes(path.join(d, 'server.pem')), e.message);
      assert.ok(e.message.includes(path.join(d, 'ca.key')), e.message);
      assert.ok(!e.message.includes(path.join(d, 'client.pem')), e.message);
      return true;
    });
    assert.deepEqual(readdirSync(d).sort(), ['ca.key', 'server.pem']);
    assert.equal(readFileSync(path.join(d, 'server.pem'), 'utf8'), 'old server');
  });

  it('replaces existing files with overwrite: true and leaves no backups', async () => {
    const d = freshDir();
    writeFileSync(path.join(d, 'server.key'), 'old', { mode: 0o644 });
    writeFileSync(path.join(d, 'unrelated.txt'), 'keep');
    await writeCertSet(d, set, { overwrite: true });
    assert.equal(readFileSync(path.join(d, 'server.key'), 'utf8'), set.find((f) => f.name === 'server.key')!.contents);
    assert.equal(mode(path.join(d, 'server.key')), 0o600, 'a replaced key becomes 0600');
    assert.equal(readFileSync(path.join(d, 'unrelated.txt'), 'utf8'), 'keep');
    assert.deepEqual(hidden(d), []);
  });

  it('refuses when a target path is a directory, before writing anything', async () => {
    const d = freshDir();
    mkdirSync(path.join(d, 'server.pem'));
    await assert.rejects(writeCertSet(d, set, { overwrite: true }), /server\.pem exists and is not a regular file/);
    assert.deepEqual(readdirSync(d), ['server.pem']);
  });

  it('reports a target folder that is a file', async () => {
    const f = path.join(freshDir(), 'tls');
    writeFileSync(f, 'i am a file');
    await assert.rejects(writeCertSet(f, set, { overwrite: false }), /a file \(not a folder\) is in the way/);
    await assert.rejects(writeCertSet(path.join(f, 'sub'), set, { overwrite: false }), /a file \(not a folder\) is in the way/);
    assert.equal(readFileSync(f, 'utf8'), 'i am a file');
  });

  it('leaves nothing behind in a read-only folder', async () => {
    const d = freshDir();
    chmodSync(d, 0o555);
    // Root ignores folder permissions, so as root the write runs as the unprivileged user nobody.
    const cmd = [process.execPath, '--import', 'tsx', path.join(__dirname, '../support/write-into.ts'), d];
    const argv = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...cmd] : cmd;
    const out = execFileSync(argv[0], argv.slice(1), {
      cwd: path.join(__dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: undefined },
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    assert.equal(r.ok, false);
    assert.equal(r.name, 'CertWriteError');
    assert.match(r.message, /failed to write a temporary file for ca\.pem: .*EACCES/);
    assert.match(r.message, /No file of the new set was left behind/);
    chmodSync(d, 0o755);
    assert.deepEqual(readdirSync(d), []);
  });

  it('rolls back when moving a file into place fails mid-run, restoring replaced files', async () => {
    const d = freshDir();
    writeFileSync(path.join(d, 'server.pem'), 'old server');
    writeFileSync(path.join(d, 'client.csr'), 'old csr');
    const seen: string[] = [];
    await assert.rejects(
      writeCertSet(d, set, {
        overwrite: true,
        beforeCommit: (p) => {
          seen.push(path.basename(p));
          // Another process puts a non-empty directory where server.key goes: rename() must fail.
          if (p.endsWith('server.key')) {
            mkdirSync(p);
            writeFileSync(path.join(p, 'x'), 'x');
          }
        },
      }),
      (e: unknown) => {
        assert.ok(e instanceof CertWriteError);
        assert.match(e.message, /failed to move server\.key into place/);
        assert.match(e.message, /No file of the new set was left behind; existing files are unchanged/);
        return true;
      },
    );
    assert.deepEqual(seen, ['ca.pem', 'ca.key', 'server.pem', 'server.key']);
    // ca.pem / ca.key were committed, then removed; server.pem was replaced, then restored.
    assert.deepEqual(readdirSync(d).sort(), ['client.csr', 'server.key', 'server.pem']);
    assert.equal(readFileSync(path.join(d, 'server.pem'), 'utf8'), 'old server');
    assert.equal(readFileSync(path.join(d, 'client.csr'), 'utf8'), 'old csr');
    assert.ok(statSync(path.join(d, 'server.key')).isDirectory(), "the other process's directory is left alone");
  });

  it('rolls back when a step throws, naming the step', async () => {
    const d = freshDir();
    await assert.rejects(
      writeCertSet(d, set, {
        overwrite: false,
        beforeCommit: (p) => {
          if (p.endsWith('client.pem')) throw new Error('disk on fire');
        },
      }),
      /failed to move client\.pem into place at .*: disk on fire/,
    );
    assert.deepEqual(readdirSync(d), []);
  });

  it('does not clobber a file that appears while writing', async () => {
    const d = freshDir();
    await assert.rejects(
      writeCertSet(d, set, {
        overwrite: false,
        beforeCommit: (p) => {
          if (p.endsWith('server.pem')) writeFileSync(p, 'written by someone else');
        },
      }),
      (e: unknown) => {
        assert.ok(e instanceof CertWriteError);
        assert.match(e.message, /server\.pem .*appeared while writing \(not overwritten\)/);
        return true;
      },
    );
    assert.deepEqual(readdirSync(d), ['server.pem']);
    assert.equal(readFileSync(path.join(d, 'server.pem'), 'utf8'), 'written by someone else');
  });
});

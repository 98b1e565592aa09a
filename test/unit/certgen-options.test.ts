import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkName,
  classifyName,
  DEFAULT_OPTIONS,
  normalizeNames,
  validateOptions,
  type GenerateOptions,
} from '../../server/src/service/certgen';

const v = (over: Partial<GenerateOptions>) => validateOptions({ ...DEFAULT_OPTIONS, ...over });

describe('certgen options', () => {
  it('accepts the defaults', () => {
    assert.deepEqual(validateOptions(DEFAULT_OPTIONS), []);
    assert.equal(DEFAULT_OPTIONS.leafDays, 825);
    assert.equal(DEFAULT_OPTIONS.caDays, 3650);
    assert.equal(DEFAULT_OPTIONS.keyType, 'P-256');
  });

  it('classifies IPv4 and IPv6 (bracketed too) as IP SANs, the rest as DNS', () => {
    assert.equal(classifyName('127.0.0.1'), 'ip');
    assert.equal(classifyName('::1'), 'ip');
    assert.equal(classifyName('[fd00::1]'), 'ip');
    assert.equal(classifyName('::ffff:10.0.0.1'), 'ip');
    assert.equal(classifyName('localhost'), 'dns');
    assert.equal(classifyName('milvus-standalone'), 'dns');
  });

  it('normalises names: trims, drops blanks and case-insensitive duplicates', () => {
    assert.deepEqual(normalizeNames([' localhost ', '', 'LOCALHOST', '[::1]', '::1', 'a.b']), ['localhost', '::1', 'a.b']);
  });

  it('explains each kind of bad name', () => {
    assert.match(checkName('https://milvus:19530')!, /is a URL; give only the host name \(for example "milvus"\)/);
    assert.match(checkName('milvus:19530')!, /leave out the port \(for example "milvus"\)/);
    assert.match(checkName('256.1.1.1')!, /not a valid IPv4 address/);
    assert.match(checkName('1.2.3')!, /not a valid IPv4 address/);
    assert.match(checkName('fe80::zz')!, /not a valid IPv6 address/);
    assert.match(checkName('fe80::1%eth0')!, /zone identifiers/);
    assert.match(checkName('-bad.example')!, /not a valid DNS name/);
    assert.match(checkName('has space')!, /white space/);
    assert.match(checkName('*.com')!, /wildcard/);
    assert.match(checkName('a.*.example.com')!, /wildcard/);
    assert.match(checkName('x'.repeat(64))!, /not a valid DNS name/);
    for (const ok of ['localhost', 'milvus_standalone', '*.milvus.example.com', 'db.example.com.', '10.0.0.1', '2001:db8::1']) {
      assert.equal(checkName(ok), undefined, ok);
    }
  });

  it('reports empty names, out-of-range days and a leaf outliving its CA', () => {
    assert.match(v({ names: [] }).join('\n'), /at least one host name or IP address/);
    assert.match(v({ names: ['  ', ''] }).join('\n'), /at least one host name/);
    assert.match(v({ leafDays: 0 }).join('\n'), /leafDays must be between 1 and 3650 days \(got 0\)/);
    assert.match(v({ leafDays: 1.5 }).join('\n'), /leafDays must be a whole number/);
    assert.match(v({ caDays: 40000 }).join('\n'), /caDays must be between 1 and 36500/);
    assert.match(v({ leafDays: 900, caDays: 365 }).join('\n'), /must not exceed caDays/);
    assert.deepEqual(
      v({ leafDays: 900, caDays: 1, reuseCa: { certPem: '-----BEGIN CERTIFICATE-----', keyPem: '-----BEGIN PRIVATE KEY-----' } }),
      [],
    );
  });

  it('reports bad mode, key type, common name and reuseCa inputs', () => {
    const errs = validateOptions({
      ...DEFAULT_OPTIONS,
      mode: 'two-way' as never,
      keyType: 'RSA-1024' as never,
      commonName: ' ',
      reuseCa: { certPem: 'x', keyPem: 'y' },
    }).join('\n');
    assert.match(errs, /mode must be "one-way" \(tlsMode 1\) or "mutual" \(tlsMode 2\)/);
    assert.match(errs, /keyType must be one of P-256, P-384, RSA-2048, RSA-3072, RSA-4096/);
    assert.match(errs, /commonName, when given, must not be empty/);
    assert.match(errs, /not a PEM certificate/);
    assert.match(errs, /not a PEM private key/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoFindings } from '../../server/src/service/findings-memo';
import { Workspace } from '../../server/src/service/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';

test('a hover right after validation reuses its findings; any workspace change or new settings runs the checks again', () => {
  const ws = new Workspace([], { ...DEFAULT_SETTINGS });
  const model = {};
  let runs = 0;
  const run = () => {
    runs++;
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: `run ${runs}` }];
  };
  const first = memoFindings(model, '/w/milvus.yaml', ws, run);
  const again = memoFindings(model, '/w/milvus.yaml', ws, run);
  assert.equal(runs, 1);
  assert.deepEqual(again, first);
  again.push(first[0]);
  assert.equal(memoFindings(model, '/w/milvus.yaml', ws, run).length, 1, 'callers get a copy');

  ws.invalidate('/w/tls/server.pem');
  assert.equal(memoFindings(model, '/w/milvus.yaml', ws, run)[0].message, 'run 2');
  ws.setOverlay('/w/tls/server.pem', 'x', 1);
  assert.equal(memoFindings(model, '/w/milvus.yaml', ws, run)[0].message, 'run 3');
  ws.settings = { ...ws.settings };
  assert.equal(memoFindings(model, '/w/milvus.yaml', ws, run)[0].message, 'run 4');
  assert.equal(memoFindings({}, '/w/milvus.yaml', ws, run)[0].message, 'run 5', 'another document version');
  assert.equal(runs, 5);
});

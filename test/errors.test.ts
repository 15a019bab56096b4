import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, ERROR_CODES, toProblem, type ErrorCode } from '../lib/errors';

describe('error registry', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/errors.md'), 'utf8');

  for (const [code, definition] of Object.entries(ERROR_CODES)) {
    it(`documents ${code} with its status and title in docs/errors.md`, () => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} has no row in docs/errors.md`);
      assert.ok(row.includes(`| ${definition.status} |`), `${code}: status ${definition.status} not in its row`);
      assert.ok(row.includes(`| ${definition.title} |`), `${code}: title "${definition.title}" not in its row`);
    });
  }

  it('renders problem+json with type, title, status, detail, code and requestId', () => {
    const problem = toProblem(new AppError('ERR_QUEUE_FULL', 'flow f has 3 jobs waiting'), 'req-1');
    assert.deepEqual(problem, {
      type: 'https://hookport.dev/problems/queue-full', title: 'Queue is full.', status: 503,
      detail: 'flow f has 3 jobs waiting', code: 'ERR_QUEUE_FULL', requestId: 'req-1',
    });
  });

  it('never shows the detail of a verification failure', () => {
    const problem = toProblem(new AppError('ERR_UNAUTHORIZED', 'signature mismatch for key 2', { internalReason: 'x' }), 'r');
    assert.equal(problem.detail, 'Unauthorized');
    assert.ok(!JSON.stringify(problem).includes('signature mismatch'));
  });

  it('has only ERR_SCREAMING_SNAKE codes', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) assert.match(code, /^ERR_[A-Z0-9_]+$/);
  });
});

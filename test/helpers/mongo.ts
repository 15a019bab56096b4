/**
 * The MongoDB test server, when there is one: `MONGODB_URI` (scripts/test-mongo.sh
 * sets it, or point it at your own MongoDB 6+/Atlas). Suites that need it run
 * only then; with HOOKPORT_REQUIRE_MONGO set (CI) a missing server is a failure.
 */
import assert from 'node:assert/strict';
import { randomId } from '../../lib/ids';

export const mongoUri = process.env.MONGODB_URI || undefined;

/** Declares `body` when a server is there; otherwise a notice, or in CI a failing test. */
export function whenMongo(suite: string, body: (uri: string) => void): void {
  if (mongoUri) {
    body(mongoUri);
    return;
  }
  if (process.env.HOOKPORT_REQUIRE_MONGO) {
    describe(suite, () => {
      it('has a MongoDB server to run against', () => {
        assert.fail('HOOKPORT_REQUIRE_MONGO is set but MONGODB_URI is not: the MongoDB suite could not run');
      });
    });
    return;
  }
  console.log(`  (skipped "${suite}": no MongoDB; run it with scripts/test-mongo.sh run npm test, or MONGODB_URI=… npm run test:mongo)`);
}

/** The same server, another database (each suite, or each harness, its own). */
export function databaseUri(uri: string, database = `hookport_test_${randomId().slice(0, 12)}`): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

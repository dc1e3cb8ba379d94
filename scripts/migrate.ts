/** npm run migrate: creates or updates the Postgres store's schema at DATABASE_URL (safe to run again). */
import 'dotenv/config';
import { openPgStore } from '../src/app';
import { MIGRATIONS } from '../src/store/pg-schema';
import { fail } from './cli-args';

const pg = openPgStore(process.env.DATABASE_URL);
if (pg === null) fail(new Error('DATABASE_URL is not set: there is nothing to migrate (the local index folder needs no migration).'));
try {
  const applied = await pg.store.migrate();
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  process.stdout.write(applied.length === 0 ? `Schema is up to date (version ${latest}).\n` : `Applied migrations ${applied.join(', ')}; schema is at version ${latest}.\n`);
} catch (err) {
  await pg.client.close();
  fail(err);
}
await pg.client.close();

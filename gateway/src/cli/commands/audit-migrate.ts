/**
 * `pactum audit migrate`: copies a trail of layout 1 into a new trail of the current layout
 * (`audit/migrate-layout.ts`), hashes, chains and signed checkpoints kept. The source is only
 * read; the target must be new — a SQLite file that does not exist yet, or a PostgreSQL schema
 * without a trail — so a mistyped path cannot mix two trails.
 *   pactum audit migrate --from <old.sqlite> --file <new.sqlite>
 *   pactum audit migrate --from-url <postgres://…> --from-schema <old> --url <postgres://…> --schema <new>
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { migrateLayout } from '../../audit';

/** The options `audit migrate` reads. */
export interface MigrateOptions {
  readonly from?: string;
  readonly 'from-url'?: string;
  readonly 'from-schema'?: string;
  readonly url?: string;
  readonly file?: string;
  readonly schema?: string;
  readonly json?: boolean;
}

/** A usage mistake (exit 2), found before anything is opened. */
export class MigrateUsageError extends Error {}

/** Checks the options and returns the migration to run (which prints its summary through `out`). */
export function planMigrate(v: MigrateOptions): (out: (text: string) => void) => Promise<number> {
  if ((v.from === undefined) === (v['from-url'] === undefined)) throw new MigrateUsageError('audit migrate needs the old trail: --from <file> or --from-url <url> (one of them)');
  if (v.from !== undefined && v['from-schema'] !== undefined) throw new MigrateUsageError('--from-schema goes with --from-url');
  if ((v.file === undefined) === (v.url === undefined)) throw new MigrateUsageError('audit migrate needs the new trail: --file <new file> or --url <url> --schema <new schema> (one of them)');
  if (v.file !== undefined && v.schema !== undefined) throw new MigrateUsageError('--schema goes with --url');
  if (v.url !== undefined && v.schema === undefined) throw new MigrateUsageError('audit migrate --url needs --schema <new schema> (a schema with no trail yet)');
  const file = v.file !== undefined ? path.resolve(v.file) : undefined;
  const from = v.from !== undefined ? path.resolve(v.from) : undefined;
  if (file !== undefined && existsSync(file)) throw new MigrateUsageError(`${file} exists: migrate into a new file`);
  if (from !== undefined && !existsSync(from)) throw new MigrateUsageError(`no audit trail at ${from}`);
  return async (out) => {
    const result = await migrateLayout({
      from: from !== undefined ? { file: from } : { url: v['from-url'] ?? '', schema: v['from-schema'] ?? 'pactum_audit' },
      to: file !== undefined ? { file } : { url: v.url ?? '', schema: v.schema ?? '' },
    });
    if (v.json) out(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const lines = result.chains.map((c) => `  chain ${c.chain}: ${c.records} record(s)${c.fromSeq > 1 ? ` from seq ${c.fromSeq} (earlier ones pruned by retention)` : ''}, head ${c.head ? `seq ${c.head.seq} ${c.head.hash}` : 'none'}`);
      out(`migrated ${result.from} to ${result.to}: ${result.chains.length} chain(s), ${result.checkpoints} signed checkpoint(s), every hash unchanged\n${lines.join('\n')}\n`);
    }
    return 0;
  };
}

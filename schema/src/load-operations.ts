import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Folder holding the trusted operations, one named operation per `.graphql` file. */
export const operationsDir = join(__dirname, '..', 'operations');

/**
 * The trusted operations front-ends use, by operation name (the file name without `.graphql`).
 * Each file holds exactly one named operation of that name plus the fragments it uses.
 */
export function loadOperations(): Record<string, string> {
  const operations: Record<string, string> = {};
  for (const file of readdirSync(operationsDir).filter((f) => f.endsWith('.graphql')).sort()) {
    operations[basename(file, '.graphql')] = readFileSync(join(operationsDir, file), 'utf8');
  }
  return operations;
}

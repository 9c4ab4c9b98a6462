/**
 * What `pactum dev` watches of a subgraph: the files under its `src/` folder (tests left out), by
 * path, size and modification time. Scanning beats `fs.watch` here: it sees every editor's way of
 * saving (write in place, write and rename), costs little on a subgraph's few files, and behaves
 * the same on every platform.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Path → `size:mtime` of every file under a subgraph's `src/`. */
export type SourceSnapshot = ReadonlyMap<string, string>;

export function snapshotSources(workspaceDir: string): SourceSnapshot {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder removed between the listing and now
    }
    for (const d of entries) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== '__tests__' && d.name !== 'node_modules') walk(full);
      } else if (d.isFile()) {
        try {
          const st = fs.statSync(full);
          files.set(full, `${st.size}:${st.mtimeMs}`);
        } catch {
          // removed meanwhile: the next scan sees it gone
        }
      }
    }
  };
  walk(path.join(workspaceDir, 'src'));
  return files;
}

/** Whether anything was added, removed or changed between two snapshots. */
export function changedSources(before: SourceSnapshot | undefined, after: SourceSnapshot): boolean {
  if (!before || before.size !== after.size) return true;
  for (const [file, stamp] of after) if (before.get(file) !== stamp) return true;
  return false;
}

/**
 * The scaffold's templates (`subgraphs/kit/template/`) and their one substitution rule: each
 * `__placeholder__` below is replaced, everywhere, in file names and contents alike.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What the placeholders stand for. */
export interface TemplateValues {
  /** `maoc` (`__name__`) */
  readonly name: string;
  /** `Maoc` (`__Name__`) */
  readonly Name: string;
  /** `MAOC` (`__NAME__`) */
  readonly NAME: string;
  /** `MAOC-N` (`__AGENCY__`) */
  readonly agency: string;
  /** `maoc-n` (`__agency__`) */
  readonly agencyLower: string;
  /** `maoc_n` (`__agency_snake__`) */
  readonly agencySnake: string;
  /** another agency, for the denial test (`__OTHER__`, `__other_snake__`) */
  readonly other: string;
  readonly otherSnake: string;
  /** `4005` (`__PORT__`) */
  readonly port: number;
  /** `2026-12-01` (`__TODAY__`) */
  readonly today: string;
}

/** The template folder of this checkout's kit. */
export const templateDir = path.resolve(__dirname, '..', '..', '..', '..', 'subgraphs', 'kit', 'template');

export interface TemplateFile {
  /** Absolute path of the `.tmpl` file. */
  readonly file: string;
  /** Where it goes: the new workspace, or the policy folder. */
  readonly target: 'workspace' | 'policies';
  /** Path inside the target, `.tmpl` removed, placeholders not yet replaced. */
  readonly relative: string;
}

/** Where the two policy templates land inside `policies/`. */
const POLICY_TARGETS: Readonly<Record<string, string>> = {
  'agreement-own-data.yaml.tmpl': 'agreements/__agency__-own-data.yaml',
  'tests-own-data.yaml.tmpl': 'tests/__agency__-own-data.yaml',
};

/** Every template, in a stable order. */
export function templateFiles(dir: string = templateDir): TemplateFile[] {
  const out: TemplateFile[] = [];
  const walk = (sub: string): void => {
    for (const d of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.join(sub, d.name);
      if (d.isDirectory()) walk(rel);
      else if (d.name.endsWith('.tmpl')) {
        if (sub === 'policies') {
          const target = POLICY_TARGETS[d.name];
          if (!target) throw new Error(`${path.join(dir, rel)}: unknown policy template`);
          out.push({ file: path.join(dir, rel), target: 'policies', relative: target });
        } else out.push({ file: path.join(dir, rel), target: 'workspace', relative: rel.slice(0, -'.tmpl'.length) });
      }
    }
  };
  walk('');
  return out;
}

/** Replaces every placeholder; a placeholder left over is a template bug and throws. */
export function renderTemplate(text: string, v: TemplateValues): string {
  const out = text
    .replaceAll('__agency_snake__', v.agencySnake)
    .replaceAll('__other_snake__', v.otherSnake)
    .replaceAll('__AGENCY__', v.agency)
    .replaceAll('__agency__', v.agencyLower)
    .replaceAll('__OTHER__', v.other)
    .replaceAll('__PORT__', String(v.port))
    .replaceAll('__TODAY__', v.today)
    .replaceAll('__NAME__', v.NAME)
    .replaceAll('__Name__', v.Name)
    .replaceAll('__name__', v.name);
  // `__tests__` is a folder name, not a placeholder; anything else in that shape is a misspelt one.
  const left = [...out.matchAll(/__[A-Za-z_]+__/g)].find((m) => m[0] !== '__tests__');
  if (left) throw new Error(`template placeholder ${left[0]} has no value`);
  return out;
}

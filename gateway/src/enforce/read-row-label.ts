/**
 * Reads the injected label of a row into a {@link RowLabel}. The subfields the rules need must
 * be present and well-typed; anything else makes the row unreadable, and an unreadable row is
 * withheld (fail closed). Subfields the rules did not ask for get neutral values they never read.
 */
import type { RowLabel } from '../policy';

function stringList(v: unknown): readonly string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (const s of v) if (typeof s !== 'string') return undefined;
  return v as readonly string[];
}

/** The label, or undefined when a needed subfield is missing or malformed. */
export function readRowLabel(value: unknown, subfields: readonly string[]): RowLabel | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const label: RowLabel = { owner: '', handling: [], handlingNote: null, releasableTo: [], caseRefs: [], europolSupport: false };
  for (const f of subfields) {
    const x = v[f];
    switch (f) {
      case 'owner':
        if (typeof x !== 'string' || x === '') return undefined;
        label.owner = x;
        break;
      case 'handling':
      case 'releasableTo':
      case 'caseRefs': {
        const list = stringList(x);
        if (!list) return undefined;
        label[f] = list;
        break;
      }
      case 'handlingNote':
        if (x !== null && typeof x !== 'string') return undefined;
        label.handlingNote = x;
        break;
      case 'europolSupport':
        if (typeof x !== 'boolean') return undefined;
        label.europolSupport = x;
        break;
      case 'origin':
        // Null: the owner collected the row itself. Anything but null or an agency id is unreadable.
        if (x !== null && (typeof x !== 'string' || x === '')) return undefined;
        label.origin = x;
        break;
      default:
        // A subfield the label shape does not know: the rules cannot have meant to read it.
        return undefined;
    }
  }
  return label;
}

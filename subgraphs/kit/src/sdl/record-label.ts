import { LabelError } from '../errors';

/** A handling code: a set of flags, not a ranking (see docs/demo-world.md, "Labels"). */
export type HandlingCode = 'H0' | 'H1' | 'H2' | 'H3';

/** The standard record label every protected entity exposes as `label: RecordLabel!`. */
export interface RecordLabel {
  /** Agency id of the owner, e.g. `NL-CUSTOMS`. */
  owner: string;
  /** A set of flags, sorted, without duplicates. */
  handling: HandlingCode[];
  /** The free text of an H3 restriction. */
  handlingNote: string | null;
  /** Agency ids the owner allows the record to go to. */
  releasableTo: string[];
  /** Case / JIT references the record belongs to. */
  caseRefs: string[];
  /** Flagged by the owner for Europol support. */
  europolSupport: boolean;
  /**
   * The agency that provided the record to its owner, when another one did (a seizure Belgian
   * police reported to Dutch Customs: `BE-POLICE`); null or absent when the owner collected it.
   * The gateway withholds such a record from third countries unless that agency authorised it.
   */
  origin?: string | null;
}

/** The label columns as stored in SQLite (see {@link LABEL_COLUMNS}). */
export interface LabelRow {
  owner: string;
  /** Comma-separated (`H0,H2`) or a JSON array (`["H0","H2"]`). */
  handling: string;
  handling_note: string | null;
  /** Comma-separated or JSON array of agency ids. */
  releasable_to: string;
  /** Comma-separated or JSON array of references. */
  case_refs: string;
  /** 0 / 1 (SQLite has no boolean). */
  europol_support: number | boolean;
  /**
   * Agency id that provided the record, or null (a table created before the column existed reads
   * as null). `label_origin`, not `origin`: tables have their own `origin` columns (a declaration's
   * country of origin), which `SELECT *` would otherwise mistake for the label's.
   */
  label_origin?: string | null;
}

/**
 * The canonical label columns, for a subgraph's `CREATE TABLE`:
 * `CREATE TABLE seizures (id TEXT PRIMARY KEY, …, ${LABEL_COLUMNS})`.
 */
export const LABEL_COLUMNS =
  "owner TEXT NOT NULL, handling TEXT NOT NULL DEFAULT '', handling_note TEXT, " +
  "releasable_to TEXT NOT NULL DEFAULT '', case_refs TEXT NOT NULL DEFAULT '', europol_support INTEGER NOT NULL DEFAULT 0, " +
  // label_origin came after the first migrations shipped: a store created before it has no such
  // column, its seed never runs again, and `SELECT *` then reads every origin as null — the record
  // collected by its owner, which withholds nothing that origin would have let through.
  'label_origin TEXT';

const HANDLING_CODES: ReadonlySet<string> = new Set(['H0', 'H1', 'H2', 'H3']);
const AGENCY_ID = /^[A-Z][A-Z0-9-]{1,39}$/;

/** Splits a stored list: a JSON array of strings, or comma-separated text; empty means none. */
function parseList(column: string, text: unknown): string[] {
  if (text === null || text === undefined || text === '') return [];
  if (typeof text !== 'string') throw new LabelError('column_type', `label column ${column} must be text`);
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new LabelError('column_json', `label column ${column} is not valid JSON`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === 'string')) {
      throw new LabelError('column_json', `label column ${column} must be a JSON array of strings`);
    }
    return parsed.map((s) => s.trim()).filter((s) => s !== '');
  }
  return trimmed.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Reads the label columns of a row into a {@link RecordLabel}. Fails closed: a label
 * that cannot be read is an error, never a label with fewer restrictions.
 *
 * @throws LabelError on a missing owner, an unknown handling code or an unreadable list.
 */
export function labelFromRow(row: LabelRow): RecordLabel {
  const key = labelCacheKey(row);
  let checked = key === undefined ? undefined : checkedLabels.get(key);
  if (!checked) {
    checked = readLabel(row);
    if (key !== undefined) {
      if (checkedLabels.size >= LABEL_CACHE_LIMIT) checkedLabels.clear();
      checkedLabels.set(key, checked);
    }
  }
  // A fresh object and fresh lists every time: a resolver that edits the label it was given must
  // never change the label of another row or another request.
  return { ...checked, handling: [...checked.handling], releasableTo: [...checked.releasableTo], caseRefs: [...checked.caseRefs] };
}

/**
 * Labels already read and checked, by their column values. Rows of one table mostly share a
 * handful of labels, and reading one (lists parsed, deduplicated, every agency id matched) was a
 * tenth of a subgraph's CPU on a page of 100 rows with their containers. Bounded: emptied when full.
 */
export const LABEL_CACHE_LIMIT = 1024;
const checkedLabels = new Map<string, RecordLabel>();

/** How many checked labels are kept (for tests). */
export function checkedLabelCount(): number {
  return checkedLabels.size;
}

/**
 * The cache key of a row's label columns, or undefined when a column is not of the type the cache
 * can key without ambiguity (those rows are always read afresh, and fail there if they are wrong).
 * Each text is length-prefixed, so no two different rows share a key whatever their text holds.
 */
function labelCacheKey(row: LabelRow): string | undefined {
  const { owner, handling, releasable_to: releasable, case_refs: caseRefs, europol_support: es } = row;
  if (typeof owner !== 'string' || typeof handling !== 'string' || typeof releasable !== 'string' || typeof caseRefs !== 'string') return undefined;
  const flag = es === 1 || es === true ? 'y' : es === 0 || es === false ? 'n' : undefined;
  const note = row.handling_note ?? '';
  const origin = row.label_origin ?? '';
  if (flag === undefined || typeof note !== 'string' || typeof origin !== 'string') return undefined;
  // null, undefined and '' read alike for the note and the origin (no note, collected by the owner).
  return `${flag}${owner.length}:${owner}${handling.length}:${handling}${note.length}:${note}${releasable.length}:${releasable}${caseRefs.length}:${caseRefs}${origin.length}:${origin}`;
}

function readLabel(row: LabelRow): RecordLabel {
  const owner = typeof row.owner === 'string' ? row.owner.trim() : '';
  if (!AGENCY_ID.test(owner)) throw new LabelError('owner', `label owner ${JSON.stringify(owner.slice(0, 40))} is not an agency id`);
  const handling = [...new Set(parseList('handling', row.handling))].sort();
  for (const code of handling) {
    if (!HANDLING_CODES.has(code)) throw new LabelError('handling', `label handling code ${code.slice(0, 20)} is not one of H0, H1, H2, H3`);
  }
  const releasableTo = [...new Set(parseList('releasable_to', row.releasable_to))];
  for (const agency of releasableTo) {
    if (!AGENCY_ID.test(agency)) throw new LabelError('releasable_to', `label releasable_to entry ${agency.slice(0, 40)} is not an agency id`);
  }
  const es = row.europol_support;
  if (es !== 0 && es !== 1 && es !== true && es !== false) {
    throw new LabelError('europol_support', 'label column europol_support must be 0 or 1');
  }
  const note = row.handling_note;
  if (note !== null && note !== undefined && typeof note !== 'string') {
    throw new LabelError('column_type', 'label column handling_note must be text');
  }
  const origin = row.label_origin === undefined || row.label_origin === null || row.label_origin === '' ? null : row.label_origin;
  if (origin !== null && (typeof origin !== 'string' || !AGENCY_ID.test(origin))) {
    throw new LabelError('origin', `label origin ${JSON.stringify(String(origin).slice(0, 40))} is not an agency id`);
  }
  return {
    owner,
    origin,
    handling: handling as HandlingCode[],
    handlingNote: note === undefined || note === '' ? null : note,
    releasableTo,
    caseRefs: [...new Set(parseList('case_refs', row.case_refs))],
    europolSupport: es === 1 || es === true,
  };
}

/**
 * The column values for a label, for seeding with named parameters:
 * `INSERT INTO t (…, owner, handling, …) VALUES (…, @owner, @handling, …)`.
 * Lists are stored as JSON arrays.
 */
export function labelToRow(label: RecordLabel): LabelRow & { europol_support: number } {
  const checked = labelFromRow({
    owner: label.owner,
    handling: JSON.stringify(label.handling),
    handling_note: label.handlingNote,
    releasable_to: JSON.stringify(label.releasableTo),
    case_refs: JSON.stringify(label.caseRefs),
    europol_support: label.europolSupport ? 1 : 0,
    label_origin: label.origin ?? null,
  });
  return {
    label_origin: checked.origin ?? null,
    owner: checked.owner,
    handling: JSON.stringify(checked.handling),
    handling_note: checked.handlingNote,
    releasable_to: JSON.stringify(checked.releasableTo),
    case_refs: JSON.stringify(checked.caseRefs),
    europol_support: checked.europolSupport ? 1 : 0,
  };
}

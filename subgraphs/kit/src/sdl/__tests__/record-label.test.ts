import { LabelError } from '../../errors';
import { labelFromRow, labelToRow, type LabelRow } from '..';
import { LABEL_CACHE_LIMIT, checkedLabelCount } from '../record-label';

const row = (over: Partial<LabelRow>): LabelRow => ({
  owner: 'NL-CUSTOMS',
  handling: '',
  handling_note: null,
  releasable_to: '',
  case_refs: '',
  europol_support: 0,
  ...over,
});

describe('labelFromRow', () => {
  it('reads comma-separated columns', () => {
    expect(labelFromRow(row({ handling: 'H2,H0', releasable_to: 'NL-POLICE, EUROPOL', case_refs: 'NL-ONB-2024-0456', europol_support: 1 }))).toEqual({
      owner: 'NL-CUSTOMS',
      handling: ['H0', 'H2'],
      handlingNote: null,
      releasableTo: ['NL-POLICE', 'EUROPOL'],
      caseRefs: ['NL-ONB-2024-0456'],
      europolSupport: true,
      origin: null,
    });
  });

  it('reads the agency that provided the record (label_origin), and none when the column is empty or absent', () => {
    expect(labelFromRow(row({ label_origin: 'BE-POLICE' })).origin).toBe('BE-POLICE');
    expect(labelFromRow(row({ label_origin: '' })).origin).toBeNull();
    expect(labelFromRow(row({})).origin).toBeNull();
  });

  it('reads JSON array columns and treats handling as a set', () => {
    const label = labelFromRow(row({ handling: '["H3","H1","H3"]', handling_note: 'not for FR', releasable_to: '["EUROJUST"]', case_refs: '["EJ-2024-0173","EJ-2024-0173"]' }));
    expect(label.handling).toEqual(['H1', 'H3']);
    expect(label.handlingNote).toBe('not for FR');
    expect(label.releasableTo).toEqual(['EUROJUST']);
    expect(label.caseRefs).toEqual(['EJ-2024-0173']);
    expect(label.europolSupport).toBe(false);
  });

  it('gives empty lists for empty columns', () => {
    expect(labelFromRow(row({}))).toMatchObject({ handling: [], releasableTo: [], caseRefs: [] });
  });

  it.each<[Partial<LabelRow>, string, string]>([
    [{ owner: '' }, 'owner', 'label owner "" is not an agency id'],
    [{ owner: 'nl customs' }, 'owner', 'label owner "nl customs" is not an agency id'],
    [{ handling: 'H0,H4' }, 'handling', 'label handling code H4 is not one of H0, H1, H2, H3'],
    [{ handling: 'h0' }, 'handling', 'label handling code h0 is not one of H0, H1, H2, H3'],
    [{ handling: '["H0"' }, 'column_json', 'label column handling is not valid JSON'],
    [{ handling: '[1]' }, 'column_json', 'label column handling must be a JSON array of strings'],
    [{ releasable_to: 'NL-POLICE,everyone' }, 'releasable_to', 'label releasable_to entry everyone is not an agency id'],
    [{ europol_support: 2 }, 'europol_support', 'label column europol_support must be 0 or 1'],
    [{ label_origin: 'belgium' }, 'origin', 'label origin "belgium" is not an agency id'],
  ])('fails closed on %j', (over, reason, message) => {
    expect(() => labelFromRow(row(over))).toThrow(LabelError);
    expect(() => labelFromRow(row(over))).toThrow(expect.objectContaining({ reason, message, code: 'LABEL_INVALID' }));
  });
});

describe('labelFromRow on labels it has read before', () => {
  const shared = row({ handling: 'H0', releasable_to: 'NL-POLICE,EUROPOL', case_refs: 'NL-ONB-2024-0456', europol_support: 1 });

  it('gives every caller its own label: editing one changes no other', () => {
    const first = labelFromRow(shared);
    first.releasableTo.push('FR-POLICE');
    first.caseRefs.length = 0;
    first.handling.pop();
    first.owner = 'FR-POLICE';
    const second = labelFromRow({ ...shared });
    expect(second).toEqual({ owner: 'NL-CUSTOMS', handling: ['H0'], handlingNote: null, releasableTo: ['NL-POLICE', 'EUROPOL'], caseRefs: ['NL-ONB-2024-0456'], europolSupport: true, origin: null });
    expect(second.releasableTo).not.toBe(first.releasableTo);
  });

  it('still refuses a column of the wrong type after a valid label with the same text', () => {
    expect(labelFromRow(shared).europolSupport).toBe(true);
    expect(() => labelFromRow({ ...shared, europol_support: '1' as never })).toThrow(expect.objectContaining({ reason: 'europol_support' }));
    expect(() => labelFromRow({ ...shared, handling_note: 7 as never })).toThrow(expect.objectContaining({ reason: 'column_type' }));
    expect(() => labelFromRow({ ...shared, releasable_to: ['NL-POLICE'] as never })).toThrow(expect.objectContaining({ reason: 'column_type' }));
  });

  it('keeps rows apart whose columns join to the same text', () => {
    const a = labelFromRow(row({ handling: 'H3', handling_note: 'a', releasable_to: 'NL-POLICE' }));
    const b = labelFromRow(row({ handling: 'H3', handling_note: 'aNL-POLICE', releasable_to: '' }));
    expect(a).toMatchObject({ handlingNote: 'a', releasableTo: ['NL-POLICE'] });
    expect(b).toMatchObject({ handlingNote: 'aNL-POLICE', releasableTo: [] });
  });

  it('reads the same row alike with its note and origin null, absent or empty', () => {
    const read = [row({ handling_note: null, label_origin: null }), row({ handling_note: '' }), row({ handling_note: undefined as never, label_origin: '' })].map(labelFromRow);
    for (const label of read) expect(label).toMatchObject({ handlingNote: null, origin: null });
  });

  it('keeps at most LABEL_CACHE_LIMIT labels', () => {
    for (let i = 0; i < LABEL_CACHE_LIMIT + 10; i++) labelFromRow(row({ case_refs: `CASE-${i}` }));
    expect(checkedLabelCount()).toBeLessThanOrEqual(LABEL_CACHE_LIMIT);
    expect(labelFromRow(row({ case_refs: 'CASE-3' })).caseRefs).toEqual(['CASE-3']);
  });
});

describe('labelToRow', () => {
  it('round-trips through labelFromRow', () => {
    const label = { owner: 'NL-POLICE', handling: ['H2' as const, 'H0' as const], handlingNote: null, releasableTo: ['EUROPOL'], caseRefs: ['NL-ONB-2024-0456'], europolSupport: true };
    const stored = labelToRow(label);
    expect(stored).toEqual({ owner: 'NL-POLICE', handling: '["H0","H2"]', handling_note: null, releasable_to: '["EUROPOL"]', case_refs: '["NL-ONB-2024-0456"]', europol_support: 1, label_origin: null });
    expect(labelFromRow(stored)).toEqual({ ...label, handling: ['H0', 'H2'], origin: null });
    expect(labelFromRow(labelToRow({ ...label, origin: 'BE-POLICE' })).origin).toBe('BE-POLICE');
  });

  it('refuses a label it could not read back', () => {
    expect(() => labelToRow({ owner: 'x', handling: [], handlingNote: null, releasableTo: [], caseRefs: [], europolSupport: false })).toThrow(LabelError);
  });
});

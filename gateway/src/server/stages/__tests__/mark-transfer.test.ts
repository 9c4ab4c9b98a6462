/**
 * The transfer stage: what it adds to an answer and to the audit record, for whom — and that a
 * refusal never documents a transfer.
 */
import type { CompiledPolicy, TransferDescription } from '../../../policy';
import { auditRecord } from '../../audit-event';
import { markTransfer } from '../mark-transfer';
import type { ReleasedAnswer } from '../release-response';

const co = {
  principal: { subject: 'c.ramirez', agency: 'CO-POLICE', issuer: 'https://idp.co', roles: new Set(['investigator']), clearance: 'CONFIDENTIAL', purposes: new Set(['drug-trafficking']), cases: new Set(['NL-ONB-2024-0456']) },
  purpose: { code: 'drug-trafficking', justification: 'identify the consignee', caseRef: 'NL-ONB-2024-0456' },
};

const description = (personalData: boolean): TransferDescription => ({
  recipient: 'CO-POLICE',
  country: 'CO',
  personalData,
  dataCategories: personalData ? ['personal-data'] : [],
  bases: [{ agreement: 'a', terms: personalData ? 'derogation:individual-case' : 'no-personal-data', article: personalData ? '38(1)(d)' : '35' }],
  authorisingAgencies: ['NL-POLICE'],
  onwardTransfer: 'no onward transfer without NL-POLICE',
});

/** A policy whose describeTransfer answers `d`, recording the grants it was asked about. */
function policyAnswering(d: TransferDescription | undefined, asked: unknown[] = []): CompiledPolicy {
  return {
    describeTransfer: (_p: unknown, _u: unknown, grants: unknown) => {
      asked.push(grants);
      return d;
    },
  } as unknown as CompiledPolicy;
}

const released = (data: Record<string, unknown> | null): ReleasedAnswer => ({
  answer: { status: 200, body: { data, extensions: { other: 1 } } },
  report: { policyVersion: 'v', fieldsRequested: [], fieldDenials: [], rowDenials: [], released: [{ type: 'Suspect', key: 'S1', owner: 'NL-POLICE' }], grants: [{ agreement: 'a', grant: 'g' }] },
});

const start = { requestId: 'r1', auditId: 'A1', receivedAt: new Date('2026-06-01T12:00:00Z'), startedAt: 0n };

describe('markTransfer', () => {
  it('inside the Union the answer is untouched and nothing is documented', () => {
    const r = released({ x: 1 });
    const marked = markTransfer(r, policyAnswering(undefined), co);
    expect(marked.released).toBe(r);
    expect(marked.transfer).toBeUndefined();
  });

  it('non-personal data to a third country: the condition in extensions, no documented transfer', () => {
    const asked: unknown[] = [];
    const marked = markTransfer(released({ x: 1 }), policyAnswering(description(false), asked), co);
    expect(asked).toEqual([[{ agreement: 'a', grant: 'g' }]]);
    expect(marked.released.answer.body.extensions).toEqual({
      other: 1,
      transfer: {
        recipient: 'CO-POLICE', country: 'CO', personalData: false, bases: [{ agreement: 'a', terms: 'no-personal-data', article: '35' }],
        onwardTransfer: { requiresAuthorisationOf: ['NL-POLICE'], condition: 'no onward transfer without NL-POLICE' },
      },
    });
    expect(marked.transfer).toBeUndefined();
  });

  it('personal data to a third country: the condition, and the record marks the transfer', () => {
    const marked = markTransfer(released({ x: 1 }), policyAnswering(description(true)), co);
    expect(marked.released.answer.body.extensions?.transfer).toMatchObject({ personalData: true, dataCategories: ['personal-data'] });
    expect(marked.transfer).toEqual({
      recipient: 'CO-POLICE', country: 'CO', bases: [{ agreement: 'a', terms: 'derogation:individual-case', article: '38(1)(d)' }],
      dataCategories: ['personal-data'], onwardTransfer: 'no onward transfer without NL-POLICE',
    });
    const record = auditRecord({ start, identity: co, transfer: marked.transfer }, { status: 200, hasData: true, errors: [] }, 'released');
    expect(record.transfer).toEqual(marked.transfer);
  });

  it('an answer without data carries no condition and documents nothing', () => {
    const r = released(null);
    const marked = markTransfer(r, policyAnswering(description(true)), co);
    expect(marked.released).toBe(r);
    expect(marked.transfer).toBeUndefined();
  });

  it('a refused request never documents a transfer, whatever the facts say', () => {
    const refused = auditRecord(
      { start, identity: co, transfer: { recipient: 'CO-POLICE', country: 'CO', bases: [{ agreement: 'a', terms: 't', article: '36' }], dataCategories: [], onwardTransfer: 'x' } },
      { status: 503, hasData: false, errors: [{ message: 'down', extensions: { code: 'AUDIT_UNAVAILABLE', reason: 'audit_store_unavailable' } }] },
      'refused',
    );
    expect(refused.transfer).toBeUndefined();
  });
});

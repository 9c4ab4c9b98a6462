/** Builders for audit events in tests: realistic demo-world content, keys and paths only. */
import type { AuditEvent } from '../../audit-event';
import { newAuditId } from '../../audit-id';

/** A released request by a NL-CUSTOMS officer about container MSCU1234566 (`n` varies the time). */
export function releasedEvent(n = 0, overrides: Partial<AuditEvent> = {}): AuditEvent {
  const time = new Date(Date.UTC(2025, 0, 10, 9, 0, 0) + n * 1000);
  return {
    id: newAuditId(time),
    time,
    requestId: `req-${n}`,
    outcome: 'partial',
    httpStatus: 200,
    principal: { subject: 'officer-17', agency: 'NL-CUSTOMS' },
    purpose: { code: 'drug-trafficking', justification: 'reefer from Guayaquil flagged by risk profile', caseRef: 'NL-ONB-2024-0456' },
    operation: { name: 'ContainerDossier', hash: 'a'.repeat(64), executedHash: 'b'.repeat(64) },
    policyVersion: 'p-2025-01-01',
    enforcement: {
      policyVersion: 'p-2025-01-01',
      fieldsRequested: ['Query.container', 'Container.number', 'Container.investigations', 'Container.seizures'],
      fieldDenials: [{ path: 'container.investigations', coordinate: 'Container.investigations', reason: 'NO_AGREEMENT' }],
      rowDenials: [{ type: 'Seizure', key: 'SZ-2024-0099', owner: 'NL-POLICE', path: 'container.seizures.1', reason: 'HANDLING_RESTRICTED' }],
      released: [
        { type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' },
        { type: 'Seizure', key: 'SZ-2024-0042', owner: 'NL-CUSTOMS' },
      ],
      grants: [{ agreement: 'nl-police-customs-2023', grant: 'seizures-hit-no-hit' }],
    },
    ...overrides,
  };
}

/** An unauthenticated request that was refused. */
export function refusedEvent(n = 0): AuditEvent {
  const time = new Date(Date.UTC(2025, 0, 10, 10, 0, 0) + n * 1000);
  return {
    id: newAuditId(time),
    time,
    requestId: `req-refused-${n}`,
    outcome: 'refused',
    httpStatus: 401,
    principal: null,
    purpose: null,
    operation: null,
    refusal: { code: 'UNAUTHENTICATED', reason: 'token_expired' },
    policyVersion: null,
  };
}

/** A request by a Belgian officer that released container HLXU7032104 only. */
export function belgianEvent(n = 0): AuditEvent {
  return releasedEvent(n, {
    outcome: 'released',
    principal: { subject: 'be-analyst-3', agency: 'BE-POLICE' },
    purpose: { code: 'drug-trafficking' },
    enforcement: {
      policyVersion: 'p-2025-01-01',
      fieldsRequested: ['Query.container', 'Container.number'],
      fieldDenials: [],
      rowDenials: [],
      released: [{ type: 'Container', key: 'HLXU7032104', owner: 'NL-CUSTOMS' }],
      grants: [{ agreement: 'joint-statement-2021', grant: 'containers' }],
    },
  });
}

/**
 * A Colombian investigator's request that released a suspect's identity case by case (a
 * derogation, LED art. 38(1)(d)): marked as a transfer. `n` varies the time.
 */
export function colombianTransferEvent(n = 0, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return releasedEvent(n, {
    outcome: 'released',
    principal: { subject: 'co-inv-9', agency: 'CO-POLICE' },
    purpose: { code: 'drug-trafficking', justification: 'identify the consignee of the Buenaventura shipment', caseRef: 'NL-ONB-2024-0456' },
    enforcement: {
      policyVersion: 'p-2025-01-01',
      fieldsRequested: ['Query.investigation', 'Investigation.suspects', 'Suspect.name'],
      fieldDenials: [],
      rowDenials: [],
      released: [
        { type: 'Investigation', key: 'NL-POLICE/NL-ONB-2024-0456', owner: 'NL-POLICE' },
        { type: 'Suspect', key: 'NLP-S-00017', owner: 'NL-POLICE' },
      ],
      grants: [{ agreement: 'nl-police-to-latam-police-case-by-case', grant: 'case-suspects-identity' }],
    },
    transfer: {
      recipient: 'CO-POLICE',
      country: 'CO',
      bases: [{ agreement: 'nl-police-to-latam-police-case-by-case', terms: 'derogation:individual-case', article: '38(1)(d)' }],
      dataCategories: ['personal-data'],
      onwardTransfer: 'No onward transfer without the prior authorisation of NL-POLICE (art. 35(1)(e)).',
    },
    ...overrides,
  });
}

/** A realistic ContainerDossier audit event for the append benchmarks (keys and paths only, as the gateway writes). */
import { newAuditId } from '../audit-id';
import type { AuditEvent } from '../index';

/** The `n`-th benchmark event: a partial release of a container and one of 500 seizures. */
export function benchAuditEvent(n: number): AuditEvent {
  const time = new Date();
  return {
    id: newAuditId(time),
    time,
    requestId: `bench-${n}`,
    outcome: 'partial',
    httpStatus: 200,
    principal: { subject: 'officer-17', agency: 'NL-CUSTOMS' },
    purpose: { code: 'drug-trafficking', justification: 'benchmark', caseRef: 'NL-ONB-2024-0456' },
    operation: { name: 'ContainerDossier', hash: 'a'.repeat(64) },
    policyVersion: 'bench',
    enforcement: {
      policyVersion: 'bench',
      fieldsRequested: ['Query.container', 'Container.number', 'Container.seizures', 'Container.investigations'],
      fieldDenials: [{ path: 'container.investigations', coordinate: 'Container.investigations', reason: 'NO_AGREEMENT' }],
      rowDenials: [],
      released: [
        { type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' },
        { type: 'Seizure', key: `SZ-${n % 500}`, owner: 'NL-CUSTOMS' },
      ],
      grants: [{ agreement: 'nl-police-customs-2023', grant: 'seizures' }],
    },
  };
}

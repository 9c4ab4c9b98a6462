import type { RecordLabel } from '@pactum/subgraph-kit';
import { STORY_CONTAINERS, STORY_VESSELS } from '@pactum/demo-world';

/**
 * MAOC-N's part of the demo world (docs/demo-world.md): the four story vessels that carry the
 * banana reefers are vessels of interest; three were boarded at sea; their tracking shows the AIS
 * gaps that made analysts list them. Fixed data: every start seeds the same rows.
 */

const [rioEsmeralda, nordicHarmony, capGuayas, santaInes] = STORY_VESSELS;
const MEMBER_POLICE = ['NL-POLICE', 'FR-POLICE', 'ES-POLICE'] as const;

/** Released to the member states' police forces and Europol, flagged for Europol support. */
const shared = (extra: Partial<RecordLabel> = {}): RecordLabel => ({
  owner: 'MAOC-N',
  handling: ['H0'],
  handlingNote: null,
  releasableTo: [...MEMBER_POLICE, 'EUROPOL'],
  caseRefs: [],
  europolSupport: true,
  ...extra,
});

export const VESSELS_OF_INTEREST = [
  { id: 'MAOC-VOI-0041', imo: rioEsmeralda.imo, listedOn: '2023-12-29', riskLevel: 'HIGH', reason: 'AIS silent for 31 h off Cabo Verde on a Guayaquil–Rotterdam reefer run', label: shared() },
  { id: 'MAOC-VOI-0044', imo: capGuayas.imo, listedOn: '2024-03-10', riskLevel: 'HIGH', reason: 'AIS silent for 42 h; rendezvous with a fishing vessel suspected from satellite imagery', label: shared() },
  { id: 'MAOC-VOI-0052', imo: nordicHarmony.imo, listedOn: '2024-06-30', riskLevel: 'MEDIUM', reason: 'Deviation from declared route towards a known drop area', label: shared() },
  { id: 'MAOC-VOI-0057', imo: santaInes.imo, listedOn: '2024-10-15', riskLevel: 'HIGH', reason: 'Tip-off from a member state liaison officer', label: shared({ handling: ['H0', 'H2'] }) },
] as const;

export const INTERDICTIONS = [
  {
    id: 'MAOC-INT-2024-0011', imo: capGuayas.imo, at: '2024-03-12T04:40:00Z', latitude: 27.95, longitude: -19.6,
    seaArea: 'Atlantic, 250 nm W of the Canary Islands', actingCountry: 'ES', actingAsset: 'Spanish Navy offshore patrol vessel',
    substance: 'cocaine', quantityKg: 1240, containers: [STORY_CONTAINERS[1]], label: shared({ caseRefs: ['NL-ONB-2024-0456'] }),
  },
  {
    id: 'MAOC-INT-2024-0023', imo: nordicHarmony.imo, at: '2024-07-02T22:15:00Z', latitude: 19.8, longitude: -28.4,
    seaArea: 'Atlantic, 400 nm NW of Cabo Verde', actingCountry: 'FR', actingAsset: 'French Navy frigate with a maritime patrol aircraft',
    substance: 'cocaine', quantityKg: 870.5, containers: [STORY_CONTAINERS[2]], label: shared(),
  },
  {
    // Portuguese proceedings: not to be passed on without MAOC-N's consent (H2), so it stops at the member states.
    id: 'MAOC-INT-2024-0031', imo: santaInes.imo, at: '2024-10-18T06:05:00Z', latitude: 36.9, longitude: -25.1,
    seaArea: 'Atlantic, 90 nm S of the Azores', actingCountry: 'PT', actingAsset: 'Portuguese Navy corvette',
    substance: 'cocaine', quantityKg: 2100, containers: [], label: shared({ handling: ['H0', 'H2'] }),
  },
  {
    // A Spanish-Dutch operation: released to ES and NL only, not flagged for Europol.
    id: 'MAOC-INT-2025-0004', imo: rioEsmeralda.imo, at: '2025-02-11T13:30:00Z', latitude: 36.2, longitude: -12.9,
    seaArea: 'Atlantic, 200 nm W of Cape St Vincent', actingCountry: 'ES', actingAsset: 'Guardia Civil ocean patrol vessel',
    substance: 'cocaine', quantityKg: 540, containers: [], label: shared({ releasableTo: ['ES-POLICE', 'NL-POLICE'], europolSupport: false }),
  },
] as const;

/** Near a Dutch port, a report is released to NL-CUSTOMS as well (it watches the arrivals). */
const nearNl = shared({ releasableTo: [...MEMBER_POLICE, 'EUROPOL', 'NL-CUSTOMS'] });

export const TRACKING_REPORTS = [
  { id: 'MAOC-TR-000101', imo: rioEsmeralda.imo, at: '2023-12-27T08:00:00Z', latitude: 12.1, longitude: -31.5, source: 'AIS', aisGapHours: null, nearPort: null, label: shared() },
  { id: 'MAOC-TR-000102', imo: rioEsmeralda.imo, at: '2023-12-28T15:00:00Z', latitude: 15.9, longitude: -27.2, source: 'AIS', aisGapHours: 31, nearPort: null, label: shared() },
  { id: 'MAOC-TR-000103', imo: rioEsmeralda.imo, at: '2024-01-14T21:10:00Z', latitude: 51.98, longitude: 3.95, source: 'AIS', aisGapHours: null, nearPort: 'NLRTM', label: nearNl },
  { id: 'MAOC-TR-000201', imo: capGuayas.imo, at: '2024-03-10T02:00:00Z', latitude: 24.3, longitude: -23.8, source: 'SATELLITE', aisGapHours: 42, nearPort: null, label: shared() },
  { id: 'MAOC-TR-000202', imo: capGuayas.imo, at: '2024-03-12T03:55:00Z', latitude: 27.9, longitude: -19.7, source: 'PATROL', aisGapHours: null, nearPort: null, label: shared() },
  { id: 'MAOC-TR-000301', imo: nordicHarmony.imo, at: '2024-06-30T11:20:00Z', latitude: 17.5, longitude: -30.9, source: 'SATELLITE', aisGapHours: 19.5, nearPort: null, label: shared() },
  { id: 'MAOC-TR-000401', imo: santaInes.imo, at: '2024-10-16T18:45:00Z', latitude: 33.4, longitude: -27.8, source: 'AIS', aisGapHours: 26, nearPort: null, label: shared({ handling: ['H0', 'H2'] }) },
  { id: 'MAOC-TR-000402', imo: santaInes.imo, at: '2024-11-02T06:30:00Z', latitude: 51.95, longitude: 4.05, source: 'AIS', aisGapHours: null, nearPort: 'NLRTM', label: nearNl },
] as const;

/**
 * The fixed cast of the demo world (docs/demo-world.md): identifiers every subgraph's seed must contain so that a
 * newcomer's first ContainerDossier query tells the story across all four agencies.
 */

/** Story containers: present in all four subgraphs (customs data, police investigation, Europol, Eurojust via the case). */
export const STORY_CONTAINERS = ['MSCU1234566', 'MAEU8123457', 'HLXU7032104', 'CMAU4598214', 'TGHU6002137', 'CSQU3054383'] as const;

/** Story vessels (IMO numbers, check digit valid). */
export const STORY_VESSELS = [
  { imo: '9074729', name: 'Rio Esmeralda', flag: 'PA' },
  { imo: '9312042', name: 'Nordic Harmony', flag: 'LR' },
  { imo: '9463786', name: 'Cap Guayas', flag: 'MT' },
  { imo: '9587128', name: 'Santa Ines', flag: 'PT' },
] as const;

/** Ports where the cocaine arrives (destinations) and where it is loaded (origins). */
export const EU_PORTS = ['NLRTM', 'BEANR', 'ESALG', 'FRLEH'] as const;
export const ORIGIN_PORTS = ['ECGYE', 'COBUN', 'PAMIT', 'BRSSZ'] as const;

/** The story's police investigations: the first concerns the first three story containers, the second the other three. */
export const STORY_INVESTIGATIONS = [
  { localId: 'NL-ONB-2024-0456', codeName: 'BANAANSCHIL', containers: STORY_CONTAINERS.slice(0, 3) },
  { localId: 'NL-ONB-2024-0312', codeName: 'KOELCEL', containers: STORY_CONTAINERS.slice(3) },
] as const;

/** The story's Eurojust case and its Joint Investigation Team. */
export const STORY_CASE = {
  localId: 'EJ-2024-0173',
  title: 'Cocaine in banana reefers via Rotterdam and Antwerp',
  jitId: 'JIT-2024-07',
  jitName: 'JIT Reefer Route',
  jitMembers: ['NL-POLICE', 'NL-OM', 'BE-POLICE', 'FR-POLICE', 'ES-POLICE', 'EUROJUST', 'EUROPOL'],
} as const;

/** Europol analysis projects (names follow Europol's style; content is invented). */
export const ANALYSIS_PROJECTS = [
  { id: 'AP-COLA', name: 'AP Cola', focus: 'cocaine trafficking' },
  { id: 'AP-SUSTRANS', name: 'AP Sustrans', focus: 'money laundering' },
  { id: 'AP-SYNERGY', name: 'AP Synergy', focus: 'synthetic drugs and precursors' },
] as const;

/** Agencies that may receive data under the 2021 joint statement (partner police forces). */
export const PARTNER_POLICE = ['BE-POLICE', 'FR-POLICE', 'ES-POLICE'] as const;

/** Note attached to H3-coded records; the H3 text is what keeps them from everyone but the owner. */
export const H3_NOTES = [
  'Controlled delivery in progress: do not disclose outside the owner until the operation ends',
  'Source protection: informant-derived, owner consent required for any use',
  'Sub judice in BE proceedings: consult the owner before any disclosure',
] as const;

/**
 * The checked, normalised policy the decision functions run on: agreements flattened to
 * grants with their field sets expanded and their conditions pre-parsed, indexed by
 * recipient → type → field so a decision starts with three map lookups.
 */
import type { GrantRef } from './grant-ref';
import type { AgencyStanding } from '../auth';
import type { DerogationGround } from './policy-file-schemas';
import type { SupergraphModel } from './supergraph-model';

/** An adequacy decision or safeguard instrument of `transfer-bases.yaml`, ready to check. */
export interface CompiledTransferBasis {
  readonly id: string;
  readonly kind: 'adequacy' | 'safeguards-instrument' | 'safeguards-assessment';
  /** The LED article the kind rests on (`36`, `37(1)(a)`, `37(1)(b)`). */
  readonly article: string;
  readonly title: string;
  readonly legalReference: string;
  readonly countries: ReadonlySet<string>;
  /** Only these agencies, when the basis names them. */
  readonly authorities?: ReadonlySet<string>;
  readonly dataCategories: ReadonlySet<string>;
  readonly purposes: ReadonlySet<string>;
  /** Epoch ms, inclusive. */
  readonly validFrom: number;
  /** Epoch ms, exclusive; Infinity when open-ended. */
  readonly validUntil: number;
  readonly validityText: { readonly from: string; readonly to?: string };
}

/** The terms under which an agreement transfers to one third-country / international-organisation recipient. */
export type CompiledTransferTerms =
  | { readonly kind: 'basis'; readonly basis: CompiledTransferBasis }
  | { readonly kind: 'no-personal-data' }
  | { readonly kind: 'derogation'; readonly ground: DerogationGround };

/** A Member State's prior authorisation (LED art. 35(1)(c)) of transfers of data it provided. */
export interface CompiledTransferAuthorisation {
  /** The authorising agreement's id. */
  readonly agreement: string;
  readonly file: string;
  /** The authorising agency: the one that provided the data (a row label's `origin`). */
  readonly origin: string;
  /** Agencies it provided the data to, which may transfer it. */
  readonly via: ReadonlySet<string>;
  readonly recipients: ReadonlySet<string>;
  readonly purposes: ReadonlySet<string>;
  readonly validFrom: number;
  readonly validUntil: number;
}

/** Row conditions of one grant, ready to evaluate. */
export interface CompiledRowConditions {
  readonly excludeHandling: readonly string[];
  readonly releasableToRecipient: boolean;
  readonly europolSupport: boolean;
  /** Present when the principal must be a member of one of the row's cases (pattern filters which refs count). */
  readonly caseMember?: { readonly refPattern?: RegExp };
  readonly linkedCase?: RegExp;
  readonly allowRestrictedNotes: ReadonlySet<string>;
  readonly existenceSecret: boolean;
}

/** One grant of one agreement, normalised. */
export interface CompiledGrant {
  readonly ref: GrantRef;
  readonly intent: string;
  readonly agreementTitle: string;
  /** The agreement's legal basis, as written (for reports that show a grant to a person). */
  readonly legalBasis: string;
  readonly file: string;
  readonly line: number;
  readonly provider: string;
  readonly recipients: ReadonlySet<string>;
  readonly purposes: ReadonlySet<string>;
  /** Epoch ms, inclusive. */
  readonly validFrom: number;
  /** Epoch ms, exclusive (end of the `to` day, UTC); Infinity when open-ended. */
  readonly validUntil: number;
  readonly validityText: { readonly from: string; readonly to?: string };
  /** Type → fields this grant releases. */
  readonly fields: ReadonlyMap<string, ReadonlySet<string>>;
  readonly hitOnly: boolean;
  readonly requiredRoles?: ReadonlySet<string>;
  /** Rank in `clearanceLevels` (0 = lowest). */
  readonly minClearance?: number;
  readonly minClearanceName?: string;
  readonly rows?: CompiledRowConditions;
  /** Provider reads its own data. */
  readonly ownData: boolean;
  /** Recipient → transfer terms, for the agreement's third-country / international-organisation recipients. */
  readonly transfers: ReadonlyMap<string, CompiledTransferTerms>;
  /** Categories of personal data (field groups marked `personalData`) the grant releases fields of. */
  readonly personalCategories: ReadonlySet<string>;
}

/**
 * The names the policy was checked against, in file order: what tools enumerate access
 * profiles from (`pactum policy access|diff|lint`), so they ask the engine about every
 * agency, purpose, role and clearance the registries know, not about names they guessed.
 */
export interface PolicyCatalogue {
  readonly agencies: readonly string[];
  readonly purposes: readonly string[];
  readonly roles: readonly string[];
  /** Role → agencies whose principals hold it (`heldBy` in `roles.yaml`); absent: any agency. */
  readonly roleHolders: ReadonlyMap<string, ReadonlySet<string>>;
  /** Lowest first. */
  readonly clearanceLevels: readonly string[];
  /** Field group name → `Type.field` coordinates (as `field-groups.yaml` lists them). */
  readonly fieldGroups: ReadonlyMap<string, ReadonlySet<string>>;
  /** Groups of sensitive (personal) data: `explicitOnly` or `requiresRoleAndClearance` in `field-groups.yaml`. */
  readonly personalDataGroups: ReadonlySet<string>;
}

/** The whole checked policy. */
export interface PolicyModel {
  readonly catalogue: PolicyCatalogue;
  readonly version: string;
  readonly supergraph: SupergraphModel;
  /** Subgraph name → agency owning it. */
  readonly agencyBySubgraph: ReadonlyMap<string, string>;
  readonly clearanceRank: ReadonlyMap<string, number>;
  /** Handling codes denied to everyone but the row's owner unless a grant has a rule for the note. */
  readonly ownerOnlyHandling: ReadonlySet<string>;
  readonly grants: readonly CompiledGrant[];
  /** recipient → type → field → candidate grants (own data first, then by agreement id). */
  readonly index: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, readonly CompiledGrant[]>>>;
  /** recipient → type → hit-only grants naming a field of that type. */
  readonly hitIndex: ReadonlyMap<string, ReadonlyMap<string, readonly CompiledGrant[]>>;
  /** Agency → country and standing (LED Chapter V); agencies missing are inside the Union. */
  readonly standings: ReadonlyMap<string, { readonly country: string; readonly standing: AgencyStanding }>;
  readonly transferBases: ReadonlyMap<string, CompiledTransferBasis>;
  readonly transferAuthorisations: readonly CompiledTransferAuthorisation[];
  /** Whether the supergraph's RecordLabel says who provided a row (`origin`): the label subfield art. 35(1)(c) reads. */
  readonly labelHasOrigin: boolean;
  /** Sorted instants at which some agreement, transfer basis or authorisation starts or ends (for the profile's validity epoch). */
  readonly validityBoundaries: readonly number[];
}

/**
 * The shapes of the policy files compliance officers write, as TypeScript types and as
 * the JSON Schemas (ajv) that check them before any cross-check runs. Unknown keys are
 * errors: a misspelt condition must never be silently ignored (that would widen a grant).
 */

/** `classification.yaml` */
export interface ClassificationFile {
  /** Clearance levels, lowest first. */
  clearanceLevels: string[];
  handlingCodes: Record<string, { meaning: string; ownerOnly?: boolean }>;
}

/** `roles.yaml` */
export interface RolesFile {
  /** `heldBy`: the agencies whose principals may hold the role (omitted: any); read by `pactum policy lint`. */
  roles: Record<string, { description: string; heldBy?: string[] }>;
}

/** `field-groups.yaml` */
export interface FieldGroupsFile {
  groups: Record<
    string,
    {
      description: string;
      /** Fields of the group are granted only by grants naming the group, never by `"*"` or by name. */
      explicitOnly?: boolean;
      /** Grants naming the group must require a role and a clearance. */
      requiresRoleAndClearance?: boolean;
      /** The group is a category of personal data: releasing it to a third country is a transfer (LED Chapter V). */
      personalData?: boolean;
      fields: Record<string, string[]>;
    }
  >;
}

/** Row conditions of a grant, checked against the owner's label at read time. */
export interface RowConditionsSpec {
  /** Rows carrying any of these handling codes are withheld. */
  excludeHandling?: string[];
  /** The row must be releasable to the principal's agency. */
  releasableToRecipient?: boolean;
  /** The row must be flagged for Europol support. */
  europolSupport?: boolean;
  /** The principal must be a member of one of the row's cases (optionally only refs matching `refPattern`). */
  caseMember?: true | { refPattern: string };
  /** One of the row's case refs must match this pattern (e.g. a Eurojust case `^EJ-`). */
  linkedCase?: string;
  /** Owner-only handling texts (H3) this grant has a rule for. */
  allowRestrictedNotes?: string[];
  /** When the row fails, its existence is secret too. */
  existenceSecret?: boolean;
}

/** One grant inside an agreement. */
export interface GrantSpec {
  id: string;
  intent: string;
  /** `Type: [a, b]` / `Type: "*"` per type, or `"*"`: every field the provider answers for (see `check-policy.ts`). */
  fields?: Record<string, string[] | '*'> | '*';
  fieldGroups?: string[];
  hitOnly?: boolean;
  requires?: { roles?: string[]; clearance?: string };
  rows?: RowConditionsSpec;
}

/**
 * How an agreement transfers to one third-country or international-organisation recipient
 * (LED Chapter V): under a basis of `transfer-bases.yaml` (art. 36 adequacy, art. 37
 * safeguards), stating it transfers no personal data, or by derogation for an individual case
 * (art. 38(1)).
 */
export type TransferTermsSpec = { basis: string } | { derogation: DerogationGround };

/** The derogations of LED art. 38(1) Pactum applies: (a), (c) and (d). */
export type DerogationGround = 'vital-interests' | 'public-security-threat' | 'individual-case';

/** `transfer-bases.yaml`: adequacy decisions and safeguard instruments in force. */
export interface TransferBasesFile {
  version?: 1;
  bases: TransferBasisSpec[];
}

/** One transfer basis. */
export interface TransferBasisSpec {
  id: string;
  /** `adequacy` (art. 36), `safeguards-instrument` (art. 37(1)(a)), `safeguards-assessment` (art. 37(1)(b)). */
  kind: 'adequacy' | 'safeguards-instrument' | 'safeguards-assessment';
  title: string;
  legalReference: string;
  scope: {
    /** Countries (ISO 3166 alpha-2) whose authorities it covers. */
    countries: string[];
    /** When given, only these agencies of those countries. */
    authorities?: string[];
    /** Field groups (categories of personal data) it covers. */
    dataCategories: string[];
    purposes: string[];
  };
  validity: { from: string; to?: string };
  note?: string;
}

/** `agreements/*.yaml` */
export interface AgreementFile {
  id: string;
  title: string;
  intent: string;
  legalBasis: string;
  provider: string;
  recipients: string[];
  purposes: string[];
  validity: { from: string; to?: string };
  /** Grants; absent only in a transfer authorisation (`authorisesTransfer`). */
  grants?: GrantSpec[];
  /** Per third-country / international-organisation recipient: the transfer's terms (LED Chapter V). */
  transfers?: Record<string, TransferTermsSpec>;
  /**
   * A Member State's prior authorisation (LED art. 35(1)(c)): data the provider gave to the agencies
   * listed under `of` may be transferred by them to the recipients, for the purposes, in the validity.
   */
  authorisesTransfer?: { of: string[] };
}

const ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' };
const TEXT = { type: 'string', minLength: 1 };
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const NAMES = { type: 'array', items: TEXT, uniqueItems: true };
/** `{ from, to? }`, both calendar days (UTC), `to` included. */
const VALIDITY = { type: 'object', additionalProperties: false, required: ['from'], properties: { from: DATE, to: DATE } } as const;

export const classificationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['clearanceLevels', 'handlingCodes'],
  properties: {
    clearanceLevels: { ...NAMES, minItems: 1 },
    handlingCodes: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['meaning'],
        properties: { meaning: TEXT, ownerOnly: { type: 'boolean' } },
      },
    },
  },
} as const;

export const rolesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['roles'],
  properties: {
    roles: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description'],
        properties: { description: TEXT, heldBy: { ...NAMES, minItems: 1 } },
      },
    },
  },
} as const;

export const fieldGroupsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['groups'],
  properties: {
    groups: {
      type: 'object',
      propertyNames: ID,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description', 'fields'],
        properties: {
          description: TEXT,
          explicitOnly: { type: 'boolean' },
          requiresRoleAndClearance: { type: 'boolean' },
          personalData: { type: 'boolean' },
          fields: { type: 'object', minProperties: 1, additionalProperties: { ...NAMES, minItems: 1 } },
        },
      },
    },
  },
} as const;

const rowsSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    excludeHandling: { ...NAMES, minItems: 1 },
    releasableToRecipient: { const: true },
    europolSupport: { const: true },
    caseMember: {
      oneOf: [
        { const: true },
        { type: 'object', additionalProperties: false, required: ['refPattern'], properties: { refPattern: TEXT } },
      ],
    },
    linkedCase: TEXT,
    allowRestrictedNotes: { ...NAMES, minItems: 1 },
    existenceSecret: { type: 'boolean' },
  },
} as const;

export const agreementSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'intent', 'legalBasis', 'provider', 'recipients', 'purposes', 'validity'],
  oneOf: [
    { required: ['grants'], not: { required: ['authorisesTransfer'] } },
    { required: ['authorisesTransfer'], not: { anyOf: [{ required: ['grants'] }, { required: ['transfers'] }] } },
  ],
  properties: {
    id: ID,
    title: TEXT,
    intent: TEXT,
    legalBasis: TEXT,
    provider: TEXT,
    recipients: { ...NAMES, minItems: 1 },
    purposes: { ...NAMES, minItems: 1 },
    validity: VALIDITY,
    grants: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'intent'],
        anyOf: [{ required: ['fields'] }, { required: ['fieldGroups'] }],
        properties: {
          id: ID,
          intent: TEXT,
          fields: {
            oneOf: [
              { const: '*' },
              {
                type: 'object',
                minProperties: 1,
                additionalProperties: { oneOf: [{ const: '*' }, { ...NAMES, minItems: 1 }] },
              },
            ],
          },
          fieldGroups: { ...NAMES, minItems: 1 },
          hitOnly: { type: 'boolean' },
          requires: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { roles: { ...NAMES, minItems: 1 }, clearance: TEXT },
          },
          rows: rowsSchema,
        },
      },
    },
    transfers: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        oneOf: [
          { type: 'object', additionalProperties: false, required: ['basis'], properties: { basis: ID } },
          {
            type: 'object',
            additionalProperties: false,
            required: ['derogation'],
            properties: { derogation: { enum: ['vital-interests', 'public-security-threat', 'individual-case'] } },
          },
        ],
      },
    },
    authorisesTransfer: {
      type: 'object',
      additionalProperties: false,
      required: ['of'],
      properties: { of: { ...NAMES, minItems: 1 } },
    },
  },
} as const;

export const transferBasesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['bases'],
  properties: {
    version: { const: 1 },
    bases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'title', 'legalReference', 'scope', 'validity'],
        properties: {
          id: ID,
          kind: { enum: ['adequacy', 'safeguards-instrument', 'safeguards-assessment'] },
          title: TEXT,
          legalReference: TEXT,
          scope: {
            type: 'object',
            additionalProperties: false,
            required: ['countries', 'dataCategories', 'purposes'],
            properties: {
              countries: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[A-Z]{2}$' } },
              authorities: { ...NAMES, minItems: 1 },
              dataCategories: { ...NAMES, minItems: 1 },
              purposes: { ...NAMES, minItems: 1 },
            },
          },
          validity: VALIDITY,
          note: TEXT,
        },
      },
    },
  },
} as const;

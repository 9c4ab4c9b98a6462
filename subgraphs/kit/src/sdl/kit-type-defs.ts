/**
 * SDL shared, character for character, by every subgraph: the kit scalars and the
 * record label. The label is a `@shareable` value type so each subgraph can return it
 * for its own rows and composition sees one type.
 */
export const kitTypeDefs = `
"ISO 6346 container number with a valid check digit, e.g. MSCU1234566."
scalar ContainerNumber
"IMO ship identification number, 7 digits with a valid check digit, e.g. 9074729."
scalar IMO
"IBAN in electronic form, mod-97 valid, e.g. NL91ABNA0417164300."
scalar IBAN
"UN/LOCODE of a port or place, e.g. NLRTM."
scalar UNLocode
"ISO-8601 date-time with a time zone offset, e.g. 2024-03-01T08:30:00Z."
scalar DateTime
"Calendar date YYYY-MM-DD."
scalar LocalDate

"""
Handling codes: a SET of flags the owner attaches to a record, not a ranking.
H0 law-enforcement purposes only; H1 not evidence in court without the owner's consent;
H2 not to be passed on without the owner's consent; H3 other restrictions (see handlingNote).
"""
enum HandlingCode {
  H0
  H1
  H2
  H3
}

"The label the owning agency sets on a record; need-to-know decisions read it."
type RecordLabel @shareable {
  "Agency id of the owner, e.g. NL-CUSTOMS."
  owner: String!
  "Handling codes set on the record (a set of flags, not a ranking)."
  handling: [HandlingCode!]!
  "Free text of an H3 restriction."
  handlingNote: String
  "Agency ids the owner allows the record to go to."
  releasableTo: [String!]!
  "Case / JIT references the record belongs to."
  caseRefs: [String!]!
  "Flagged by the owner for Europol support."
  europolSupport: Boolean!
  "Agency id that provided the record to its owner, when another agency did (e.g. BE-POLICE); null when the owner collected it."
  origin: String
}
`;

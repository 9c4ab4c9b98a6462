/** Shared SDL (federation link, kit scalars, record label) and the label's storage helpers. */
export { federationLink } from './federation-link';
export { kitTypeDefs } from './kit-type-defs';
export { subgraphTypeDefs } from './subgraph-type-defs';
export { LABEL_COLUMNS, labelFromRow, labelToRow, type HandlingCode, type LabelRow, type RecordLabel } from './record-label';

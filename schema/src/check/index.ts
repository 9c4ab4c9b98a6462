/** Schema checks (`pactum schema check`): change classification, broken operations, nullability. */
export { checkSchema, type SchemaCheckInput, type SchemaCheckReport, type ClassifiedChange } from './check-schema';
export { classifySchemaChanges, addedFieldCoordinates, type SchemaChange, type ChangeLevel } from './classify-schema-changes';
export { coordinatesUsed, operationBreakage, type OperationBreakage } from './operations-affected';

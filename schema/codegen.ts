/**
 * GraphQL Code Generator config: TypeScript types for the shipped operations
 * (`schema/operations/*.graphql`), typed against the API schema `pactum schema api` prints.
 * Run from this folder (`npm run codegen -w @pactum/schema`, docs/integrating.md); a front-end
 * copies it and points `schema` / `documents` at its own files.
 * `src/__tests__/codegen.test.ts` runs it and type-checks a use of what it generates.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The kit's identifier and date scalars travel as strings (validated by the subgraphs and the
 * gateway, never parsed into objects on the client).
 */
export const SCALARS = {
  ContainerNumber: 'string',
  IMO: 'string',
  IBAN: 'string',
  UNLocode: 'string',
  DateTime: 'string',
  LocalDate: 'string',
} as const;

const config: CodegenConfig = {
  schema: 'generated/api.graphql',
  documents: 'operations/*.graphql',
  generates: {
    'generated/operations.ts': {
      // typescript-operations 6 writes the types the operations use on its own; adding the
      // `typescript` plugin as well declares every enum twice.
      plugins: ['typescript-operations'],
      config: {
        scalars: SCALARS,
        // Unknown scalars are an error, not `any`: a scalar added to the kit must be mapped here.
        strictScalars: true,
        // Every field a policy may deny is nullable: the generated types say `T | null`, not `T?`.
        avoidOptionals: true,
        enumsAsTypes: true,
      },
    },
  },
};
export default config;

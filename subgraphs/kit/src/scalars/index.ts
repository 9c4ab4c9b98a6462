/** The kit's GraphQL scalars, for subgraph resolver maps and for the gateway's input checks. */
import type { GraphQLScalarType } from 'graphql';
import { DateTime, LocalDate } from './date-scalars';
import { ContainerNumber, IBAN, IMO, UNLocode } from './identifier-scalars';

export { ContainerNumber, IBAN, IMO, UNLocode } from './identifier-scalars';
export { DateTime, LocalDate, checkDateTime, checkLocalDate } from './date-scalars';
export { stringScalar } from './identifier-scalar';

/** The four identifier scalars by name, for the gateway to validate arguments and variables. */
export const identifierScalars: Readonly<Record<'ContainerNumber' | 'IMO' | 'IBAN' | 'UNLocode', GraphQLScalarType>> =
  Object.freeze({ ContainerNumber, IMO, IBAN, UNLocode });

/** Every scalar declared by `kitTypeDefs`, by name: spread it into a subgraph's resolver map. */
export const scalarResolvers: Readonly<Record<
  'ContainerNumber' | 'IMO' | 'IBAN' | 'UNLocode' | 'DateTime' | 'LocalDate',
  GraphQLScalarType
>> = Object.freeze({ ContainerNumber, IMO, IBAN, UNLocode, DateTime, LocalDate });

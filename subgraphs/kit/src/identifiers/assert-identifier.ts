import { IdentifierError, type IdentifierKind } from '../errors';
import { inspectContainerNumber } from './container-number';
import { inspectIban } from './iban';
import { inspectImo } from './imo';
import { inspectUnLocode } from './un-locode';

const INSPECTORS: Readonly<Record<IdentifierKind, (value: string) => IdentifierError | null>> = {
  'container-number': inspectContainerNumber,
  imo: inspectImo,
  iban: inspectIban,
  'un-locode': inspectUnLocode,
};

/**
 * Returns `value` when it is a valid identifier of `kind`.
 *
 * @throws IdentifierError naming the value and what is wrong with it.
 */
export function assertIdentifier(kind: IdentifierKind, value: string): string {
  const problem = INSPECTORS[kind](value);
  if (problem) throw problem;
  return value;
}

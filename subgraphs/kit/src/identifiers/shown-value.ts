/**
 * The value as it appears in an error message: long inputs are cut so that a 1 MB
 * "container number" cannot blow up logs and responses.
 */
export function shownValue(value: string): string {
  const max = 40;
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

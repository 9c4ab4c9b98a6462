/**
 * How names are compared in a person hit check: case, accents and spacing do not matter.
 * Stored beside each name (`name_key`) at seed time and applied to the asked name, so every
 * agency matches names the same way.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

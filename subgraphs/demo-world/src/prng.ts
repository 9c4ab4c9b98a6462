/**
 * A small seeded pseudo-random generator (mulberry32) for the demo data. Seeds must be
 * deterministic: the same seed gives the same database, byte for byte, on every machine.
 * Never use Math.random in seeding.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    // mulberry32: fast, 32-bit state, good enough distribution for synthetic data.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct elements (fewer when the list is shorter), in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < count && copy.length > 0) {
      const i = Math.floor(this.next() * copy.length);
      out.push(copy.splice(i, 1)[0] as T);
    }
    return out;
  }

  /** `length` digits as a string (leading zeros allowed). */
  digits(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += String(this.int(0, 9));
    return s;
  }

  /** An ISO date (YYYY-MM-DD) between two dates, inclusive. */
  date(from: string, to: string): string {
    return this.instant(`${from}T00:00:00Z`, `${to}T23:59:59Z`).slice(0, 10);
  }

  /** An ISO instant (second precision, UTC) between two instants. */
  instant(from: string, to: string): string {
    const a = Date.parse(from) / 1000;
    const b = Date.parse(to) / 1000;
    return new Date(this.int(a, b) * 1000).toISOString().replace('.000Z', 'Z');
  }
}

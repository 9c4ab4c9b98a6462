import { parseBenchOptions } from '../bench-options';

describe('parseBenchOptions', () => {
  it('has defaults for a full run', () => {
    const o = parseBenchOptions([], {}, '/repo');
    expect(o).toMatchObject({ durationSec: 10, warmupSec: 2, rounds: 2, connections: [1, 10, 50], workloads: undefined, variants: ['bare', 'pactum', 'pactum-no-audit', 'pactum-no-logs', 'pactum-no-rate-limits', 'pactum-tracing', 'pactum-no-dedup', 'hive', 'hive-no-dedup', 'hive-rust', 'hive-rust-no-dedup', 'grafbase', 'grafbase-no-dedup'] });
    expect(o?.parts).toEqual({ gateways: true, components: true });
    expect(o?.output).toBe('/repo/test/bench/results/latest.json');
  });

  it('takes flags before the environment, and --quick shortens', () => {
    expect(parseBenchOptions(['--duration', '4'], { BENCH_DURATION: '7', BENCH_ROUNDS: '3' }, '/r')).toMatchObject({ durationSec: 4, rounds: 3 });
    expect(parseBenchOptions(['--quick'], {}, '/r')).toMatchObject({ durationSec: 3, warmupSec: 1, rounds: 1 });
    expect(parseBenchOptions(['--components'], {}, '/r')?.parts).toEqual({ gateways: false, components: true });
    expect(parseBenchOptions(['--variants', 'pactum,bare', '--connections', '5'], {}, '/r')).toMatchObject({ variants: ['pactum', 'bare'], connections: [5] });
  });

  it('--compare takes one file (compared with the output file) or two', () => {
    expect(parseBenchOptions(['--compare', '/x/old.json'], {}, '/repo')?.compare).toEqual({ before: '/x/old.json', after: '/repo/test/bench/results/latest.json' });
    expect(parseBenchOptions(['--compare', '/x/a.json,/x/b.json'], {}, '/repo')?.compare).toEqual({ before: '/x/a.json', after: '/x/b.json' });
    expect(parseBenchOptions([], {}, '/repo')?.compare).toBeUndefined();
  });

  it('runs pactum-baseline only when asked for', () => {
    expect(parseBenchOptions([], {}, '/r')?.variants).not.toContain('pactum-baseline');
    expect(parseBenchOptions(['--variants', 'bare,pactum,pactum-baseline'], {}, '/r')?.variants).toEqual(['bare', 'pactum', 'pactum-baseline']);
  });

  it('runs Pactum from its production build unless told to run the sources', () => {
    expect(parseBenchOptions([], {}, '/r')?.pactumFrom).toBe('build');
    expect(parseBenchOptions(['--pactum-from', 'source'], {}, '/r')?.pactumFrom).toBe('source');
    expect(parseBenchOptions([], { BENCH_PACTUM_FROM: 'source' }, '/r')?.pactumFrom).toBe('source');
    expect(parseBenchOptions(['--pactum-from', 'build'], { BENCH_PACTUM_FROM: 'source' }, '/r')?.pactumFrom).toBe('build');
  });

  it('returns undefined for --help', () => {
    expect(parseBenchOptions(['--help'], {}, '/r')).toBeUndefined();
  });

  it.each([
    [['--duration', '0'], /--duration=0: must be a positive number/],
    [['--duration', 'ten'], /--duration=ten/],
    [['--rounds', '1.5'], /--rounds=1.5: must be a positive whole number/],
    [['--connections', '1,,50'], /--connections=1,,50: must be a comma-separated list/],
    [['--connections', '1,x'], /--connections=x/],
    [['--variants', 'bare,nginx'], /unknown variant "nginx"/],
    [['--variants', 'bare,bare'], /names an item twice/],
    [['--components', '--gateways'], /exclude each other/],
    [['--nope'], /Unknown option '--nope'/],
    [['--compare', 'a.json,b.json,c.json'], /give one or two results files/],
    [['--compare', ''], /--compare=: must be a comma-separated list/],
    [['--pactum-from', 'dist'], /--pactum-from=dist: must be one of build, source/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchOptions(argv, {}, '/r')).toThrow(message);
  });

  it('names the environment variable of a bad value', () => {
    expect(() => parseBenchOptions([], { BENCH_ROUNDS: '-1' }, '/r')).toThrow(/BENCH_ROUNDS=-1/);
  });
});

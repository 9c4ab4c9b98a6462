/** The log's pieces: the level variable, the allow-listed request line, the readable rendering. */
import { Writable } from 'node:stream';
import { ConfigError } from '../../errors';
import { createLogger, formatLogLine, logLevelFromEnv, requestLogFields } from '../index';

function captured(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('PACTUM_LOG_LEVEL', () => {
  test.each([
    [undefined, 'info'],
    ['', 'info'],
    ['debug', 'debug'],
    ['WARN', 'warn'],
    ['silent', 'silent'],
  ])('%s → %s', (raw, level) => {
    expect(logLevelFromEnv(raw === undefined ? {} : { PACTUM_LOG_LEVEL: raw })).toBe(level);
  });

  test.each(['verbose', 'info ', '30', 'warn,error'])('%j is refused naming the variable', (raw) => {
    expect(() => logLevelFromEnv({ PACTUM_LOG_LEVEL: raw })).toThrow(ConfigError);
    expect(() => logLevelFromEnv({ PACTUM_LOG_LEVEL: raw })).toThrow(/PACTUM_LOG_LEVEL/);
  });

  test('a level drops what is below it', () => {
    const out = captured();
    const log = createLogger({ level: 'warn', destination: out.stream });
    log.info({ event: 'x' }, 'not written');
    log.warn({ event: 'y' }, 'written');
    expect(out.lines()).toEqual([expect.objectContaining({ level: 40, msg: 'written', event: 'y', component: 'gateway' })]);
  });
});

describe('the request line', () => {
  const input = {
    requestId: 'r-1',
    auditId: '01ABC',
    principal: { agency: 'NL-POLICE', subject: 'j.devries' },
    purpose: 'drug-trafficking',
    operation: { name: 'ContainerDossier', hash: 'f'.repeat(64) },
    outcome: 'partial',
    status: 200,
    durationMs: 12.34567,
    denials: 2,
    subgraphCalls: ['police', 'customs', 'police'],
  };

  test('says who, why, what and how it ended, and counts the subgraph calls', () => {
    expect(requestLogFields(input)).toEqual({
      event: 'request',
      requestId: 'r-1',
      auditId: '01ABC',
      agency: 'NL-POLICE',
      subject: 'j.devries',
      purpose: 'drug-trafficking',
      operationName: 'ContainerDossier',
      operationHash: 'f'.repeat(64),
      outcome: 'partial',
      status: 200,
      durationMs: 12.346,
      denials: 2,
      subgraphCalls: 3,
      subgraphs: ['customs', 'police'],
    });
  });

  test('names the requests whose calls in flight served some of its own, once each', () => {
    expect(requestLogFields({ ...input, subgraphJoined: ['r-0', 'r-0', 'r-00'] })).toMatchObject({ subgraphCalls: 3, joinedCalls: 3, joinedRequestIds: ['r-0', 'r-00'] });
    expect(requestLogFields({ ...input, subgraphJoined: [] })).not.toHaveProperty('joinedCalls');
  });

  test('takes nothing it was not built to say, even when handed more', () => {
    const hostile = { ...input, justification: 'Jan de Vries, born 1970', caseRef: 'NL-ONB-2024-0456', token: 'eyJhbGciOi', variables: { number: 'MSCU1234566' } };
    const text = JSON.stringify(requestLogFields(hostile));
    for (const leak of ['Jan de Vries', 'NL-ONB-2024-0456', 'eyJhbGciOi', 'MSCU1234566']) expect(text).not.toContain(leak);
  });
});

describe('formatLogLine (pactum start)', () => {
  test('a request line reads as one sentence', () => {
    const line = JSON.stringify({ level: 30, time: 't', pid: 1, hostname: 'h', component: 'gateway', msg: 'request', ...requestLogFields({
      requestId: 'r', auditId: 'a', principal: { agency: 'NL-POLICE', subject: 'j.devries' }, operation: { name: 'ContainerDossier', hash: 'x' }, outcome: 'released', status: 200, durationMs: 9.5, subgraphCalls: ['police', 'customs'],
    }) });
    expect(formatLogLine(line)).toBe('ContainerDossier released 200 9.5 ms NL-POLICE/j.devries → customs,police');
  });

  test('an event line: its message, the level when not info, its own fields unless the message says them', () => {
    expect(formatLogLine('{"level":30,"time":"t","pid":1,"component":"gateway","event":"ready","url":"http://127.0.0.1:4000/graphql","msg":"gateway ready at http://127.0.0.1:4000/graphql"}')).toBe(
      'gateway ready at http://127.0.0.1:4000/graphql',
    );
    expect(formatLogLine('{"level":40,"msg":"policy reload refused, last good policy stays","policyVersion":"v1","error":"bad grant"}')).toBe(
      'WARN policy reload refused, last good policy stays (policyVersion=v1 error=bad grant)',
    );
  });

  test.each(['subgraph police ready at http://127.0.0.1:4001/graphql', '{not json', '{"level":"x","msg":"m"}', '[1,2]', ''])('%j passes through as it came', (line) => {
    expect(formatLogLine(line)).toBe(line);
  });
});

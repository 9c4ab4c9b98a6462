// Gateways started by end-to-end tests (in this process or as children, which inherit the
// environment) write warnings and errors only: a JSON line per request would bury Jest's output.
// A test that reads request lines sets PACTUM_LOG_LEVEL itself.
process.env.PACTUM_LOG_LEVEL ??= 'warn';

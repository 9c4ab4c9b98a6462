const base = require('../jest.base.js');

module.exports = {
  ...base,
  // Gateways started by the tests log warnings and errors only, unless a test asks for more.
  setupFiles: [require.resolve('./src/jest-log-level.js')],
};

const base = require('../jest.base.js');

/**
 * Gateway tests use msw (agency JWKS endpoints). msw ≥ 2.12's CommonJS build requires packages
 * that ship only as ES modules (`rettime`, `@open-draft/deferred-promise`, …); Node 20 cannot
 * require() those, so Jest compiles exactly those packages to CommonJS with SWC.
 */
const ESM_ONLY = ['rettime', 'until-async', '@open-draft/deferred-promise'];

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+\\.mjs$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};

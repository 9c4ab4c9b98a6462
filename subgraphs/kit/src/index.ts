/**
 * @pactum/subgraph-kit — what every agency subgraph is built on: identifier checks and
 * scalars, the shared SDL and record label, the SQLite store, DataLoader helpers and the
 * server factory, the verifier of the gateway's context token, and hit references. This file is the kit's only public door.
 */
export * from './identifiers';
export * from './scalars';
export * from './sdl';
export * from './store';
export * from './loaders';
export * from './server';
export * from './auth';
export * from './hits';
export * from './tracing';
export { IdentifierError, KitError, KitOptionsError, LabelError, PortInUseError, StoreError, type IdentifierKind } from './errors';

/** The SQLite store helper: open, migrate, seed once, count statements. */
export { openStore, type OpenStoreOptions, type Store } from './open-store';
export { dbOf, type StoreContext } from './store-context';

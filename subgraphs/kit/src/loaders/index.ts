/** DataLoader helpers: a per-request loader cache and one-statement batch functions over SQLite. */
export { createLoaderCache, keyToString, loaderFor, type LoaderCache } from './loader-cache';
export { rowsByKey, rowsGroupedByKey, type RowsByKeyOptions } from './rows-by-key';
export { defineLoader } from './define-loader';

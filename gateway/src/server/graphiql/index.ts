/** The development GraphiQL page and its token helper (see `serve-graphiql.ts`). */
export { createDevGraphiQL, type DevGraphiQLOptions } from './serve-graphiql';

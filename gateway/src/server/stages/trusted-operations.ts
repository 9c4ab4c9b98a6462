/**
 * Stage 2b: which documents may run (`PACTUM_OPERATIONS`). The trusted operations of
 * `schema/operations/` are published as a manifest of persisted documents, each identified by
 * the sha256 of its normalised text (`@pactum/schema` `operations-manifest.ts`: graphql-js
 * `print` of the parsed document). A request names one by id in the Apollo shape,
 * `extensions.persistedQuery.sha256Hash`, or sends its text, or both.
 *
 * - `any`: any valid text runs; an id runs the manifest's document.
 * - `known`: only manifest documents run, by id or by a text whose normalised hash is in the
 *   manifest (layout and comments do not matter); any other text is refused
 *   `PERSISTED_QUERY_NOT_IN_LIST`.
 * - `ids-only`: only by id; a text alone is refused `PERSISTED_QUERY_ID_REQUIRED`.
 *
 * In every mode an id the manifest does not hold is answered `PERSISTED_QUERY_NOT_SUPPORTED`
 * (automatic persisted queries stay off: they would be one more cache any client can fill, and
 * Apollo Client's APQ link answers that code by resending the full text), and a text sent with
 * an id must be that id's document (`BAD_USER_INPUT`, `persisted_query_mismatch`). What runs is
 * the manifest's own text, so the audit record's operation hash is the manifest id.
 *
 * A client's text is parsed here under the request limits (the `parse` option), never bare.
 */
import { createHash } from 'node:crypto';
import type { DocumentNode } from 'graphql';
import { documentId as idOfDocument, type OperationsManifest } from '@pactum/schema';
import { BadUserInputError, PactumError, WIRE_STATUS } from '../../errors';
import type { GraphQLRequest, ReceivedRequest } from './read-graphql-request';

/** `PACTUM_OPERATIONS`. */
export type OperationsMode = 'any' | 'known' | 'ids-only';

export const OPERATIONS_MODES: readonly OperationsMode[] = ['any', 'known', 'ids-only'];

/** A document id the manifest does not hold (or an APQ registration): no APQ here. */
export class PersistedQueryNotSupportedError extends PactumError {
  readonly code = 'PERSISTED_QUERY_NOT_SUPPORTED';
  readonly httpStatus = WIRE_STATUS.PERSISTED_QUERY_NOT_SUPPORTED;
}

/** A text refused by the mode; carries what the audit record names: the attempted text's hash. */
export class UntrustedOperationError extends PactumError {
  readonly httpStatus = 400;
  constructor(
    readonly code: 'PERSISTED_QUERY_NOT_IN_LIST' | 'PERSISTED_QUERY_ID_REQUIRED',
    reason: string,
    message: string,
    /** sha256 of the client's text as sent, and its operationName. */
    readonly attempted: { readonly name: string | null; readonly hash: string },
  ) {
    super(reason, message);
  }
}

export interface TrustedOperationsOptions {
  readonly mode: OperationsMode;
  readonly manifest: OperationsManifest;
  /**
   * Parses a client's text under the request limits: throws a limit refusal, returns the
   * document, or undefined for text that is not GraphQL (`checkOperationLimits`).
   */
  readonly parse: (text: string) => DocumentNode | undefined;
}

/** How many distinct client texts of manifest documents are remembered (a text seen again skips the parse). */
const MAX_REMEMBERED_TEXTS = 1024;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Creates the stage (see the file comment). */
export function createTrustedOperations(options: TrustedOperationsOptions): (request: ReceivedRequest) => GraphQLRequest {
  const { mode, parse } = options;
  const bodies = new Map(options.manifest.operations.map((op) => [op.id, op.body]));
  // sha256 of a client's text → manifest id, for texts known to be a manifest document: the
  // bodies themselves, then the variants seen (bounded; only texts that matched get in).
  const textIds = new Map(options.manifest.operations.map((op) => [sha256(op.body), op.id]));

  /** The manifest id of a text, or undefined when it is not a manifest document. */
  function manifestIdOf(text: string, textHash: string): string | undefined {
    const known = textIds.get(textHash);
    if (known !== undefined) return known;
    const document = parse(text);
    if (document === undefined) return undefined;
    const id = idOfDocument(document);
    if (!bodies.has(id)) return undefined;
    if (textIds.size < MAX_REMEMBERED_TEXTS + bodies.size) textIds.set(textHash, id);
    return id;
  }

  return (received) => {
    const { query, documentId } = received;
    if (documentId !== null) {
      const body = bodies.get(documentId);
      if (body === undefined) {
        throw new PersistedQueryNotSupportedError('unknown_document_id', 'PersistedQueryNotSupported: no trusted operation has this id (automatic persisted queries are off)');
      }
      if (query !== null && manifestIdOf(query, sha256(query)) !== documentId) {
        throw new BadUserInputError('persisted_query_mismatch', 'the "query" text is not the document of extensions.persistedQuery.sha256Hash');
      }
      return requestWith(received, body);
    }
    // Read stage: a request without an id has a text.
    const text = query ?? '';
    if (mode === 'any') return requestWith(received, text);
    const textHash = sha256(text);
    if (mode === 'ids-only') {
      throw new UntrustedOperationError(
        'PERSISTED_QUERY_ID_REQUIRED',
        'operation_id_required',
        'this gateway runs trusted operations by id only: send extensions.persistedQuery { version: 1, sha256Hash }',
        { name: received.operationName, hash: textHash },
      );
    }
    const id = manifestIdOf(text, textHash);
    const body = id === undefined ? undefined : bodies.get(id);
    if (body === undefined) {
      throw new UntrustedOperationError(
        'PERSISTED_QUERY_NOT_IN_LIST',
        'operation_not_trusted',
        'this document is not a trusted operation of this gateway (see schema/operations/manifest.json)',
        { name: received.operationName, hash: textHash },
      );
    }
    return requestWith(received, body);
  };
}

function requestWith(received: ReceivedRequest, query: string): GraphQLRequest {
  return { method: received.method, query, operationName: received.operationName, variables: received.variables };
}

/**
 * The kit's error vocabulary. Each failure is a class with a stable `code` (what kind of
 * failure) and `reason` (which one), so callers branch on fields, never on message text.
 * They become GraphQL / HTTP errors once, at the edge (`server/`).
 */

/** Which identifier scheme an {@link IdentifierError} is about. */
export type IdentifierKind = 'container-number' | 'imo' | 'iban' | 'un-locode';

/** Base class of every error the kit throws on purpose. */
export abstract class KitError extends Error {
  abstract readonly code: string;
  /** Stable machine-readable reason, e.g. `check_digit`. */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.name = new.target.name;
  }
}

/**
 * A malformed identifier (ISO 6346 container number, IMO number, IBAN, UN/LOCODE).
 * The message names the value and what is wrong with it, e.g.
 * `container number MSCU1234567: check digit should be 6`.
 */
export class IdentifierError extends KitError {
  readonly code = 'BAD_USER_INPUT';
  readonly kind: IdentifierKind;
  readonly value: string;

  constructor(kind: IdentifierKind, value: string, reason: string, message: string) {
    super(reason, message);
    this.kind = kind;
    this.value = value;
  }
}

/** A stored record label is malformed (unknown handling code, missing owner). */
export class LabelError extends KitError {
  readonly code = 'LABEL_INVALID';
}

/** The SQLite store cannot be opened, migrated or seeded. */
export class StoreError extends KitError {
  readonly code = 'STORE_ERROR';
}

/** A kit function was called with options it cannot work with. */
export class KitOptionsError extends KitError {
  readonly code = 'OPTIONS_INVALID';
}

/** The subgraph's port is taken by another process. `code` matches Node's `EADDRINUSE`. */
export class PortInUseError extends KitError {
  readonly code = 'EADDRINUSE';
  readonly port: number;
  readonly subgraph: string;

  constructor(port: number, subgraph: string, options?: { cause?: unknown }) {
    super('port_in_use', `port ${port} is already in use (subgraph ${subgraph})`, options);
    this.port = port;
    this.subgraph = subgraph;
  }
}

/**
 * The trust registry (`policies/agencies.yaml`): which agencies exist, which subgraph each owns,
 * and which identity provider speaks for each. The agency of a principal is looked up here by
 * the token's issuer — never taken from a claim.
 */
import path from 'node:path';
import { AGENCY_STANDINGS, standingOfCountry, standingProblem, type AgencyStanding } from './agency-standing';
import { ASYMMETRIC_ALGORITHMS, isAsymmetricAlgorithm, type AsymmetricAlgorithm } from './algorithms';
import { configErrorFrom, readYamlFile } from './read-yaml-file';
import { ShapeError, readArray, readObject, readString, type ShapePath } from './shape';

/** Where an identity provider's public keys come from. */
export type JwksLocation =
  /** An https URL (http only on loopback, for tests). */
  | { readonly kind: 'url'; readonly url: string }
  /** A local JWKS file (development identity providers); absolute path. */
  | { readonly kind: 'file'; readonly path: string };

/** An agency's identity provider as configured in the registry. */
export interface IdentityProviderConfig {
  /** Exact `iss` value of its tokens. Unique across the registry. */
  readonly issuer: string;
  readonly jwks: JwksLocation;
  /** Accepted `aud` values (a token must name at least one). */
  readonly audience: readonly string[];
  /** Accepted signature algorithms (asymmetric only). */
  readonly algorithms: readonly AsymmetricAlgorithm[];
}

/** One agency of the registry. */
export interface AgencyEntry {
  /** Stable id, e.g. `NL-POLICE`. */
  readonly id: string;
  readonly name: string;
  /** ISO 3166 alpha-2 code, or `EU` for EU agencies. */
  readonly country: string;
  /**
   * Member-state authority, EU body, third-country authority or international organisation
   * (`standing:`, or derived from `country`): sharing with the last two is a transfer (LED Chapter V).
   */
  readonly standing: AgencyStanding;
  /** Subgraph the agency owns (`police`, …), or null when it only queries. */
  readonly subgraph: string | null;
  readonly identityProvider: IdentityProviderConfig;
}

/** The loaded, validated trust registry. */
export interface TrustRegistry {
  /** File it was loaded from (absolute), for messages. */
  readonly file: string;
  readonly agencies: readonly AgencyEntry[];
  /** Entry by agency id. */
  agency(id: string): AgencyEntry | undefined;
  /** Entry whose identity provider has exactly this issuer. */
  byIssuer(issuer: string): AgencyEntry | undefined;
  /** Agency id owning a subgraph, if any. */
  agencyOfSubgraph(subgraph: string): string | undefined;
}

const AGENCY_ID = { re: /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/, what: 'an agency id (upper case, dash separated, e.g. NL-POLICE)' };
const COUNTRY = { re: /^[A-Z]{2}$/, what: 'a two-letter country code (or EU)' };
const SUBGRAPH = { re: /^(none|[a-z][a-z0-9-]*)$/, what: 'a subgraph name (lower case) or none' };

/**
 * Loads and strictly validates `policies/agencies.yaml`. `file:` JWKS paths are resolved
 * relative to the directory of the YAML file. Any problem → `ConfigError` naming file, entry
 * and problem; the gateway must not start on it.
 */
export function loadTrustRegistry(file: string): TrustRegistry {
  const abs = path.resolve(file);
  const yaml = readYamlFile(abs);
  try {
    return buildRegistry(abs, yaml.value);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw configErrorFrom(yaml, error, (p) => entryOf(yaml.value, p));
  }
}

function entryOf(doc: unknown, p: ShapePath): { label: string; depth: number } | undefined {
  if (p[0] !== 'agencies' || typeof p[1] !== 'number') return undefined;
  const list = typeof doc === 'object' && doc !== null && Object.hasOwn(doc, 'agencies') ? (doc as { agencies: unknown }).agencies : undefined;
  const item: unknown = Array.isArray(list) ? list[p[1]] : undefined;
  const id = typeof item === 'object' && item !== null && Object.hasOwn(item, 'id') ? (item as { id: unknown }).id : undefined;
  return { label: typeof id === 'string' ? `agencies[${p[1]}] (${id})` : `agencies[${p[1]}]`, depth: 2 };
}

function buildRegistry(file: string, doc: unknown): TrustRegistry {
  const top = readObject(doc, [], { required: ['agencies'], optional: ['version'] });
  if (top.version !== undefined && top.version !== 1) throw new ShapeError(['version'], 'only version 1 is supported');
  const list = readArray(top.agencies, ['agencies']);
  const baseDir = path.dirname(file);
  const agencies = list.map((item, i) => readAgency(item, ['agencies', i], baseDir));

  const byId = new Map<string, AgencyEntry>();
  const byIssuer = new Map<string, AgencyEntry>();
  const bySubgraph = new Map<string, string>();
  agencies.forEach((agency, i) => {
    if (byId.has(agency.id)) throw new ShapeError(['agencies', i, 'id'], `duplicate agency id ${agency.id}`);
    byId.set(agency.id, agency);
    const issuer = agency.identityProvider.issuer;
    const other = byIssuer.get(issuer);
    if (other) throw new ShapeError(['agencies', i, 'identityProvider', 'issuer'], `issuer ${issuer} is already used by ${other.id}`);
    byIssuer.set(issuer, agency);
    if (agency.subgraph !== null) {
      const owner = bySubgraph.get(agency.subgraph);
      if (owner) throw new ShapeError(['agencies', i, 'subgraph'], `subgraph ${agency.subgraph} is already owned by ${owner}`);
      bySubgraph.set(agency.subgraph, agency.id);
    }
  });

  return Object.freeze({
    file,
    agencies: Object.freeze(agencies),
    agency: (id: string) => byId.get(id),
    byIssuer: (issuer: string) => byIssuer.get(issuer),
    agencyOfSubgraph: (subgraph: string) => bySubgraph.get(subgraph),
  });
}

function readAgency(value: unknown, at: ShapePath, baseDir: string): AgencyEntry {
  const o = readObject(value, at, { required: ['id', 'name', 'country', 'subgraph', 'identityProvider'], optional: ['standing'] });
  const id = readString(o.id, [...at, 'id'], AGENCY_ID);
  const name = readString(o.name, [...at, 'name']);
  const country = readString(o.country, [...at, 'country'], COUNTRY);
  const standing = readStanding(o.standing, [...at, 'standing'], country);
  const subgraph = readString(o.subgraph, [...at, 'subgraph'], SUBGRAPH);
  return Object.freeze({
    id,
    name,
    country,
    standing,
    subgraph: subgraph === 'none' ? null : subgraph,
    identityProvider: readIdentityProvider(o.identityProvider, [...at, 'identityProvider'], baseDir),
  });
}

function readStanding(value: unknown, at: ShapePath, country: string): AgencyStanding {
  if (value === undefined) return standingOfCountry(country);
  const text = readString(value, at);
  const standing = AGENCY_STANDINGS.find((s) => s === text);
  if (!standing) throw new ShapeError(at, `"${text}" is not a standing (use one of ${AGENCY_STANDINGS.join(', ')})`);
  const problem = standingProblem(standing, country);
  if (problem) throw new ShapeError(at, problem);
  return standing;
}

function readIdentityProvider(value: unknown, at: ShapePath, baseDir: string): IdentityProviderConfig {
  const o = readObject(value, at, { required: ['issuer', 'jwks', 'audience', 'algorithms'] });
  const issuer = readString(o.issuer, [...at, 'issuer']);
  checkUrl(issuer, [...at, 'issuer']);
  const jwks = readJwksLocation(o.jwks, [...at, 'jwks'], baseDir);

  const audienceRaw = typeof o.audience === 'string' ? [o.audience] : readArray(o.audience, [...at, 'audience']);
  const audience = audienceRaw.map((a, i) => readString(a, typeof o.audience === 'string' ? [...at, 'audience'] : [...at, 'audience', i]));

  const algorithms = readArray(o.algorithms, [...at, 'algorithms']).map((alg, i) => {
    const where = [...at, 'algorithms', i];
    const name = readString(alg, where);
    if (isAsymmetricAlgorithm(name)) return name;
    // The message names the specific mistake: HMAC/none are refused on principle, anything else is unknown.
    if (/^HS\d+$/.test(name) || name.toLowerCase() === 'none') {
      throw new ShapeError([...at, 'algorithms'], `${name} is not an asymmetric algorithm`);
    }
    throw new ShapeError([...at, 'algorithms'], `${name} is not a supported algorithm (use one of ${ASYMMETRIC_ALGORITHMS.join(', ')})`);
  });
  return Object.freeze({ issuer, jwks, audience: Object.freeze(audience), algorithms: Object.freeze([...new Set(algorithms)]) });
}

function readJwksLocation(value: unknown, at: ShapePath, baseDir: string): JwksLocation {
  const text = readString(value, at);
  if (text.startsWith('file:')) {
    const rel = text.slice('file:'.length);
    if (rel === '') throw new ShapeError(at, 'file: needs a path');
    return Object.freeze({ kind: 'file', path: path.resolve(baseDir, rel) });
  }
  checkUrl(text, at);
  return Object.freeze({ kind: 'url', url: text });
}

/** https anywhere; plain http only to a loopback host (local tests and development). */
function checkUrl(text: string, at: ShapePath): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ShapeError(at, `"${text}" is not a URL (use https://…, or file:<path> for a local JWKS)`);
  }
  if (url.username !== '' || url.password !== '') throw new ShapeError(at, 'must not contain credentials');
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  if (url.protocol === 'http:') throw new ShapeError(at, `${text} uses http; only https is allowed (http only on loopback)`);
  throw new ShapeError(at, `${text}: unsupported scheme ${url.protocol} (use https)`);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

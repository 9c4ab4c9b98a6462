/** A subgraph registry that cannot be used: unreadable, malformed, or naming what does not exist. */
export class SubgraphRegistryError extends Error {
  /** Stable reason: `file_unreadable`, `yaml_syntax`, `bad_entry`, `duplicate`, `missing_module`. */
  readonly reason: string;
  readonly code = 'CONFIG_INVALID' as const;

  constructor(reason: string, message: string) {
    super(message);
    this.name = 'SubgraphRegistryError';
    this.reason = reason;
  }
}

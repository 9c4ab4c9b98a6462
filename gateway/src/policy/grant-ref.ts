/** Names the agreement and grant that allowed a release: every decision names the grant behind it. */
export interface GrantRef {
  readonly agreement: string;
  readonly grant: string;
}

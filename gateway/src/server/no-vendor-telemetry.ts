/**
 * @apollo/gateway (2.x) reports usage to Apollo unless told not to: constructing an
 * `ApolloGateway` starts an OpenTelemetry meter that exports to
 * usage-reporting.api.apollographql.com every hour, and first runs the cloud resource
 * detectors, which probe the AWS, GCP and Azure metadata services (a DNS lookup of
 * metadata.google.internal, connections to 169.254.169.254). A gateway between police
 * agencies must not contact anyone it was not configured to contact, and must not tell a
 * vendor it exists. The switch is an environment variable read by the constructor, so it is set
 * here, before every construction, whatever the operator's environment says.
 */

/** Turns @apollo/gateway's usage reporting off for this process (idempotent). */
export function disableVendorTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

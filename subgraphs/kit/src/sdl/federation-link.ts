/**
 * The Federation 2 `@link` every subgraph puts first. One line for all subgraphs, so
 * they compose against the same federation version and directive names.
 */
export const federationLink = `extend schema
  @link(
    url: "https://specs.apollo.dev/federation/v2.7"
    import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@override"]
  )
`;

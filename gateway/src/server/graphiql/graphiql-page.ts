/** The HTML of the development GraphiQL page (`/`): assets from `/graphiql/`, configuration as inert JSON. */

export interface GraphiQLPageOptions {
  /** Agencies with a development identity provider, for the form's list. */
  readonly agencies: readonly string[];
  /** Who the form proposes first. */
  readonly example: {
    readonly agency: string;
    readonly sub: string;
    readonly roles: readonly string[];
    readonly clearance: string;
    readonly purposes: readonly string[];
    readonly cases: readonly string[];
  };
  readonly defaultQuery: string;
}

// JSON inside <script type="application/json">: "<" escaped so no text can close the element.
const inertJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export function graphiqlPage(options: GraphiQLPageOptions): string {
  const config = { endpoint: '/graphql', agencies: options.agencies, example: options.example, defaultQuery: options.defaultQuery };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pactum GraphiQL (development)</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<link rel="stylesheet" href="/graphiql/pactum.css">
</head>
<body>
<div id="pactum-graphiql"></div>
<script type="application/json" id="pactum-config">${inertJson(config)}</script>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/app.js"></script>
</body>
</html>
`;
}

export const PACTUM_CSS = `html, body, #pactum-graphiql { height: 100%; margin: 0; }
.pactum-root { display: flex; flex-direction: column; height: 100%; }
.pactum-who { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: end; padding: 8px 12px; font: 13px system-ui, sans-serif; background: #f3f4f6; border-bottom: 1px solid #d1d5db; }
.pactum-field { display: flex; flex-direction: column; gap: 2px; color: #374151; }
.pactum-who input, .pactum-who select { font: inherit; padding: 2px 4px; }
#token-status { color: #92400e; } #token-status.ok { color: #065f46; }
.pactum-editor { flex: 1; min-height: 0; }
`;

/**
 * The browser side of the development GraphiQL page, served as `/graphiql/app.js` (a file of its
 * own, so the page's Content-Security-Policy can forbid inline scripts). Plain ES2020 on React's
 * UMD build: no bundler, nothing fetched from anywhere but the gateway.
 *
 * A form over the editor picks who asks (an agency with a development identity provider, subject,
 * roles, clearance, purposes, cases) and why (purpose, justification, case reference); "Get token"
 * asks `/graphiql/token` for a development token, and GraphiQL then sends every request with it.
 * `?query=` and `?variables=` prefill the editors.
 */
export const GRAPHIQL_APP_JS = String.raw`'use strict';
(function () {
  const h = React.createElement;
  const params = new URLSearchParams(location.search);
  const config = JSON.parse(document.getElementById('pactum-config').textContent);
  const split = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

  function Field(props) {
    return h('label', { className: 'pactum-field' }, props.label, props.children);
  }

  function App() {
    const p = config.example;
    const [who, setWho] = React.useState({
      agency: p.agency, sub: p.sub, roles: p.roles.join(', '), clearance: p.clearance,
      purposes: p.purposes.join(', '), cases: p.cases.join(', '),
      purpose: p.purposes[0] || '', justification: 'exploring in GraphiQL', caseRef: p.cases[0] || '',
    });
    const [token, setToken] = React.useState(null);
    const [status, setStatus] = React.useState('no token yet: pick who asks and press "Get token"');
    const set = (k) => (e) => setWho(Object.assign({}, who, { [k]: e.target.value }));
    const input = (k, extra) => h('input', Object.assign({ value: who[k], onChange: set(k), name: k }, extra || {}));

    async function getToken(e) {
      e.preventDefault();
      setStatus('asking for a token…');
      const res = await fetch('/graphiql/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agency: who.agency, sub: who.sub, roles: split(who.roles), clearance: who.clearance, purposes: split(who.purposes), cases: split(who.cases) }),
      });
      const body = await res.json();
      if (!res.ok) { setToken(null); setStatus('refused: ' + body.error); return; }
      setToken(body.token);
      setStatus('token for ' + who.sub + ' @ ' + who.agency + ', valid ' + body.expiresIn);
    }

    const fetcher = React.useMemo(() => async (graphQLParams) => {
      // No token yet: say so here rather than collect a 401 for the schema GraphiQL asks for.
      if (!token) return { errors: [{ message: 'no token yet: pick who asks above and press "Get token"' }] };
      const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token };
      if (who.purpose) headers['x-purpose'] = who.purpose;
      if (who.justification) headers['x-justification'] = who.justification;
      if (who.caseRef) headers['x-case-ref'] = who.caseRef;
      const res = await fetch(config.endpoint, { method: 'POST', headers, body: JSON.stringify(graphQLParams) });
      return res.json();
    }, [token, who.purpose, who.justification, who.caseRef]);

    return h('div', { className: 'pactum-root' },
      h('form', { className: 'pactum-who', onSubmit: getToken },
        h(Field, { label: 'agency' }, h('select', { value: who.agency, onChange: set('agency'), name: 'agency' }, config.agencies.map((a) => h('option', { key: a, value: a }, a)))),
        h(Field, { label: 'subject' }, input('sub', { size: 12 })),
        h(Field, { label: 'roles' }, input('roles', { size: 14 })),
        h(Field, { label: 'clearance' }, input('clearance', { size: 12 })),
        h(Field, { label: 'purposes' }, input('purposes', { size: 16 })),
        h(Field, { label: 'cases' }, input('cases', { size: 16 })),
        h('button', { type: 'submit', id: 'get-token' }, 'Get token'),
        h(Field, { label: 'x-purpose' }, input('purpose', { size: 14 })),
        h(Field, { label: 'x-justification' }, input('justification', { size: 20 })),
        h(Field, { label: 'x-case-ref' }, input('caseRef', { size: 16 })),
        h('span', { id: 'token-status', className: token ? 'ok' : '' }, status)),
      h('div', { className: 'pactum-editor' },
        // A new token: a new GraphiQL, which fetches the (filtered) schema as that principal.
        h(GraphiQL, { key: token || 'none', fetcher, defaultQuery: params.get('query') || config.defaultQuery, variables: params.get('variables') || undefined })));
  }

  ReactDOM.createRoot(document.getElementById('pactum-graphiql')).render(h(App));
})();
`;

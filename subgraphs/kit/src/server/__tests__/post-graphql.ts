/** Test helper: POST a GraphQL request and return status, headers and parsed body. */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

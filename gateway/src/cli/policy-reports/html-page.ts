/**
 * A standalone HTML page for the reports (`policy access --html`, `audit report --html`): one
 * file, styles and script inline, data embedded as JSON — no external asset, so it opens from a
 * mail attachment or an air-gapped share exactly as it was written.
 */

/** Text safe inside HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON safe inside `<script type="application/json">`: `<` escaped so no value (an agreement's
 * intent, a justification) can close the script element; U+2028/9 escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The page around a report's body. `script` reads its data from `#report-data`. */
export function htmlPage(options: { title: string; css: string; body: string; data: unknown; script: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(options.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #fafafa; }
header { padding: 12px 20px; background: #1f3a5f; color: #fff; }
header h1 { margin: 0; font-size: 18px; }
header p { margin: 4px 0 0; opacity: .85; }
main { padding: 12px 20px; }
.filters { display: flex; gap: 16px; flex-wrap: wrap; align-items: center; margin-bottom: 10px; }
.filters label { font-weight: 600; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 3px; }
.allowed { background: #2e7d32; color: #fff; }
.conditional { background: #f9a825; color: #000; }
.denied { background: #e0e0e0; color: #555; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; }
${options.css}
</style>
</head>
<body>
${options.body}
<script type="application/json" id="report-data">${jsonForScript(options.data)}</script>
<script>
${options.script}
</script>
</body>
</html>
`;
}

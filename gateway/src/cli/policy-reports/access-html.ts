/**
 * The access matrix as a standalone HTML report (`pactum policy access --html report.html`):
 * one row per agency · purpose · access profile, one column per field (grouped by type), a
 * colour per cell (allowed / conditional on the row / denied), filters by agency, purpose and
 * field group, and a click on a cell shows the grant behind it: intent, legal basis, validity.
 */
import type { AccessMatrix } from '../../policy';
import { escapeHtml, htmlPage } from './html-page';

const CSS = `
.wrap { overflow: auto; max-height: 70vh; border: 1px solid #ccc; background: #fff; }
#matrix th.type { font-size: 12px; background: #eef2f7; position: sticky; top: 0; z-index: 2; }
#matrix th.field { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; font-size: 11px; padding: 4px 1px; background: #f6f8fb; position: sticky; top: 22px; z-index: 2; }
#matrix th.profile { text-align: left; font-weight: normal; white-space: nowrap; background: #fff; position: sticky; left: 0; z-index: 1; padding: 2px 6px; font-size: 12px; }
#matrix td.cell { width: 14px; min-width: 14px; height: 18px; cursor: pointer; padding: 0; }
#matrix td.cell.selected { outline: 3px solid #1565c0; outline-offset: -2px; }
#detail { margin-top: 12px; padding: 10px 14px; background: #fff; border: 1px solid #ccc; min-height: 60px; }
#detail h2 { font-size: 16px; margin: 0 0 6px; }
#detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
#detail dt { font-weight: 600; }
.count { color: #555; }
`;

// Plain browser JavaScript (no framework): builds the table from the embedded data, applies the
// filters by hiding rows and columns, and fills #detail on a click.
const SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var table = document.getElementById('matrix');
  var fields = data.fields;
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function fill(select, values) { values.forEach(function (v) { var o = el('option', null, v[1]); o.value = v[0]; select.appendChild(o); }); }
  fill(document.getElementById('filter-agency'), data.agencies.map(function (a) { return [a, a]; }));
  fill(document.getElementById('filter-purpose'), data.purposes.map(function (p) { return [p, p]; }));
  var groupOptions = data.fieldGroups.map(function (g) { return ['group:' + g, 'group ' + g]; });
  var owners = []; var types = [];
  fields.forEach(function (f) { if (owners.indexOf(f.owner) < 0) owners.push(f.owner); if (types.indexOf(f.type) < 0) types.push(f.type); });
  owners.forEach(function (o) { groupOptions.push(['owner:' + o, 'data of ' + o]); });
  types.forEach(function (t) { groupOptions.push(['type:' + t, 'type ' + t]); });
  fill(document.getElementById('filter-group'), groupOptions);

  var thead = el('thead'); var typeRow = el('tr'); var fieldRow = el('tr');
  typeRow.appendChild(el('th', 'profile', 'agency · purpose · profile'));
  fieldRow.appendChild(el('th', 'profile', ''));
  var spans = [];
  fields.forEach(function (f, j) {
    var last = spans[spans.length - 1];
    if (last && last.type === f.type) last.n++; else spans.push({ type: f.type, n: 1 });
    var th = el('th', 'field', f.field); th.title = f.coordinate; th.setAttribute('data-col', j); fieldRow.appendChild(th);
  });
  spans.forEach(function (s) { var th = el('th', 'type', s.type); th.colSpan = s.n; th.setAttribute('data-type', s.type); typeRow.appendChild(th); });
  thead.appendChild(typeRow); thead.appendChild(fieldRow); table.appendChild(thead);
  var tbody = el('tbody');
  data.classes.forEach(function (k, i) {
    var tr = el('tr'); tr.setAttribute('data-agency', k.agency); tr.setAttribute('data-purpose', k.purpose);
    tr.setAttribute('data-empty', k.released + k.conditional === 0 ? 'yes' : 'no');
    var th = el('th', 'profile', k.agency + ' · ' + k.purpose + ' · ' + k.label); tr.appendChild(th);
    k.cells.forEach(function (c, j) {
      var td = el('td', 'cell ' + c.effect); td.setAttribute('data-row', i); td.setAttribute('data-col', j);
      td.setAttribute('data-coord', fields[j].coordinate);
      td.title = fields[j].coordinate + ': ' + c.effect + (c.reason ? ' (' + c.reason + ')' : '');
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  });
  table.appendChild(tbody);

  function fieldVisible(f, g) {
    if (!g) return true;
    var kind = g.slice(0, g.indexOf(':')); var value = g.slice(g.indexOf(':') + 1);
    if (kind === 'group') return f.groups.indexOf(value) >= 0;
    if (kind === 'owner') return f.owner === value;
    return f.type === value;
  }
  function apply() {
    var a = document.getElementById('filter-agency').value;
    var p = document.getElementById('filter-purpose').value;
    var g = document.getElementById('filter-group').value;
    var hideEmpty = document.getElementById('filter-empty').checked;
    var rows = 0;
    Array.prototype.forEach.call(tbody.rows, function (tr) {
      var show = (!a || tr.getAttribute('data-agency') === a) && (!p || tr.getAttribute('data-purpose') === p) && !(hideEmpty && tr.getAttribute('data-empty') === 'yes');
      tr.hidden = !show; if (show) rows++;
    });
    var visibleCols = fields.map(function (f) { return fieldVisible(f, g); });
    var cols = visibleCols.filter(Boolean).length;
    Array.prototype.forEach.call(table.querySelectorAll('[data-col]'), function (c) { c.hidden = !visibleCols[Number(c.getAttribute('data-col'))]; });
    Array.prototype.forEach.call(typeRow.querySelectorAll('th.type'), function (th) {
      var n = 0; fields.forEach(function (f, j) { if (f.type === th.getAttribute('data-type') && visibleCols[j]) n++; });
      th.hidden = n === 0; if (n > 0) th.colSpan = n;
    });
    document.getElementById('shown').textContent = rows + ' profiles × ' + cols + ' fields';
  }
  ['filter-agency', 'filter-purpose', 'filter-group', 'filter-empty'].forEach(function (id) { document.getElementById(id).addEventListener('change', apply); });

  var detail = document.getElementById('detail');
  function show(i, j) {
    var k = data.classes[i]; var c = k.cells[j]; var f = fields[j];
    detail.textContent = '';
    detail.appendChild(el('h2', null, f.coordinate + ' — ' + c.effect + (c.reason ? ' (' + c.reason + ')' : '')));
    detail.appendChild(el('p', null, k.agency + ', purpose ' + k.purpose + ', ' + k.label + '. Data of ' + f.owner + (f.groups.length ? ', field group ' + f.groups.join(', ') : '') + '.'));
    if (c.grants.length === 0) detail.appendChild(el('p', 'reason', c.reason === 'NO_AGREEMENT' ? 'No agreement of ' + f.owner + ' grants this field to ' + k.agency + '.' : 'Denied: ' + c.reason + '.'));
    c.grants.forEach(function (id, n) {
      var g = data.grants[id]; var dl = el('dl', 'grant'); dl.setAttribute('data-grant', id);
      function row(k2, v) { dl.appendChild(el('dt', null, k2)); dl.appendChild(el('dd', null, v)); }
      row('grant', id);
      if (g) {
        row('agreement', g.title); row('intent', g.intent); row('legal basis', g.legalBasis);
        row('validity', g.validity.from + ' – ' + (g.validity.to || 'open-ended'));
        row('provider → recipients', g.provider + ' → ' + g.recipients.join(', '));
        row('purposes', g.purposes.join(', ')); row('requires', g.requires.join(', ') || 'nothing more');
        row('file', g.source);
      }
      if (c.conditions[n]) row('row condition', c.conditions[n]);
      detail.appendChild(dl);
    });
    Array.prototype.forEach.call(table.querySelectorAll('td.selected'), function (td) { td.classList.remove('selected'); });
  }
  table.addEventListener('click', function (ev) {
    var td = ev.target.closest ? ev.target.closest('td.cell') : null;
    if (!td) return;
    show(Number(td.getAttribute('data-row')), Number(td.getAttribute('data-col')));
    td.classList.add('selected');
  });
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
`;

/** The standalone report. */
export function accessMatrixToHtml(m: AccessMatrix): string {
  const body = `<header><h1>Who may see what — effective access</h1>
<p>Policy ${escapeHtml(m.policyVersion)}, decided at ${escapeHtml(m.at)}. Each profile is a role held alone (or none) at a clearance level; several roles see the most any one of them sees.</p></header>
<main>
<div class="filters">
  <label for="filter-agency">Agency</label><select id="filter-agency"><option value="">all agencies</option></select>
  <label for="filter-purpose">Purpose</label><select id="filter-purpose"><option value="">all purposes</option></select>
  <label for="filter-group">Fields</label><select id="filter-group"><option value="">all fields</option></select>
  <label><input type="checkbox" id="filter-empty" checked> hide profiles that see nothing</label>
  <span class="count" id="shown"></span>
</div>
<p class="legend"><span class="allowed">allowed</span><span class="conditional">conditional on the row</span><span class="denied">denied</span> Click a cell for the grant behind it.</p>
<div class="wrap"><table id="matrix"></table></div>
<section id="detail"><p>Click a cell.</p></section>
</main>`;
  return htmlPage({ title: `Pactum access matrix ${m.policyVersion}`, css: CSS, body, data: m, script: SCRIPT });
}

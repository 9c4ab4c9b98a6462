/**
 * `pactum audit report --html`: a period's picture as one standalone page — requests, releases
 * and denials per agency and purpose (with bars), denials by reason, the entities released most,
 * the refusals of verified principals by person; a filter by agency, and a click on a person
 * lists their refused requests (time, audit id, purpose, justification, reason).
 */
import type { PeriodReport } from '../../audit';
import { escapeHtml, htmlPage } from './html-page';

const CSS = `
section { margin: 14px 0; }
section h2 { font-size: 16px; margin: 0 0 6px; }
table.report { background: #fff; min-width: 640px; }
table.report th, table.report td { padding: 3px 8px; text-align: left; }
table.report td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 10px; background: #2e7d32; margin-right: 2px; vertical-align: middle; }
.bar.deny { background: #c62828; }
tr.person { cursor: pointer; }
tr.person.selected { outline: 2px solid #1565c0; }
#detail { padding: 10px 14px; background: #fff; border: 1px solid #ccc; min-height: 40px; }
`;

const SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = String(text); return e; }
  var max = Math.max.apply(null, data.perAgency.map(function (c) { return c.requests; }).concat([1]));
  function bar(n, cls) { var b = el('span', 'bar' + (cls ? ' ' + cls : '')); b.style.width = Math.round(200 * n / max) + 'px'; return b; }
  function countsTable(id, rows, agencyOf) {
    var t = document.getElementById(id);
    rows.forEach(function (c) {
      var tr = el('tr'); tr.setAttribute('data-agencies', agencyOf(c).join(' '));
      tr.appendChild(el('td', null, c.name));
      [c.requests, c.releasing, c.denying, c.refused].forEach(function (n) { tr.appendChild(el('td', 'n', n)); });
      var td = el('td'); td.appendChild(bar(c.releasing)); td.appendChild(bar(c.denying, 'deny')); tr.appendChild(td);
      t.appendChild(tr);
    });
  }
  countsTable('per-agency', data.perAgency, function (c) { return [c.name]; });
  countsTable('per-purpose', data.perPurpose, function () { return []; });
  var reasons = document.getElementById('reasons');
  data.denialReasons.forEach(function (d) {
    var tr = el('tr'); tr.setAttribute('data-agencies', d.agencies.join(' '));
    [d.kind, d.reason].forEach(function (v) { tr.appendChild(el('td', null, v)); });
    tr.appendChild(el('td', 'n', d.count)); tr.appendChild(el('td', null, d.agencies.join(', ')));
    reasons.appendChild(tr);
  });
  var entities = document.getElementById('entities');
  data.topEntities.forEach(function (x) {
    var tr = el('tr'); tr.setAttribute('data-agencies', x.agencies.join(' '));
    [x.type + ':' + x.key, x.owner].forEach(function (v) { tr.appendChild(el('td', null, v)); });
    tr.appendChild(el('td', 'n', x.releases)); tr.appendChild(el('td', null, x.agencies.join(', ')));
    entities.appendChild(tr);
  });
  var people = document.getElementById('people');
  var detail = document.getElementById('detail');
  data.refusedPrincipals.forEach(function (p, i) {
    var tr = el('tr', 'person'); tr.setAttribute('data-agencies', p.agency); tr.setAttribute('data-person', i);
    [p.agency, p.subject].forEach(function (v) { tr.appendChild(el('td', null, v)); });
    tr.appendChild(el('td', 'n', p.count));
    tr.addEventListener('click', function () {
      Array.prototype.forEach.call(people.querySelectorAll('tr.selected'), function (r) { r.classList.remove('selected'); });
      tr.classList.add('selected');
      detail.textContent = '';
      detail.appendChild(el('h2', null, p.subject + ' (' + p.agency + '): ' + p.count + ' refused request(s)'));
      var t = el('table', 'report'); var head = el('tr');
      ['time', 'audit id', 'purpose', 'justification', 'reason'].forEach(function (h) { head.appendChild(el('th', null, h)); });
      t.appendChild(head);
      p.refusals.forEach(function (r) {
        var row = el('tr'); [r.time, r.auditId, r.purpose, r.justification, r.reason].forEach(function (v) { row.appendChild(el('td', null, v)); }); t.appendChild(row);
      });
      detail.appendChild(t);
    });
    people.appendChild(tr);
  });
  var select = document.getElementById('filter-agency');
  data.perAgency.forEach(function (c) { var o = el('option', null, c.name); o.value = c.name; select.appendChild(o); });
  select.addEventListener('change', function () {
    var a = select.value;
    Array.prototype.forEach.call(document.querySelectorAll('tr[data-agencies]'), function (tr) {
      var list = tr.getAttribute('data-agencies');
      tr.hidden = Boolean(a) && list !== '' && list.split(' ').indexOf(a) < 0;
    });
  });
  document.body.setAttribute('data-ready', 'yes');
})();
`;

const COUNT_HEAD = '<tr><th>name</th><th>requests</th><th>releasing</th><th>with denials</th><th>refused</th><th></th></tr>';

/** The standalone page. */
export function periodReportToHtml(r: PeriodReport, trail: string): string {
  const outcomes = Object.entries(r.byOutcome).map(([o, n]) => `${n} ${escapeHtml(o)}`).join(', ') || 'none';
  const body = `<header><h1>Audit report ${escapeHtml(r.since)} – ${escapeHtml(r.until)}</h1>
<p>${r.requests} request(s): ${outcomes}. Trail ${escapeHtml(trail)}.</p></header>
<main>
<div class="filters"><label for="filter-agency">Agency</label><select id="filter-agency"><option value="">all agencies</option></select></div>
<section><h2>Per agency</h2><table class="report" id="per-agency">${COUNT_HEAD}</table></section>
<section><h2>Per purpose</h2><table class="report" id="per-purpose">${COUNT_HEAD}</table></section>
<section><h2>Denials by reason</h2><table class="report" id="reasons"><tr><th>kind</th><th>reason</th><th>count</th><th>agencies</th></tr></table></section>
<section><h2>Entities released most</h2><table class="report" id="entities"><tr><th>entity</th><th>owner</th><th>releases</th><th>to</th></tr></table></section>
<section><h2>Refusals of verified principals, by person</h2><p>Click a person for their refused requests.</p>
<table class="report" id="people"><tr><th>agency</th><th>subject</th><th>refused</th></tr></table></section>
<section id="detail"><p>Click a person.</p></section>
</main>`;
  return htmlPage({ title: `Pactum audit report ${r.since} – ${r.until}`, css: CSS, body, data: r, script: SCRIPT });
}

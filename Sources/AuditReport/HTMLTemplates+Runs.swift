/// The run-history and waiver sections of the HTML report (partials of `head`).
extension HTMLTemplates {
    /// "What changed": the comparison with the previous run, per KB, the listed changes and the trend.
    static let changes = #"""
<section id="changes">
  <h2>What changed <small class="muted">since run {{previousID}} ({{previousAt}})</small></h2>
  <div class="cards changes">
    {{#totals}}<div class="card small change-{{kind}}"><div class="label">{{label}}</div><div class="num">{{count}}</div><div class="sub">host × hotfix results</div></div>{{/totals}}
    <div class="card small"><div class="label">Compliant hosts</div><div class="num">{{currentPercent}}<span>%</span></div><div class="sub">{{deltaText}} since the previous run ({{previousPercent}}%)</div></div>
  </div>
  <div class="charts two">
    {{#trend}}<figure class="chart"><figcaption>Compliance trend <span>(share of compliant hosts per run, {{count}} runs)</span></figcaption>{{> trend}}</figure>{{/trend}}
    <figure class="chart"><figcaption>By hotfix</figcaption>
      <table class="grid"><thead><tr><th>Hotfix</th>{{#kinds}}<th class="num">{{.}}</th>{{/kinds}}</tr></thead>
      <tbody>{{#byKB}}<tr><th>{{kb}}</th>{{#counts}}<td class="num">{{.}}</td>{{/counts}}</tr>{{/byKB}}</tbody></table>
    </figure>
  </div>
  {{#has_rows}}
  <table class="grid changelist"><caption>{{listNote}}</caption>
    <thead><tr><th>Change</th><th>Host</th><th>Address</th><th>Hotfix</th><th>Before</th><th>Now</th></tr></thead>
    <tbody>{{#rows}}<tr class="{{kind}}"><td><span class="tag change-{{kind}}">{{label}}</span></td><td><a href="#hosts" class="host-link" data-host="{{host}}">{{host}}</a></td><td class="mono">{{address}}</td><td>{{kb}}</td><td>{{#before}}<span class="badge v-{{before}}">{{beforeLabel}}</span>{{/before}}{{^before}}–{{/before}} <small class="mono">{{beforeVersion}}</small></td><td>{{#after}}<span class="badge v-{{after}}">{{afterLabel}}</span>{{/after}}{{^after}}gone{{/after}} <small class="mono">{{afterVersion}}</small></td></tr>{{/rows}}</tbody>
  </table>
  {{/has_rows}}
  {{^has_rows}}<p class="none">No host × hotfix result changed its compliance since the previous run.</p>{{/has_rows}}
</section>
"""#

    /// A small line chart of the share of compliant hosts per run.
    static let trend = #"""
<svg class="trend" viewBox="0 0 420 150" width="420" height="150" role="img" aria-label="Compliance trend">
  <line x1="40" y1="10" x2="40" y2="120" stroke="#c4cdd6"/><line x1="40" y1="120" x2="410" y2="120" stroke="#c4cdd6"/>
  <text x="34" y="14" text-anchor="end" class="axis">100%</text><text x="34" y="124" text-anchor="end" class="axis">0%</text>
  <polyline points="{{points}}" fill="none" stroke="#1f4e79" stroke-width="2"/>
  {{#dots}}<circle cx="{{x}}" cy="{{y}}" r="3.5" fill="#1f4e79"><title>{{at}}: {{percent}}% ({{compliant}} of {{hosts}} hosts)</title></circle>{{/dots}}
  <text x="40" y="140" class="axis">{{firstAt}}</text><text x="410" y="140" text-anchor="end" class="axis">{{lastAt}}</text>
</svg>
"""#

    /// "Accepted risks": the waiver file, what it accepted, and the waivers that need attention.
    static let waivers = #"""
<section id="waivers">
  <h2>Accepted risks</h2>
  <p class="facts">{{acceptedResults}} host × hotfix result(s) accepted as risks{{#file}} by <code>{{.}}</code>{{/file}}{{#appliedAt}} (applied {{.}}){{/appliedAt}}. An accepted risk counts as compliant until its waiver expires.</p>
  {{#has_waivers}}
  <table class="grid"><thead><tr><th>State</th><th>Host pattern</th><th>Hotfix</th><th>Expires</th><th>Owner</th><th>Reason</th><th>Line</th></tr></thead>
  <tbody>{{#waivers}}<tr><td><span class="tag waiver-{{state}}">{{state}}</span></td><td class="mono">{{host}}</td><td>{{kb}}</td><td>{{expires}}</td><td>{{owner}}</td><td>{{reason}}</td><td class="num">{{line}}</td></tr>{{/waivers}}</tbody></table>
  {{/has_waivers}}
  {{#has_attention}}<p class="hint">Expired waivers no longer hide their hosts; unused waivers covered no non-compliant result (fixed, or a pattern that matches nothing): remove or correct them.</p>{{/has_attention}}
</section>
"""#
}

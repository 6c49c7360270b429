/// The HTML report's Mustache templates. Every `{{value}}` is HTML-escaped by swift-mustache;
/// the templates contain no triple mustaches, so no input value reaches the page unescaped.
/// The host table is drawn by the one static script in `tail` from the embedded data set
/// (``HTMLDataSet``); it writes values only as text (`textContent`), never as markup.
enum HTMLTemplates {
    static let head = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hotfix-audit {{toolVersion}}">
<title>Hotfix audit report – {{generatedAt}}</title>
<style>
"""# + css + #"""
</style>
</head>
<body>
<header class="masthead">
  <div class="wrap">
    <div class="brand">hotfix-audit</div>
    <h1>Hotfix compliance report</h1>
    <p class="meta">Generated <time>{{generatedAt}}</time> · tool {{toolVersion}} · database <code>{{database}}</code>{{#assessedAt}} · assessed <time>{{.}}</time>{{/assessedAt}}{{#kbFilterText}} · limited to {{.}}{{/kbFilterText}}</p>
    <nav class="toc">{{#changes}}<a href="#changes">What changed</a>{{/changes}}<a href="#summary">Summary</a>{{#waivers}}<a href="#waivers">Accepted risks</a>{{/waivers}}<a href="#kbs">Hotfixes</a><a href="#hosts">Hosts</a><a href="#verdicts">How verdicts are decided</a><a href="#inputs">Inputs</a></nav>
  </div>
</header>
<main class="wrap">
{{#changes}}{{> changes}}{{/changes}}
{{#has_emptyMessages}}
<section class="notice" id="empty">
  <h2>Nothing to report yet</h2>
  <ul>{{#emptyMessages}}<li>{{.}}</li>{{/emptyMessages}}</ul>
  <p>Import a manifest (<code>hotfix-audit import-manifest</code>) and an inventory (<code>hotfix-audit import-inventory</code>), then run <code>hotfix-audit assess</code>.</p>
</section>
{{/has_emptyMessages}}
<section id="summary">
  <h2>Executive summary</h2>
  <div class="cards" style="--verdicts: {{verdictCount}}">
    <div class="card score {{scoreClass}}">
      <div class="label">Compliant hosts</div>
      <div class="big">{{compliancePercent}}<span>%</span></div>
      <div class="sub">{{compliantHosts}} of {{hostCount}} hosts {{compliantMeaning}}</div>
      <div class="meter" role="img" aria-label="{{meterWidth}}% compliant"><div style="width: {{meterWidth}}%"></div></div>
    </div>
    {{#verdictCards}}
    <div class="card small"><div class="label"><span class="dot" style="background: {{color}}"></span>{{label}}</div><div class="num">{{count}}</div><div class="sub">{{share}}% of results</div></div>
    {{/verdictCards}}
  </div>
  <div class="charts">
    <figure class="chart">
      <figcaption>Results by verdict <span>(host × hotfix, {{resultCount}} in all)</span></figcaption>
      {{#donut}}{{> donut}}{{/donut}}
    </figure>
    <figure class="chart wide">
      <figcaption>By platform</figcaption>
      {{#byPlatform}}{{> bars}}{{/byPlatform}}
    </figure>
    <figure class="chart wide">
      <figcaption>By hotfix</figcaption>
      {{#byKB}}{{> bars}}{{/byKB}}
    </figure>
  </div>
</section>
{{#waivers}}{{> waivers}}{{/waivers}}
{{#risks}}<section id="risk">
  <h2>Non-compliant hosts by risk</h2>
  <p class="facts">Riskiest first: the highest Microsoft severity × the number of CVEs fixed by the hotfixes each host is not compliant on (from the imported vendor feeds).</p>
  <table class="grid"><thead><tr><th>Host</th><th>Score</th><th>Highest severity</th><th>CVEs</th><th>Max CVSS</th><th>Exploited</th><th>Hotfixes missing</th></tr></thead>
  <tbody>{{#hosts}}<tr><td>{{host}}</td><td class="num">{{score}}</td><td>{{severity}}</td><td class="num">{{cves}}</td><td class="num">{{cvss}}</td><td>{{exploited}}</td><td class="mono">{{kbs}}</td></tr>{{/hosts}}</tbody></table>
</section>{{/risks}}
<section id="kbs">
  <h2>Hotfixes checked</h2>
  {{^kbs}}<p class="none">No hotfix manifests in the database.</p>{{/kbs}}
  {{#kbs}}
  <article class="kb">
    <h3>{{kb}}{{#title}} <span class="title">{{.}}</span>{{/title}}</h3>
    <p class="facts">{{#prerequisite}}Requires {{.}} · {{/prerequisite}}{{rowCount}} file row(s)</p>
    {{#risk}}<p class="facts risk">Fixes {{count}} CVE(s) · highest severity <strong>{{severity}}</strong> · max CVSS {{cvss}}{{#exploited}} · <strong>exploited</strong>{{/exploited}}</p>
    <table class="grid cves"><thead><tr><th>CVE</th><th>Severity</th><th>CVSS</th><th>Title</th><th>Exploited</th></tr></thead>
    <tbody>{{#cves}}<tr><td class="mono">{{cve}}</td><td>{{severity}}</td><td class="num">{{cvss}}</td><td>{{title}}</td><td>{{exploited}}</td></tr>{{/cves}}</tbody></table>{{/risk}}
    {{#has_rows}}
    <table class="grid rows"><thead><tr><th>File</th><th>Version</th><th>Product</th><th>Platform</th><th>SP</th><th>Branch</th><th>Size</th><th>Date (UTC)</th></tr></thead>
    <tbody>{{#rows}}<tr><td>{{file}}</td><td class="mono">{{version}}</td><td>{{product}}</td><td>{{platform}}</td><td>{{servicePack}}</td><td>{{branch}}</td><td class="num">{{size}}</td><td>{{timestamp}}</td></tr>{{/rows}}</tbody></table>
    {{/has_rows}}
  </article>
  {{/kbs}}
</section>
<section id="hosts">
  <h2>Hosts</h2>
  <p class="hint">{{detailNote}}</p>
  <div class="filters" id="filters">
    <label>Search <input id="filter-text" type="search" placeholder="host, address, OS, version…" autocomplete="off"></label>
    <label>Verdict <select id="filter-verdict"><option value="">All</option><option value="noncompliant">Non-compliant</option>{{#verdictCards}}<option value="{{verdict}}">{{label}}</option>{{/verdictCards}}</select></label>
    <label>Hotfix <select id="filter-kb"><option value="">Any</option>{{#kbColumns}}<option value="{{.}}">{{.}}</option>{{/kbColumns}}</select></label>
    <label>Platform <select id="filter-platform"><option value="">Any</option></select></label>
    {{#changes}}<label><input id="filter-changed" type="checkbox"> Changed since the previous run</label>{{/changes}}
    <span class="shown">Showing <b id="host-count">{{hostCount}}</b> of {{hostCount}} hosts</span>
    <span id="script-status" class="status">script not run</span>
  </div>
  <noscript><p class="notice">The host table is drawn by the report's inline script: allow scripts for this file, or read the XML, JSON or CSV report, which carry every host.</p></noscript>
  <div class="vt" id="host-scroll">
  <table class="grid hosts" id="host-table">
    <thead><tr><th data-col="name" scope="col">Host</th><th data-col="address" scope="col">Address</th><th data-col="platform" scope="col">Platform</th><th data-col="sp" scope="col">SP</th>{{#kbColumns}}<th data-col="kb" scope="col">{{.}} <small>found / required</small></th>{{/kbColumns}}</tr></thead>
    <tbody id="host-rows"></tbody>
  </table>
  </div>
  {{#noHosts}}<p class="none">No hosts in the database.</p>{{/noHosts}}
</section>
<script type="application/json" id="report-meta">
"""#

    static let tail = #"""
<section id="verdicts">
  <h2>How verdicts are decided</h2>
  <dl class="verdicts">
  {{#verdictCards}}<dt><span class="badge v-{{verdict}}">{{label}}</span></dt><dd>{{meaning}}</dd>{{/verdictCards}}
  </dl>
  <h3>File evidence</h3>
  <ol class="rules">
    <li>Manifest rows apply by product and platform (x86, x64, IA-64) and, where a row names one, by service pack and branch; a later service pack uses the rows of the highest service pack below it. File names compare without regard to case; backup copies (<code>$NtUninstall…$</code>, <code>ServicePackFiles</code>, <code>dllcache</code>) are ignored.</li>
    <li>Host below the hotfix's prerequisite service pack → <em>prerequisite-missing</em>.</li>
    <li>No applicable file on the host → <em>not-applicable</em> (component not installed).</li>
    <li>Installed version lower than required, compared component by component as numbers (6.0.3790.999 &lt; 6.0.3790.2668) → <em>vulnerable</em>; when several copies are in use, the oldest decides.</li>
    <li>Installed version equal or higher → <em>patched</em> (a later service-pack build supersedes the hotfix).</li>
    <li>Product, architecture, service pack or a readable version missing → <em>unknown</em>, naming the missing fact.</li>
  </ol>
  <h3>Probe evidence and the combined verdict</h3>
  <p>The probe sends a message through the host's SMTP service to a responder that answers <code>DATA</code> with <code>354-</code> continuation lines, waits, then sends the final <code>354 </code> line. A fixed service waits for the final line; the unpatched service treats the first line as the whole reply.</p>
  <table class="grid combine"><thead><tr><th>File evidence</th><th>Probe fixed</th><th>Probe vulnerable</th><th>Probe inconclusive / not probed</th></tr></thead>
  <tbody>
    <tr><th>patched</th><td><span class="badge v-patched">patched</span> confirmed</td><td><span class="badge v-service-not-reloaded">service not reloaded</span> restart SMTP</td><td><span class="badge v-patched">patched</span></td></tr>
    <tr><th>vulnerable</th><td><span class="badge v-vulnerable">vulnerable</span> + anomaly <em>probe-contradicts-file</em></td><td><span class="badge v-vulnerable">vulnerable</span> confirmed</td><td><span class="badge v-vulnerable">vulnerable</span></td></tr>
    <tr><th>prerequisite-missing</th><td><span class="badge v-prerequisite-missing">prerequisite missing</span> + anomaly</td><td><span class="badge v-prerequisite-missing">prerequisite missing</span></td><td><span class="badge v-prerequisite-missing">prerequisite missing</span></td></tr>
    <tr><th>not-applicable / unknown</th><td>unchanged</td><td><span class="badge v-vulnerable">vulnerable</span></td><td>unchanged</td></tr>
  </tbody></table>
  <p>Anomalies are reported beside the verdict: <em>hotfix-recorded-file-older</em> (the KB is listed as installed but the file is older), <em>foreign-branch</em> (the file's branch tag names another service pack or branch), <em>probe-contradicts-file</em> (another MTA in front of the host?).</p>
</section>
<section id="inputs">
  <h2>Inputs</h2>
  {{^inputs}}<p class="none">No inputs recorded.</p>{{/inputs}}
  {{#has_inputs}}<table class="grid"><thead><tr><th>Kind</th><th>Path</th><th>SHA-256</th><th>Imported (UTC)</th></tr></thead><tbody>{{#inputs}}<tr><td>{{kind}}</td><td class="mono">{{path}}</td><td class="mono hash">{{sha256}}</td><td>{{importedAt}}</td></tr>{{/inputs}}</tbody></table>{{/has_inputs}}
</section>
</main>
<footer class="wrap foot">hotfix-audit {{toolVersion}} · report generated {{generatedAt}} · self-contained file, no external resources</footer>
<script>
"""# + script + #"""
</script>
</body>
</html>

"""#

    /// A donut of counts per verdict with its legend; `segments` carry precomputed dash geometry.
    static let donut = #"""
<svg class="donut" viewBox="0 0 380 180" width="380" height="180" role="img" aria-label="Results by verdict">
  <circle cx="90" cy="90" r="62" fill="none" stroke="#eef1f5" stroke-width="24"/>
  {{#segments}}<circle cx="90" cy="90" r="62" fill="none" stroke="{{color}}" stroke-width="24" stroke-dasharray="{{dash}}" stroke-dashoffset="{{offset}}" transform="rotate(-90 90 90)"><title>{{label}}: {{count}}</title></circle>{{/segments}}
  <text x="90" y="88" text-anchor="middle" class="{{numClass}}">{{total}}</text>
  <text x="90" y="108" text-anchor="middle" class="donut-label">results</text>
  {{#legend}}<rect x="180" y="{{y}}" width="12" height="12" rx="2" fill="{{color}}"/><text x="198" y="{{ty}}" class="legend">{{label}} · {{count}}</text>{{/legend}}
</svg>
"""#

    /// Horizontal stacked bars, one per row (platform or KB), segments per verdict.
    static let bars = #"""
<svg class="bars" viewBox="0 0 450 {{height}}" width="450" height="{{height}}" role="img" aria-label="{{title}}">
  {{#rows}}<text x="0" y="{{ty}}" class="bar-label">{{label}}</text><rect x="84" y="{{y}}" width="290" height="18" rx="3" fill="#eef1f5"/>{{#segments}}<rect x="{{x}}" y="{{y}}" width="{{w}}" height="18" fill="{{color}}"><title>{{label}}: {{count}}</title></rect>{{/segments}}<text x="382" y="{{ty}}" class="bar-total">{{total}}</text>{{/rows}}
  {{^rows}}<text x="0" y="20" class="bar-label">no results yet</text>{{/rows}}
  {{#legend}}<rect x="{{x}}" y="{{y}}" width="10" height="10" rx="2" fill="{{color}}"/><text x="{{tx}}" y="{{ty}}" class="legend small">{{label}}</text>{{/legend}}
</svg>
"""#
}

extension HTMLTemplates {
    /// Inline style sheet: screen and print. Verdict colours match ``VerdictStyle``.
    static let css = #"""
:root { --ink: #1d2733; --muted: #5b6876; --line: #dde3ea; --bg: #f5f7fa; --card: #fff; --accent: #1f4e79;
  --v-patched: #2e7d32; --v-vulnerable: #c62828; --v-snr: #d35400; --v-prereq: #6a1b9a; --v-unknown: #546e7a; --v-na: #8d99a6; --v-ar: #00838f; }
* { box-sizing: border-box; }
html { font: 15px/1.5 "Inter", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: var(--ink); background: var(--bg); }
body { margin: 0; }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 28px; }
code, .mono, pre { font-family: "JetBrains Mono", "DejaVu Sans Mono", Consolas, monospace; font-size: 0.86em; }
.masthead { background: linear-gradient(120deg, #16324f, #1f4e79 60%, #2b6a9e); color: #fff; padding: 26px 0 0; }
.masthead .brand { font-size: 12px; letter-spacing: .14em; text-transform: uppercase; opacity: .75; }
.masthead h1 { margin: 4px 0 6px; font-size: 28px; font-weight: 650; letter-spacing: -.01em; }
.masthead .meta { margin: 0 0 16px; opacity: .9; font-size: 13.5px; }
.masthead code { background: rgba(255,255,255,.14); padding: 1px 5px; border-radius: 3px; }
.toc { display: flex; gap: 2px; }
.toc a { color: #fff; text-decoration: none; padding: 8px 14px; font-size: 13.5px; border-radius: 6px 6px 0 0; opacity: .85; }
.toc a:hover { background: rgba(255,255,255,.12); opacity: 1; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 26px 24px; margin: 22px 0; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
h2 { font-size: 19px; margin: 0 0 14px; font-weight: 650; }
h3 { font-size: 16px; margin: 18px 0 6px; }
h4 { font-size: 14.5px; margin: 6px 0; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.notice { border-left: 5px solid #f0a500; background: #fffbea; }
.none, .hint, .muted { color: var(--muted); }
.hint { margin-top: -6px; font-size: 13.5px; }
.cards { display: grid; grid-template-columns: 2.2fr repeat(auto-fit, minmax(118px, 1fr)); gap: 12px; }
.cards.changes { grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); }
.card { border: 1px solid var(--line); border-radius: 9px; padding: 12px 14px; background: #fbfcfd; }
.card .label { font-size: 12.5px; color: var(--muted); display: flex; align-items: center; gap: 6px; }
.card .num { font-size: 26px; font-weight: 650; margin-top: 2px; }
.card .sub { font-size: 12px; color: var(--muted); }
.card.score .big { font-size: 44px; font-weight: 700; line-height: 1.1; }
.card.score .big span { font-size: 22px; margin-left: 2px; }
.card.score.good .big { color: var(--v-patched); } .card.score.fair .big { color: var(--v-snr); } .card.score.poor .big { color: var(--v-vulnerable); }
.meter { height: 8px; background: #e6eaef; border-radius: 4px; margin-top: 8px; overflow: hidden; }
.meter div { height: 100%; background: var(--v-patched); }
.dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; flex: none; }
.charts { display: grid; grid-template-columns: 360px 1fr 1fr; gap: 18px; margin-top: 18px; }
.chart { margin: 0; border: 1px solid var(--line); border-radius: 9px; padding: 12px 14px; overflow: hidden; }
.chart figcaption { font-weight: 600; font-size: 13.5px; margin-bottom: 8px; } .chart figcaption span { color: var(--muted); font-weight: 400; }
.chart svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; fill: var(--ink); }
.donut-num { font-size: 26px; font-weight: 700; } .donut-label { font-size: 12px; fill: var(--muted); }
.legend { font-size: 12.5px; } .legend.small { font-size: 11.5px; fill: var(--muted); }
.bar-label { font-size: 13px; } .bar-total { font-size: 13px; font-weight: 600; }
.axis { font-size: 11px; fill: var(--muted); } .mark { font-size: 11.5px; }
table.grid { border-collapse: collapse; width: 100%; font-size: 13.5px; }
.grid th, .grid td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
.grid thead th { background: #f0f3f7; font-weight: 600; font-size: 12.5px; color: #3a4756; position: sticky; top: 0; z-index: 1; }
.grid td.num { text-align: right; font-variant-numeric: tabular-nums; }
.grid caption { text-align: left; font-weight: 600; font-size: 12.5px; padding: 6px 0; color: var(--muted); }
.kb .title { font-weight: 400; color: var(--muted); } .kb .facts { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.filters { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; margin: 8px 0 12px; padding: 10px 12px; background: #f0f3f7; border-radius: 8px; font-size: 13.5px; }
.filters input, .filters select { font: inherit; padding: 5px 8px; border: 1px solid #c4cdd6; border-radius: 6px; margin-left: 6px; background: #fff; }
.filters input { width: 260px; }
.filters .shown { margin-left: auto; color: var(--muted); }
.status { font-size: 11px; color: var(--muted); } .status.error { color: var(--v-vulnerable); font-weight: 600; }
html:not(.js) .filters { display: none; }
.hosts tr.row:hover { background: #eef4fb; }
.hosts th.name { font-weight: 600; } .hosts th.name small { display: block; font-weight: 400; color: var(--muted); font-size: 11.5px; }
.hosts td small { display: block; color: var(--muted); font-size: 11.5px; margin-top: 2px; }
.hosts tr.row.bad th.name { box-shadow: inset 3px 0 0 var(--v-vulnerable); }
.hosts thead th.sortable { cursor: pointer; user-select: none; }
.hosts thead th.sortable::after { content: " ↕"; color: #9aa5b1; }
.hosts thead th[aria-sort=ascending]::after { content: " ↑"; color: var(--ink); }
.hosts thead th[aria-sort=descending]::after { content: " ↓"; color: var(--ink); }
.hosts thead th small { font-weight: 400; color: var(--muted); }
tr.evidence > td { background: #fcfdfe; padding: 0 10px 4px 22px; border-bottom: 1px solid var(--line); }
tr.row > * { border-bottom: none !important; }
tr.evidence.brief > td { font-size: 12.5px; color: var(--muted); padding-top: 2px; }
tr.evidence.brief .reason { margin-right: 12px; }
details > summary { cursor: pointer; color: var(--accent); font-size: 13px; padding: 4px 0; }
.ev { display: grid; grid-template-columns: 1fr 1fr; gap: 12px 22px; padding: 6px 0 10px; }
.ev > .facts { grid-column: 1 / -1; margin: 0; font-size: 13px; }
.result, .probe { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fff; min-width: 0; }
.reason { margin: 4px 0 8px; }
table.kv { border-collapse: collapse; font-size: 13px; margin-bottom: 6px; }
.grid .kv th, .grid .kv td { border-bottom: none; background: none; position: static; font-size: 13px; }
.kv th { text-align: left; font-weight: 500; color: var(--muted); padding: 2px 14px 2px 0; white-space: nowrap; vertical-align: top; }
.kv td { padding: 2px 0; word-break: break-all; }
.anomalies { margin: 6px 0; padding-left: 18px; font-size: 13px; color: #8a4b00; }
.tag { display: inline-block; font-size: 12px; padding: 0 7px; border-radius: 10px; background: #eef1f5; border: 1px solid var(--line); }
.badge { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 2px 9px; border-radius: 11px; color: #fff; white-space: nowrap; letter-spacing: .01em; }
.v-patched { background: var(--v-patched); } .v-vulnerable { background: var(--v-vulnerable); }
.v-service-not-reloaded { background: var(--v-snr); } .v-prerequisite-missing { background: var(--v-prereq); }
.v-unknown { background: var(--v-unknown); } .v-not-applicable { background: var(--v-na); } .v-accepted-risk { background: var(--v-ar); }
.charts.two { grid-template-columns: 440px 1fr; }
.change-regression .num, .tag.change-regression { color: var(--v-vulnerable); font-weight: 600; }
.change-newly-non-compliant .num, .tag.change-newly-non-compliant { color: #b23c17; }
.change-newly-compliant .num, .tag.change-newly-compliant { color: var(--v-patched); }
.tag.waiver-expired { color: var(--v-vulnerable); font-weight: 600; } .tag.waiver-unused { color: var(--v-snr); }
p.waiver { margin: 0 0 8px; padding: 4px 8px; border-left: 3px solid var(--v-ar); background: #eef8f9; font-size: 13px; }
p.waiver.expired { border-left-color: var(--v-vulnerable); background: #fdf0f0; }
.changelist { margin-top: 14px; } .changelist a { color: var(--accent); }
.vt.virtual { max-height: 76vh; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
.vt.virtual tr.row { height: 52px; } .vt.virtual tr.row > * { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 320px; }
tr.spacer td { padding: 0 !important; border: none !important; }
.hosts tr.row { cursor: pointer; } .hosts tr.row:focus { outline: 2px solid var(--accent); outline-offset: -2px; }
.hosts .toggle { display: inline-block; width: 1.1em; color: var(--muted); font-weight: 400; }
.p-fixed { background: var(--v-patched); } .p-vulnerable { background: var(--v-vulnerable); } .p-inconclusive { background: var(--v-unknown); }
pre { background: #0f1b27; color: #dbe6f0; padding: 10px 12px; border-radius: 6px; overflow: auto; max-height: 340px; white-space: pre-wrap; word-break: break-all; font-size: 12px; line-height: 1.45; }
.timeline { margin: 8px 0; } .timeline figcaption { font-size: 12.5px; font-weight: 600; color: var(--muted); }
.timeline svg { max-width: 100%; height: auto; } .timing { max-width: 520px; margin-top: 4px; }
.verdicts { display: grid; grid-template-columns: max-content 1fr; gap: 8px 16px; align-items: baseline; }
.verdicts dd { margin: 0; }
.rules li { margin-bottom: 4px; }
.combine th { white-space: nowrap; }
.hash { font-size: 11.5px; word-break: break-all; }
.foot { color: var(--muted); font-size: 12px; padding: 8px 28px 30px; }
@media (max-width: 1100px) { .cards { grid-template-columns: repeat(3, 1fr); } .card.score { grid-column: 1 / -1; } .charts { grid-template-columns: 1fr; } .ev { grid-template-columns: 1fr; } }
@media print {
  html { background: #fff; font-size: 11.5px; }
  .masthead { background: none; color: var(--ink); padding-top: 0; border-bottom: 2px solid var(--ink); }
  .toc, .filters, .hint, details > summary { display: none !important; }
  section { border: none; box-shadow: none; padding: 0; margin: 14px 0; }
  #hosts, #verdicts, #inputs { break-before: page; }
  .grid thead th { position: static; }
  tr.row, .result, .probe, .chart, .card { break-inside: avoid; }
  .vt.virtual { max-height: none; overflow: visible; border: none; }
  tr.spacer { display: none; }
  pre { background: #f4f6f8; color: var(--ink); max-height: none; border: 1px solid var(--line); }
  .badge, .meter div, .dot { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .charts { grid-template-columns: 1fr 1fr; }
}
"""#
}

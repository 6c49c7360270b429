/// The part of the inline script that builds one host's evidence when it is opened: the results
/// with their file evidence, waiver, anomalies and manifest rows, the greeting, and each probe
/// session with its DATA reply timeline and transcripts. DOM nodes and `textContent` only.
extension HTMLTemplates {
    static let evidenceScript = #"""
    var kv = function (rows) {
      var body = el('tbody');
      rows.forEach(function (row) { if (row) add(body, add(el('tr'), el('th', null, row[0]), typeof row[1] === 'object' ? add(el('td', row[2] || null), row[1]) : el('td', row[2] || null, row[1]))); });
      return add(el('table', 'kv'), body);
    };
    var timeline = function (lines) {
      if (!lines.length) return null;
      var ns = 'http://www.w3.org/2000/svg', max = 1, height = 66 + Math.min(lines.length, 4) * 16;
      lines.forEach(function (l) { max = Math.max(max, l[1]); });
      var svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', '0 0 620 ' + height); svg.setAttribute('width', '620'); svg.setAttribute('height', String(height));
      var shape = function (tag, attrs, content) {
        var e = document.createElementNS(ns, tag);
        for (var a in attrs) e.setAttribute(a, attrs[a]);
        if (content) e.textContent = content;
        svg.appendChild(e);
      };
      shape('line', { x1: 20, y1: 30, x2: 600, y2: 30, stroke: '#9aa5b1', 'stroke-width': 1.5 });
      shape('text', { x: 20, y: 50, 'class': 'axis' }, '0 ms (DATA)');
      shape('text', { x: 600, y: 50, 'text-anchor': 'end', 'class': 'axis' }, max + ' ms');
      var table = add(el('table', 'grid timing'), add(el('thead'), add(el('tr'), el('th', null, 'Reply line'), el('th', null, 'Sent after DATA'))));
      var body = add(table, el('tbody'));
      lines.forEach(function (l, index) {
        var x = 20 + 580 * Math.max(0, l[1]) / max, last = l[0].indexOf('354-') !== 0;
        shape('line', { x1: x, y1: 22, x2: x, y2: 38, stroke: last ? '#2e7d32' : '#d35400', 'stroke-width': 3 });
        shape('text', { x: x, y: 66 + (index % 4) * 16, 'text-anchor': x < 120 ? 'start' : (x > 500 ? 'end' : 'middle'), 'class': 'mark' },
              (l[0].length > 28 ? l[0].slice(0, 27) + '…' : l[0]) + ' · ' + l[1] + ' ms');
        add(body, add(el('tr'), el('td', 'mono', l[0]), el('td', 'num', l[1] + ' ms')));
      });
      return add(el('figure', 'timeline'), el('figcaption', null, 'DATA reply timing'), svg, table);
    };
    var transcript = function (label, content, open) {
      if (!content) return null;
      var d = add(el('details', 'transcript'), el('summary', null, label), el('pre', null, content));
      d.open = !!open;
      return d;
    };

    var evidenceEl = function (i) {
      var h = hosts[i], box = el('div', 'ev'), facts = el('p', 'facts');
      if (str(h[5])) add(facts, el('b', null, 'Product'), document.createTextNode(' ' + str(h[5]) + ' · '));
      if (h[7].length) {
        facts.appendChild(el('b', null, 'Sources'));
        h[7].forEach(function (s) { add(facts, document.createTextNode(' '), el('code', null, str(s))); });
        facts.appendChild(document.createTextNode(' · '));
      }
      if (str(h[6])) add(facts, el('b', null, 'Last seen'), document.createTextNode(' ' + str(h[6])));
      box.appendChild(facts);
      if (h[11]) {
        var ch = el('p', 'facts changes');
        ch.appendChild(el('b', null, 'Since the previous run '));
        h[11].forEach(function (c) {
          add(ch, el('span', 'tag change-' + KC[c[1]][0], KC[c[1]][1] + ' ' + (K[c[0]] || '') + (c[2] >= 0 ? ' (was ' + V[c[2]][1].toLowerCase() + ')' : '')), document.createTextNode(' '));
        });
        box.appendChild(ch);
      }
      h[8].forEach(function (r) {
        var e = evOf(r) || {}, result = el('div', 'result');
        add(result, add(el('h4'), badge(r[1]), document.createTextNode(' ' + (K[r[0]] || ''))), el('p', 'reason', e.r));
        if (r[7]) {
          var w = r[7], note = el('p', 'waiver ' + w[0]);
          note.textContent = (w[0] === 'expired' ? 'Waiver expired on ' + w[2] + ': no longer accepted. ' : 'Accepted risk until ' + w[2] + '. ')
            + 'Owner ' + w[1] + ' — ' + w[3] + ' (' + w[4] + ')';
          result.appendChild(note);
        }
        var file = add(el('span'), el('span', 'tag', FV[r[3]] || ''));
        if (e.f) add(file, document.createTextNode(' '), el('code', null, e.f));
        var probe = add(el('span'), el('span', 'tag', r[4] || 'not probed'));
        if (r[5]) add(probe, document.createTextNode(' '), add(el('small', null, 'check '), el('code', null, r[5])));
        result.appendChild(kv([['File evidence', file], ['Required / found', (e.q || '–') + ' / ' + (e.v || 'not found'), 'mono'],
                               e.p ? ['Path', e.p, 'mono'] : null, ['Probe', probe],
                               r[6] ? ['Running version', r[6] + ' (SMTP greeting)', 'mono'] : null]));
        if (e.a) {
          var list = el('ul', 'anomalies');
          e.a.forEach(function (a) { add(list, add(el('li'), el('b', null, a[0]), document.createTextNode(' ' + a[1]))); });
          result.appendChild(list);
        }
        if (e.rows) {
          var rows = add(el('table', 'grid rows'), el('caption', null, 'Manifest rows that apply'),
                         add(el('thead'), add.apply(null, [el('tr')].concat(['File', 'Version', 'Platform', 'SP', 'Branch', 'Line'].map(function (t) { return el('th', null, t); })))));
          var body = add(rows, el('tbody'));
          e.rows.forEach(function (row) {
            add(body, add(el('tr'), el('td', null, row[0]), el('td', 'mono', row[1]), el('td', null, row[2]), el('td', null, row[3]), el('td', null, row[4]), el('td', 'num', row[5])));
          });
          result.appendChild(rows);
        }
        box.appendChild(result);
      });
      if (h[10]) {
        var g = add(el('p', 'reason'), document.createTextNode('SMTP greeting (' + h[10][1] + '): '), el('code', null, h[10][0]),
                    document.createTextNode(' — running version '), el('b', null, h[10][2]));
        box.appendChild(g);
      }
      (h[9] || []).forEach(function (p) {
        var probe = add(el('div', 'probe'),
                        add(el('h4'), el('span', 'badge p-' + p.oc, p.o), document.createTextNode(' Probe '), el('code', null, p.pr), el('small', null, 'campaign ' + p.cp)),
                        el('p', 'reason', p.n),
                        kv([['Peer', p.peer, 'mono'], ['Token', p.tok, 'mono'], ['Bytes before final 354', p.pb], ['Body intact', p["in"] ? 'yes' : 'no'],
                            ['Ended by', p.eb], ['Deliveries', p.d]]),
                        timeline(p.tl), transcript('Responder transcript', p.tr, true), transcript('Trigger transcript', p.tt, false));
        box.appendChild(probe);
      });
      var td = add(el('td'), box);
      td.colSpan = columns;
      return add(el('tr', 'evidence'), td);
    };

"""#
}

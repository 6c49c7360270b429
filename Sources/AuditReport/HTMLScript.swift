/// The HTML report's one inline script: reads the embedded data set (``HTMLDataSet``) and draws the
/// host table — all rows for small fleets, only the rows in view (virtualised) for big ones — with
/// search, filters by verdict, hotfix, platform and change, sorting on every column, and each
/// host's evidence built when it is opened. It writes data only with `textContent` and reports its
/// state in `#script-status`.
extension HTMLTemplates {
    static let script = #"""
(function () {
  var status = document.getElementById('script-status');
  try {
    document.documentElement.className += ' js';
    var load = function (id) { return JSON.parse(document.getElementById(id).textContent); };
    var meta = load('report-meta'), hosts = load('host-data'), shared = load('shared-data');
    var S = shared.S, E = shared.E, V = meta.verdicts, K = meta.kbs, KC = meta.changes, FV = meta.fileVerdicts;
    var N = hosts.length, NK = Math.max(K.length, 1), SMALL = 300, virtual = N > SMALL;
    var str = function (v) { return typeof v === 'number' ? S[v] : v; };
    var evOf = function (r) { return typeof r[2] === 'number' ? E[r[2]] : r[2]; };
    var el = function (tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined && text !== null) e.textContent = String(text);
      return e;
    };
    var add = function (parent) { for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]); return parent; };
    var badge = function (v) { return el('span', 'badge v-' + V[v][0], V[v][1]); };

    var matrix = new Uint8Array(N * NK).fill(255), compliant = new Uint8Array(N), changed = new Uint8Array(N);
    var platforms = {};
    for (var i = 0; i < N; i++) {
      var h = hosts[i], ok = 1;
      for (var j = 0; j < h[8].length; j++) {
        var r = h[8][j];
        if (r[0] >= 0) matrix[i * NK + r[0]] = r[1];
        if (!V[r[1]][3]) ok = 0;
      }
      compliant[i] = ok;
      changed[i] = h[11] ? 1 : 0;
      platforms[str(h[2]) || '?'] = true;
    }
    var text = document.getElementById('filter-text'), verdict = document.getElementById('filter-verdict');
    var kbSelect = document.getElementById('filter-kb'), platform = document.getElementById('filter-platform');
    var changedBox = document.getElementById('filter-changed'), count = document.getElementById('host-count');
    Object.keys(platforms).sort().forEach(function (p) { var o = el('option', null, p); o.value = p; platform.appendChild(o); });

    var hay = null;
    var haystack = function () {
      if (hay) return hay;
      hay = new Array(N);
      for (var i = 0; i < N; i++) {
        var h = hosts[i], parts = [h[0], h[1] || '', str(h[2]) || '', str(h[3]) || '', str(h[4]) || '', str(h[5]) || ''];
        for (var j = 0; j < h[8].length; j++) {
          var r = h[8][j], e = evOf(r);
          parts.push(K[r[0]] || '', V[r[1]][0]);
          if (e && e.c) parts.push(e.c);
          if (r[7]) parts.push(r[7][1]);
        }
        hay[i] = parts.join(' ').toLowerCase();
      }
      return hay;
    };

    var order = new Int32Array(N), view = new Int32Array(N), shown = 0, posOf = new Int32Array(N);
    for (var o = 0; o < N; o++) order[o] = o;
    var apply = function () {
      var q = text.value.trim().toLowerCase(), v = verdict.value, k = kbSelect.value, p = platform.value;
      var onlyChanged = changedBox && changedBox.checked, kc = k ? K.indexOf(k) : -1, vi = -1;
      for (var x = 0; x < V.length; x++) if (V[x][0] === v) vi = x;
      var terms = q ? q.split(/\s+/) : [], H = terms.length ? haystack() : null;
      shown = 0;
      posOf.fill(-1);
      for (var n = 0; n < N; n++) {
        var i = order[n];
        if (onlyChanged && !changed[i]) continue;
        if (p && (str(hosts[i][2]) || '?') !== p) continue;
        if (kc >= 0) {
          var c = matrix[i * NK + kc];
          if (c === 255 || (vi >= 0 && c !== vi) || (v === 'noncompliant' && V[c][3])) continue;
        } else if (vi >= 0) {
          var found = false;
          for (var col = 0; col < NK; col++) if (matrix[i * NK + col] === vi) { found = true; break; }
          if (!found) continue;
        } else if (v === 'noncompliant' && compliant[i]) continue;
        if (H) {
          var all = true;
          for (var t = 0; t < terms.length; t++) if (H[i].indexOf(terms[t]) < 0) { all = false; break; }
          if (!all) continue;
        }
        posOf[i] = shown;
        view[shown++] = i;
      }
      count.textContent = String(shown);
      scroll.scrollTop = 0;
      render();
    };

    var table = document.getElementById('host-table'), tbody = document.getElementById('host-rows');
    var scroll = document.getElementById('host-scroll'), columns = 4 + K.length;
    if (virtual) scroll.className += ' virtual';
    var expanded = {}, heights = {}, rowH = 0;

    var rowEl = function (i) {
      var h = hosts[i], tr = el('tr', 'row ' + (compliant[i] ? 'ok' : 'bad'));
      tr.tabIndex = 0;
      tr.setAttribute('aria-expanded', expanded[i] ? 'true' : 'false');
      var name = add(el('th', 'name'), el('span', 'toggle', expanded[i] ? '▾' : '▸'), document.createTextNode(h[0]));
      name.scope = 'row';
      if (str(h[4])) name.appendChild(el('small', null, str(h[4])));
      add(tr, name, el('td', 'mono', h[1] || ''), el('td', null, str(h[2]) || '?'), el('td', null, str(h[3]) || '?'));
      var cells = [];
      for (var j = 0; j < h[8].length; j++) cells[h[8][j][0]] = h[8][j];
      for (var c = 0; c < K.length; c++) {
        var td = el('td'), r = cells[c];
        if (r) {
          td.appendChild(badge(r[1]));
          var e = evOf(r);
          if (e && e.c) td.appendChild(el('small', 'mono', e.c));
        } else td.appendChild(el('span', 'muted', '–'));
        tr.appendChild(td);
      }
      var toggle = function () { expanded[i] = !expanded[i]; render(); };
      tr.addEventListener('click', toggle);
      tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); } });
      return tr;
    };

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

    var spacer = function (height) {
      var td = el('td');
      td.colSpan = columns;
      td.style.height = height + 'px';
      return add(el('tr', 'spacer'), td);
    };
    var extras = function () {
      var list = [];
      for (var key in expanded) if (expanded[key] && posOf[key] >= 0) list.push([posOf[key], heights[key] || 200]);
      return list.sort(function (a, b) { return a[0] - b[0]; });
    };
    var topOf = function (pos, list) {
      var y = pos * rowH;
      for (var k = 0; k < list.length && list[k][0] < pos; k++) y += list[k][1];
      return y;
    };
    var render = function () {
      tbody.textContent = '';
      var fragment = document.createDocumentFragment(), drawn = [];
      var put = function (pos) {
        var i = view[pos];
        fragment.appendChild(rowEl(i));
        if (expanded[i]) { var ev = evidenceEl(i); fragment.appendChild(ev); drawn.push([i, ev]); }
      };
      if (!virtual) {
        for (var pos = 0; pos < shown; pos++) put(pos);
        tbody.appendChild(fragment);
        return;
      }
      if (!rowH && shown) {
        var probe = rowEl(view[0]);
        tbody.appendChild(probe);
        rowH = probe.getBoundingClientRect().height || 50;
        tbody.textContent = '';
      }
      var list = extras(), top = scroll.scrollTop, bottom = top + Math.max(scroll.clientHeight, window.innerHeight || 900) + 4 * rowH;
      var start = 0, acc = 0, k = 0;
      for (; k < list.length; k++) {
        var rowTop = list[k][0] * rowH + acc;
        if (top < rowTop + rowH + list[k][1]) break;
        acc += list[k][1];
      }
      start = Math.max(0, Math.min(shown - 1, Math.floor((top - acc) / rowH) - 2));
      if (k < list.length && list[k][0] < start) start = list[k][0];
      var end = start, y = topOf(start, list);
      fragment.appendChild(spacer(y));
      while (end < shown && y < bottom) {
        put(end);
        y += rowH + (expanded[view[end]] ? (heights[view[end]] || 200) : 0);
        end++;
      }
      var total = topOf(shown, list);
      fragment.appendChild(spacer(Math.max(0, total - y)));
      tbody.appendChild(fragment);
      var again = false;
      drawn.forEach(function (pair) {
        var height = pair[1].getBoundingClientRect().height;
        if (Math.abs((heights[pair[0]] || 200) - height) > 1) { heights[pair[0]] = height; again = true; }
      });
      if (again) render();
    };
    var pending = false;
    scroll.addEventListener('scroll', function () {
      if (!virtual || pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; render(); });
    });

    var timer = null;
    text.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
    [verdict, kbSelect, platform, changedBox].forEach(function (control) { if (control) control.addEventListener('change', apply); });
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      th.tabIndex = 0;
      th.classList.add('sortable');
      var sort = function () {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var keys = new Array(N);
        for (var i = 0; i < N; i++) {
          var h = hosts[i];
          keys[i] = index === 0 ? h[0].toLowerCase() : index === 1 ? (h[1] || '') : index === 2 ? (str(h[2]) || '?') : index === 3 ? (str(h[3]) || '?') : matrix[i * NK + index - 4];
        }
        var list = Array.prototype.slice.call(order);
        list.sort(function (a, b) { return keys[a] < keys[b] ? -dir : (keys[a] > keys[b] ? dir : a - b); });
        order.set(list);
        apply();
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
    Array.prototype.forEach.call(document.querySelectorAll('a.host-link'), function (link) {
      link.addEventListener('click', function () {
        verdict.value = ''; kbSelect.value = ''; platform.value = '';
        if (changedBox) changedBox.checked = false;
        text.value = link.getAttribute('data-host');
        apply();
        for (var n = 0; n < shown; n++) if (hosts[view[n]][0] === text.value) { expanded[view[n]] = true; render(); break; }
      });
    });
    var opened = null;
    window.addEventListener('beforeprint', function () {
      if (virtual) return;
      opened = expanded;
      expanded = {};
      for (var n = 0; n < shown; n++) expanded[view[n]] = true;
      render();
      Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { if (!d.open) { d.open = true; d.setAttribute('data-closed', ''); } });
    });
    window.addEventListener('afterprint', function () {
      Array.prototype.forEach.call(document.querySelectorAll('details[data-closed]'), function (d) { d.open = false; d.removeAttribute('data-closed'); });
      if (opened) { expanded = opened; opened = null; render(); }
    });
    // A link may carry the view: #q=TEXT&verdict=V&kb=KB&platform=P&changed=1&sort=COLUMN&open=1.
    var params = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
      var at = pair.indexOf('=');
      if (at > 0) params[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1).replace(/[+]/g, ' '));
    });
    if (params.q) text.value = params.q;
    if (params.verdict) verdict.value = params.verdict;
    if (params.kb) kbSelect.value = params.kb;
    if (params.platform) platform.value = params.platform;
    if (params.changed && changedBox) changedBox.checked = true;
    if (params.sort && headers[Number(params.sort)]) headers[Number(params.sort)].click(); else apply();
    if (params.open && shown) { expanded[view[0]] = true; render(); }
    status.textContent = 'ok';
  } catch (e) {
    status.textContent = 'error: ' + (e && e.message ? e.message : String(e));
    status.className = 'status error';
  }
})();
"""#
}

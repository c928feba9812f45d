/* global window, document, URLSearchParams */
// 清河区人民政府 (a mock portal): the pages that show one programme's rooms, posters, reports and
// records read what to show from their address (?programme=&room=&topic=&round=&period=&source=).
//
// Each value is checked against the pattern of its kind (a programme id, a room or topic id, a
// round number, a period key, a source) and dropped when it does not match; nothing from the
// address is ever written as HTML. Elements ask for values by attributes:
// - data-set="programme room topic:topic-id" sets each named attribute (key:attribute renames);
// - data-fill="href config" fills each named attribute from its template in data-<name>
//   (`/rooms?programme={programme}&room={room}`), URL-encoding every value; a placeholder whose
//   value is missing stays as it is (an element such as <consult-room> fills `{room}` itself);
// - data-needs="room" hides the element unless the address has a room, data-unless="room" the
//   other way round.
// - the resident's <consult-workflow config="/api/programmes/…/config"> (the embed snippet, left as
//   docs/embedding.md shows it) takes the address's programme, room and source, so a scanned room
//   poster (码上议) opens that room's intake form; the staff desk's data-config its programme.
// Loaded with `defer` in <head>: it runs once the page is parsed and before the embed's module
// script (deferred scripts run in order), so the elements start with the right attributes.
(function () {
  'use strict';
  var DEFAULT_PROGRAMME = 'guangshui-xieshang-yixian';
  var ID = /^[A-Za-z0-9._:-]{1,128}$/;
  var PATTERNS = {
    programme: /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
    room: ID,
    topic: ID,
    round: /^[1-9][0-9]{0,2}$/,
    period: /^[0-9]{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?$/,
    source: /^(?:resident|member|government|grid)$/,
  };

  function read() {
    var query = new URLSearchParams(window.location.search);
    var values = {};
    Object.keys(PATTERNS).forEach(function (key) {
      var value = query.get(key);
      if (value !== null && PATTERNS[key].test(value)) values[key] = value;
    });
    given = values.programme !== undefined;
    if (!given) values.programme = DEFAULT_PROGRAMME;
    return values;
  }

  var given = false;
  var values = read();

  function fill(template) {
    return template.replace(/\{(programme|room|topic|round|period|source)\}/g, function (whole, key) {
      return values[key] === undefined ? whole : encodeURIComponent(values[key]);
    });
  }

  function words(el, name) {
    return (el.getAttribute(name) || '').split(/\s+/).filter(Boolean);
  }

  function apply() {
    document.querySelectorAll('[data-set]').forEach(function (el) {
      words(el, 'data-set').forEach(function (pair) {
        var parts = pair.split(':');
        var value = values[parts[0]];
        if (value !== undefined) el.setAttribute(parts[1] || parts[0], value);
      });
    });
    document.querySelectorAll('[data-fill]').forEach(function (el) {
      words(el, 'data-fill').forEach(function (name) {
        var template = el.getAttribute('data-' + name);
        if (template !== null) el.setAttribute(name, fill(template));
      });
    });
    document.querySelectorAll('[data-needs]').forEach(function (el) {
      el.hidden = !words(el, 'data-needs').every(function (key) { return values[key] !== undefined; });
    });
    document.querySelectorAll('[data-unless]').forEach(function (el) {
      el.hidden = words(el, 'data-unless').some(function (key) { return values[key] !== undefined; });
    });
    var config = '/api/programmes/' + encodeURIComponent(values.programme) + '/config';
    document.querySelectorAll('consult-workflow[config^="/api/programmes/"]').forEach(function (el) {
      if (given) el.setAttribute('config', config);
      if (values.room !== undefined) el.setAttribute('room', values.room);
      if (values.source !== undefined) el.setAttribute('source', values.source);
    });
    document.querySelectorAll('consult-workflow[data-config^="/api/programmes/"]').forEach(function (el) {
      if (given) el.setAttribute('data-config', config);
    });
    document.querySelectorAll('[data-programme-link]').forEach(function (el) {
      if (el.getAttribute('data-programme-link') === values.programme) el.setAttribute('aria-current', 'page');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', apply);
  else apply();
})();

/* global window, document, URLSearchParams */
// 清河区人民政府 (a mock portal): the language switch, shared by every page.
//
// Loaded as a classic script in <head> so that the language is set before the page is drawn:
// `?lang=en` (or `?lang=zh-CN`) wins, then the visitor's last choice, then zh-CN. It sets `lang`
// on <html> (portal.css shows the strings of that language) and on every consult-kit element
// (they re-render in it). No inline script, no HTML strings: the portal runs under a strict
// Content-Security-Policy with Trusted Types.
(function () {
  'use strict';
  var LANGS = ['zh-CN', 'en'];
  var KEY = 'qinghe-portal-lang';
  var TITLES = { 'zh-CN': 'data-title-zh', en: 'data-title-en' };

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch {
      return null; // storage blocked: the default it is
    }
  }

  function remember(lang) {
    try {
      window.localStorage.setItem(KEY, lang);
    } catch {
      /* storage blocked: the choice lasts for this page only */
    }
  }

  function initial() {
    var fromUrl = new URLSearchParams(window.location.search).get('lang');
    if (LANGS.indexOf(fromUrl) >= 0) return fromUrl;
    var last = stored();
    return LANGS.indexOf(last) >= 0 ? last : 'zh-CN';
  }

  /** Sets the page's language everywhere it shows. */
  function apply(lang) {
    document.documentElement.lang = lang;
    if (!document.body) return;
    var title = document.body.getAttribute(TITLES[lang]);
    if (title) document.title = title;
    var embedded = document.querySelectorAll('consult-workflow, consult-topic-form, consult-star-rating, consult-outcome-tracker, consult-programme-figures, consult-outcomes-board, consult-my-topics, consult-overdue-list, consult-room, consult-room-poster, consult-room-report, consult-meeting-record, consult-topic-dossier, consult-performance-file, consult-report-exports, consult-trend-chart');
    for (var i = 0; i < embedded.length; i += 1) embedded[i].setAttribute('lang', lang);
    var switches = document.querySelectorAll('.lang-switch');
    for (var j = 0; j < switches.length; j += 1) switches[j].setAttribute('data-current', lang);
    var today = document.querySelectorAll('[data-today]');
    var text = new Intl.DateTimeFormat(lang, { dateStyle: 'full' }).format(new Date());
    for (var k = 0; k < today.length; k += 1) today[k].textContent = text;
  }

  var lang = initial();
  document.documentElement.lang = lang;

  document.addEventListener('DOMContentLoaded', function () {
    apply(lang);
    var switches = document.querySelectorAll('.lang-switch');
    for (var i = 0; i < switches.length; i += 1) {
      switches[i].addEventListener('click', function () {
        lang = lang === 'en' ? 'zh-CN' : 'en';
        remember(lang);
        apply(lang);
      });
    }
  });
})();

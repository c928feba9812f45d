// Added to every page of the load section (bench/load.mjs) as an init script, before any of the
/* global window, document, performance, MutationObserver, Element, setInterval, clearInterval */
// page's own scripts: it notes the first moment the page's first view is interactive, as
// window.__loadInteractive = { at, wall } (ms since navigation start; the same moment in epoch ms,
// to compare with the network log's wallTime). `window.__loadMode` says what "interactive" is:
//   portal-form  the resident page: in <consult-workflow>'s shadow root, a <consult-topic-form>
//                whose shadow root has its first input, textarea or select, not disabled
//   topic-form   our form page: the same, for a <consult-topic-form> in the document
//   first-input  SurveyJS / Form.io: the first input (not hidden), textarea or select in #app, not disabled
//   staff        the staff page: <consult-workflow> signed in (its identity line), its menu, and the
//                first view (the topic list: its heading, and the list or the empty message)
//   board        the outcomes board: the server's page shown (its "updated" line) or a failure notice
// Checked on every DOM mutation (the document and every shadow root, attributes included, as
// `disabled` can change) and every 50 ms as a fallback.
(function () {
  var mode = window.__loadMode;
  var observer;
  var timer;
  function enabled(el) {
    return Boolean(el) && !el.matches(':disabled');
  }
  function firstControl(root) {
    return root ? root.querySelector('input:not([type=hidden]), textarea, select') : null;
  }
  function formIn(root) {
    var form = root && root.querySelector('consult-topic-form');
    return form && form.shadowRoot ? enabled(firstControl(form.shadowRoot)) : false;
  }
  function ready() {
    if (mode === 'topic-form') return formIn(document);
    if (mode === 'first-input') return enabled(firstControl(document.getElementById('app')));
    var workflow = document.querySelector('consult-workflow');
    var shadow = workflow && workflow.shadowRoot;
    if (mode === 'portal-form') return formIn(shadow);
    if (mode === 'staff') {
      if (!shadow || !shadow.querySelector('.identity') || !shadow.querySelector('nav button')) return false;
      var view = shadow.querySelector('nav ~ section');
      if (!view || !view.querySelector('h2')) return false;
      return view.classList.contains('indexed') ? Boolean(view.querySelector('ul.topics, [part~=problem]')) : true;
    }
    if (mode === 'board') {
      var board = document.querySelector('consult-outcomes-board');
      var root = board && board.shadowRoot;
      return Boolean(root && root.querySelector('.source, [part~=notice]'));
    }
    return false;
  }
  function check() {
    if (window.__loadInteractive || !ready()) return;
    var at = performance.now();
    window.__loadInteractive = { at: at, wall: performance.timeOrigin + at, mode: mode };
    observer.disconnect();
    clearInterval(timer);
  }
  observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  var attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    var root = attach.call(this, init);
    if (!window.__loadInteractive) observer.observe(root, { childList: true, subtree: true, attributes: true });
    return root;
  };
  timer = setInterval(check, 50);
})();

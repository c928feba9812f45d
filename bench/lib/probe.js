// Inlined at the very top of each "form in DOM" page, before any library script: it notes the
/* global window, document, performance, MutationObserver, Element */
// start, then watches the document and every shadow root attached afterwards, and notes the first
// moment every expected field has a form control in the DOM. The same probe for all three
// libraries; only `keyOf` (which field a control belongs to) differs, as each names them its way.
(function () {
  var t0 = performance.now();
  var expected = window.__benchFields;
  var lib = window.__benchLib;
  var roots = [document];
  var done = false;
  var checks = 0;
  function keyOf(control) {
    if (lib === 'ours') {
      var root = control.getRootNode();
      if (root.host && root.host.localName === 'consult-star-rating') return root.host.getAttribute('name');
      return control.name;
    }
    if (lib === 'surveyjs') {
      var q = control.closest('[data-name]');
      return q ? q.getAttribute('data-name') : '';
    }
    var m = /^data\[([^\]]+)\]/.exec(control.name || '');
    return m ? m[1] : '';
  }
  function check() {
    if (done) return;
    checks += 1;
    var seen = new Set();
    for (var i = 0; i < roots.length; i += 1) {
      var controls = roots[i].querySelectorAll('input, select, textarea');
      for (var j = 0; j < controls.length; j += 1) {
        if (controls[j].type === 'hidden') continue;
        var key = keyOf(controls[j]);
        if (key) seen.add(key);
      }
    }
    window.__benchSeen = seen.size;
    for (var k = 0; k < expected.length; k += 1) if (!seen.has(expected[k])) return;
    done = true;
    window.__benchDone = performance.now() - t0;
    window.__benchChecks = checks;
    observer.disconnect();
  }
  var observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  var attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    var root = attach.call(this, init);
    roots.push(root);
    observer.observe(root, { childList: true, subtree: true });
    return root;
  };
})();

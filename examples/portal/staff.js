/* global document, sessionStorage, location, URLSearchParams */
// 清河区人民政府 (a mock portal): the staff desk behind <consult-sign-in>.
//
// <consult-sign-in> signs the member of staff in — through the city's OpenID Connect provider
// when the server offers one (`--oidc-issuer` …), with a demo token when it has a token table
// (`npm start`) — and checks the token with the server (`GET /api/me`) before it says "signed
// in". This page then hands <consult-workflow> the token callback, the person's id and the
// role /me names (a choice when the token holds several staff roles), and only then the config,
// so nothing is fetched without a token. When the server answers an action with 401
// (`consult-sign-in-required`: the token expired or was revoked), the desk asks to sign in again;
// unsent actions wait in the workflow's outbox and go once the person is back.
//
// A portal with its own single sign-on sets `signIn.token = () => currentAccessToken()` instead,
// and gets the same check and the same `consult-signed-in` event.
const STAFF_ROLES = ['convener', 'department', 'admin'];
const ROLE_LABELS = {
  convener: { 'zh-CN': '召集人', en: 'Convener' },
  department: { 'zh-CN': '承办部门', en: 'Department' },
  admin: { 'zh-CN': '管理员', en: 'Administrator' },
};
const ROLE_KEY = 'qinghe-staff-role';

const view = document.querySelector('consult-workflow.staff-view');
// The supervisor's list (督办, issue 17): every overdue measure, counted by the server's clock.
const overdue = document.querySelector('consult-overdue-list.staff-overdue-list');
const signIn = document.querySelector('consult-sign-in.staff-sign-in');
const roleChoice = document.querySelector('.role-choice');
const roleSelect = document.querySelector('#staff-role');
// Issue 20: the council members' performance files (a member sees their own, an admin all), the
// exports, and the printable record and dossier of the topic opened in the desk.
const performance = document.querySelector('consult-performance-file.staff-performance-file');
const exportsView = document.querySelector('consult-report-exports.staff-report-exports');
const recordLink = document.querySelector('a.staff-record-link');
const dossierLink = document.querySelector('a.staff-dossier-link');
const PROGRAMME = new URLSearchParams(location.search).get('programme') ?? overdue.getAttribute('programme');

/** Points the record and dossier links at a topic (ids are URL-encoded, never written as HTML). */
function linkTopic(topicId) {
  const query = `programme=${encodeURIComponent(PROGRAMME)}&topic=${encodeURIComponent(topicId)}`;
  recordLink.href = `/record?${query}`;
  dossierLink.href = `/dossier?${query}`;
  recordLink.hidden = false;
  dossierLink.hidden = false;
}

function keptRole() {
  try {
    return sessionStorage.getItem(ROLE_KEY);
  } catch {
    return null;
  }
}

function keepRole(role) {
  try {
    if (role) sessionStorage.setItem(ROLE_KEY, role);
    else sessionStorage.removeItem(ROLE_KEY);
  } catch {
    /* storage blocked: the first role it is, after a reload */
  }
}

/** One option per staff role, its label in both languages (portal.css shows the page's). */
function offerRoles(roles, chosen) {
  roleSelect.replaceChildren(
    ...roles.map((role) => {
      const option = document.createElement('option');
      option.value = role;
      const label = ROLE_LABELS[role] ?? { 'zh-CN': role, en: role };
      option.textContent = `${label['zh-CN']} · ${label.en}`;
      option.selected = role === chosen;
      return option;
    }),
  );
  roleChoice.hidden = roles.length < 2;
}

function work(role) {
  view.setAttribute('user-role', role);
  keepRole(role);
}

roleSelect.addEventListener('change', () => work(roleSelect.value));

signIn.addEventListener('consult-signed-in', (event) => {
  const { token, me } = event.detail;
  const roles = me.roles.filter((role) => STAFF_ROLES.includes(role));
  if (roles.length === 0) {
    // A resident's account, or one whose staff roles were taken away: no desk. A council member
    // sees their own performance file (the server answers only theirs).
    document.body.classList.remove('signed-in');
    const member = me.roles.includes('member');
    document.body.classList.toggle('signed-in-member', member);
    performance.token = member ? token : undefined;
    if (member) performance.setAttribute('person', me.id);
    return;
  }
  document.body.classList.remove('signed-in-member');
  performance.removeAttribute('person');
  performance.token = token;
  exportsView.token = token;
  const kept = keptRole();
  const role = roles.includes(kept) ? kept : roles[0];
  offerRoles(roles, role);
  view.token = token;
  overdue.token = token;
  view.setAttribute('user-id', me.id);
  work(role);
  document.body.classList.add('signed-in');
  if (!view.getAttribute('config')) {
    view.setAttribute('config', view.dataset.config ?? '');
  } else {
    // Signed in again (after a 401, or as someone else): the desk asks /me again and sends
    // what waited in its outbox meanwhile.
    void view.checkSignIn();
  }
});

signIn.addEventListener('consult-signed-out', (event) => {
  document.body.classList.remove('signed-in', 'signed-in-member');
  overdue.token = undefined;
  performance.token = undefined;
  exportsView.token = undefined;
  roleChoice.hidden = true;
  if (event.detail.reason === 'user') keepRole(undefined);
});

// The server refused the token of an action (expired, revoked, the provider's keys changed):
// sign in again. The workflow keeps its outbox meanwhile.
view.addEventListener('consult-sign-in-required', (event) => {
  signIn.requireSignIn(event.detail.detail);
});

// A topic chosen in the supervisor's list opens in the desk above.
overdue.addEventListener('consult-topic-select', (event) => {
  event.preventDefault();
  view.setAttribute('view', 'timeline');
  view.setAttribute('topic', event.detail.topicId);
  linkTopic(event.detail.topicId);
  view.scrollIntoView({ block: 'start' });
});

// A topic opened in the desk itself (the staff list): its record and dossier can be printed.
view.addEventListener('consult-topic-select', (event) => {
  if (event.detail?.topicId) linkTopic(event.detail.topicId);
});

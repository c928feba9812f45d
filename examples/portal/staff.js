/* global document, sessionStorage, fetch, customElements, window */
// 清河区人民政府 (a mock portal): signing in to the staff desk.
//
// A real portal gets the staff member's token from its single sign-on and hands
// <consult-workflow> a function that returns the current one (`element.token = () => …`); the
// element sends it as `Authorization: Bearer …` to the city's backend (`endpoint`). This demo asks
// for one of the demo tokens printed on the page, checks it with the server (pulling one entry of
// the log needs a staff token), keeps it for this tab (sessionStorage), and only then gives the
// element its config, so nothing is fetched without a token.
const TOKEN_KEY = 'qinghe-staff-token';
const ROLE_KEY = 'qinghe-staff-role';
const ROLES = {
  convener: { 'zh-CN': '召集人', en: 'convener' },
  department: { 'zh-CN': '承办部门', en: 'department' },
};
const PROBLEMS = {
  empty: { 'zh-CN': '请输入工作人员令牌。', en: 'Enter your staff token.' },
  refused: { 'zh-CN': '令牌无效或没有权限，请核对后重试。', en: 'The token was not accepted. Check it and try again.' },
  unavailable: { 'zh-CN': '暂时无法连接服务器，请稍后重试。', en: 'The server cannot be reached now. Try again shortly.' },
};

const view = document.querySelector('consult-workflow.staff-view');
const form = document.querySelector('form.sign-in');
const problem = document.querySelector('[data-sign-in-problem]');
const signedInAs = document.querySelector('[data-signed-in-as]');
const signOut = document.querySelector('.sign-out');

/** Two spans, one per language (portal.css shows the page's). */
function bilingual(texts) {
  return Object.entries(texts).map(([lang, text]) => {
    const span = document.createElement('span');
    span.className = lang === 'en' ? 't-en' : 't-zh';
    span.lang = lang;
    span.textContent = text;
    return span;
  });
}

function say(element, texts) {
  element.replaceChildren(...(texts ? bilingual(texts) : []));
}

/** The programme's id, from the config URL the element will load. */
function programmeId() {
  const match = /\/programmes\/([^/]+)\/config$/.exec(view.dataset.config ?? '');
  return match ? match[1] : '';
}

/** Whether the server takes this token: 'ok', 'refused' or 'unavailable'. */
async function check(token) {
  try {
    const endpoint = view.getAttribute('endpoint') ?? '/api';
    const response = await fetch(`${endpoint}/programmes/${programmeId()}/events?limit=1`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    if (response.ok) return 'ok';
    return response.status === 401 || response.status === 403 ? 'refused' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

function enter(role) {
  view.token = () => sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  view.setAttribute('user-role', role);
  view.setAttribute('config', view.dataset.config ?? '');
  const name = ROLES[role] ?? ROLES.convener;
  say(signedInAs, { 'zh-CN': `已登录（演示）：${name['zh-CN']}`, en: `Signed in (demo) as ${name.en}` });
  document.body.classList.add('signed-in');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = form.elements.token.value.trim();
  const role = form.elements.role.value;
  if (!token) {
    say(problem, PROBLEMS.empty);
    form.elements.token.focus();
    return;
  }
  say(problem, undefined);
  const verdict = await check(token);
  if (verdict !== 'ok') {
    say(problem, PROBLEMS[verdict]);
    form.elements.token.focus();
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(ROLE_KEY, role);
  enter(role);
  view.focus();
});

signOut.addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ROLE_KEY);
  window.location.reload();
});

await customElements.whenDefined('consult-workflow');
const kept = sessionStorage.getItem(TOKEN_KEY);
if (kept) enter(sessionStorage.getItem(ROLE_KEY) ?? 'convener');

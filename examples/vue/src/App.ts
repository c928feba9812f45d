/**
 * A minimal portal page in Vue 3 hosting consult-kit: it sets the elements' properties and
 * attributes from its own state, listens to their `consult-*` events and shows what it heard.
 *
 * Written with render functions (`h()`), so no template compiler runs in the browser: Vue's
 * runtime compiler needs `new Function`, which a portal's strict CSP forbids. `h('consult-…')`
 * creates the element directly, so nothing has to be told it is a custom element; with templates
 * (SFCs compiled at build time) set `compilerOptions.isCustomElement` (see README.md).
 *
 * How Vue passes each prop to a custom element: as a DOM PROPERTY when the element has one
 * (`key in el`: `config`, `lang`, `value`, `legend`), else as an ATTRIBUTE (`user-role`,
 * `user-id`). A leading `.` forces the property, a leading `^` the attribute. `onConsultSubmit`
 * listens to `consult-submit` (Vue hyphenates the name after `on`), exactly as
 * `@consult-submit` in a template compiles to.
 */
import { defineComponent, h, ref, type VNode } from 'vue';
import type {
  ConsultActionEvent,
  ConsultErrorEvent,
  ConsultNavigateEvent,
  ConsultStarRating,
  ConsultSubmitEvent,
  UserRole,
  WorkflowView,
} from '@consult-kit/embed';
// The city's config, bundled with the app and handed to the element as an object (the `config`
// PROPERTY). A portal may as well pass a URL: config: '/consult/wuxi-community.json'.
import wuxiConfig from '../../configs/wuxi-community.json';
import { MESSAGES, ROLES, type Lang } from './messages.js';

/**
 * What the host heard of a submission. No reference number of its own: the resident's key to
 * their topic is its follow code, which the element itself shows in "my topics" (我的议题) once
 * the city's server has given one (with the local transport of this example there is no server,
 * so no code), with copy and a QR code. The host need not, and cannot honestly, make one up.
 */
interface Submitted {
  title: string;
  savedOn: 'indexeddb' | 'memory';
}

export const App = defineComponent({
  name: 'ConsultHostApp',
  setup() {
    const lang = ref<Lang>('zh-CN');
    const role = ref<UserRole>('resident');
    const view = ref<WorkflowView | undefined>(undefined);
    const submitted = ref<Submitted | undefined>(undefined);
    const action = ref<{ type: string; topicId: string } | undefined>(undefined);
    const error = ref<string | undefined>(undefined);
    const stars = ref(0);
    const sent = ref<string | undefined>(undefined);

    const onNavigate = (event: ConsultNavigateEvent) => {
      view.value = event.detail.view as WorkflowView;
    };
    const onSubmit = (event: ConsultSubmitEvent) => {
      const { title, savedOn } = event.detail;
      submitted.value = { title, savedOn };
    };
    const onAction = (event: ConsultActionEvent) => {
      action.value = { type: event.detail.type, topicId: event.detail.topicId };
    };
    const onError = (event: ConsultErrorEvent) => {
      error.value = `${event.detail.code}: ${event.detail.message}`;
    };
    const chooseRole = (event: Event) => {
      role.value = (event.target as HTMLSelectElement).value as UserRole;
      view.value = undefined; // the element shows the new role's default view; no consult-navigate for that
    };
    const sendRating = (event: SubmitEvent) => {
      event.preventDefault();
      // <consult-star-rating> is form-associated: its value is in the form's FormData.
      const value = new FormData(event.currentTarget as HTMLFormElement).get('satisfaction');
      sent.value = typeof value === 'string' ? value : '';
    };

    return (): VNode => {
      const t = MESSAGES[lang.value];
      const other: Lang = lang.value === 'zh-CN' ? 'en' : 'zh-CN';
      return h('div', { class: 'page', lang: lang.value }, [
        h('header', { class: 'masthead' }, [
          h('h1', t.pageTitle),
          h('p', t.intro),
          h('div', { class: 'controls' }, [
            h(
              'button',
              { type: 'button', lang: other, 'aria-label': `${t.otherLanguage} – ${t.switchLanguage}`, onClick: () => (lang.value = other) },
              t.otherLanguage,
            ),
            h('label', [
              `${t.role} `,
              h(
                'select',
                { value: role.value, onChange: chooseRole },
                ROLES.map((r) => h('option', { key: r, value: r }, t.roles[r])),
              ),
            ]),
          ]),
        ]),
        h('main', [
          h('section', { class: 'heard', 'aria-labelledby': 'heard-title' }, [
            h('h2', { id: 'heard-title' }, t.heardTitle),
            h('dl', [
              h('dt', t.currentView),
              h('dd', { 'data-heard': 'view' }, view.value ? t.views[view.value] : t.defaultView),
              h('dt', t.lastSubmitted),
              h('dd', { 'data-heard': 'submitted' }, submitted.value ? t.submitted(submitted.value.title, submitted.value.savedOn) : t.none),
              h('dt', t.lastAction),
              h('dd', { 'data-heard': 'action' }, action.value ? t.action(action.value.type, action.value.topicId) : t.none),
              h('dt', t.lastError),
              h('dd', { 'data-heard': 'error' }, error.value ?? t.none),
            ]),
          ]),
          h('consult-workflow', {
            // `.config` forces the property even if the tag were defined only after this render.
            '.config': wuxiConfig,
            lang: lang.value,
            'user-role': role.value,
            'user-id': 'demo-resident-1',
            onConsultNavigate: onNavigate,
            onConsultSubmit: onSubmit,
            onConsultAction: onAction,
            onConsultError: onError,
          }),
          h('section', { class: 'rating', 'aria-labelledby': 'rating-title' }, [
            h('h2', { id: 'rating-title' }, t.ratingTitle),
            h('p', t.ratingIntro),
            h('form', { onSubmit: sendRating }, [
              h('consult-star-rating', {
                name: 'satisfaction',
                required: true,
                lang: lang.value,
                legend: t.ratingLegend,
                value: stars.value,
                onChange: (event: Event) => {
                  stars.value = (event.currentTarget as ConsultStarRating).value;
                },
              }),
              h('p', { 'data-heard': 'stars' }, t.starsChosen(stars.value)),
              h('button', { type: 'submit' }, t.send),
              h('p', { role: 'status', 'data-heard': 'form' }, sent.value === undefined ? '' : t.formSent(sent.value)),
            ]),
          ]),
        ]),
      ]);
    };
  },
});

/**
 * A minimal portal page in React 19 hosting consult-kit: it sets the elements' properties and
 * attributes from its own state, listens to their `consult-*` events and shows what it heard.
 */
import { useCallback, useState, type FormEvent } from 'react';
import type {
  ConsultActionEvent,
  ConsultErrorEvent,
  ConsultNavigateEvent,
  ConsultSubmitEvent,
  UserRole,
  WorkflowView,
} from '@consult-kit/embed';
// The city's config, bundled with the app and handed to the element as an object (the `config`
// PROPERTY). A portal may as well pass a URL: config="/consult/wuxi-community.json".
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

export function App() {
  const [lang, setLang] = useState<Lang>('zh-CN');
  const [role, setRole] = useState<UserRole>('resident');
  const [view, setView] = useState<WorkflowView | undefined>(undefined);
  const [submitted, setSubmitted] = useState<Submitted | undefined>(undefined);
  const [action, setAction] = useState<{ type: string; topicId: string } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [stars, setStars] = useState(0);
  const [sent, setSent] = useState<string | undefined>(undefined);
  const t = MESSAGES[lang];

  // Listeners are attached by React with addEventListener; stable callbacks keep it from
  // removing and re-adding them on every render.
  const onNavigate = useCallback((event: ConsultNavigateEvent) => setView(event.detail.view as WorkflowView), []);
  const onSubmit = useCallback((event: ConsultSubmitEvent) => {
    const { title, savedOn } = event.detail;
    setSubmitted({ title, savedOn });
  }, []);
  const onAction = useCallback((event: ConsultActionEvent) => setAction({ type: event.detail.type, topicId: event.detail.topicId }), []);
  const onError = useCallback((event: ConsultErrorEvent) => setError(`${event.detail.code}: ${event.detail.message}`), []);

  const chooseRole = (next: UserRole) => {
    setRole(next);
    setView(undefined); // the element shows the new role's default view; no consult-navigate for that
  };

  const sendRating = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // <consult-star-rating> is form-associated: its value is in the form's FormData.
    const value = new FormData(event.currentTarget).get('satisfaction');
    setSent(typeof value === 'string' ? value : '');
  };

  return (
    <div className="page" lang={lang}>
      <header className="masthead">
        <h1>{t.pageTitle}</h1>
        <p>{t.intro}</p>
        <div className="controls">
          <button
            type="button"
            lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}
            aria-label={`${t.otherLanguage} – ${t.switchLanguage}`}
            onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
          >
            {t.otherLanguage}
          </button>
          <label>
            {t.role}{' '}
            <select value={role} onChange={(event) => chooseRole(event.target.value as UserRole)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t.roles[r]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>

      <main>
        <section className="heard" aria-labelledby="heard-title">
          <h2 id="heard-title">{t.heardTitle}</h2>
          <dl>
            <dt>{t.currentView}</dt>
            <dd data-heard="view">{view ? t.views[view] : t.defaultView}</dd>
            <dt>{t.lastSubmitted}</dt>
            <dd data-heard="submitted">{submitted ? t.submitted(submitted.title, submitted.savedOn) : t.none}</dd>
            <dt>{t.lastAction}</dt>
            <dd data-heard="action">{action ? t.action(action.type, action.topicId) : t.none}</dd>
            <dt>{t.lastError}</dt>
            <dd data-heard="error">{error ?? t.none}</dd>
          </dl>
        </section>

        <consult-workflow
          config={wuxiConfig}
          lang={lang}
          user-role={role}
          user-id="demo-resident-1"
          onconsult-navigate={onNavigate}
          onconsult-submit={onSubmit}
          onconsult-action={onAction}
          onconsult-error={onError}
        ></consult-workflow>

        <section className="rating" aria-labelledby="rating-title">
          <h2 id="rating-title">{t.ratingTitle}</h2>
          <p>{t.ratingIntro}</p>
          <form onSubmit={sendRating}>
            <consult-star-rating
              name="satisfaction"
              required
              lang={lang}
              legend={t.ratingLegend}
              value={stars}
              onChange={(event) => setStars(event.currentTarget.value)}
            ></consult-star-rating>
            <p data-heard="stars">{t.starsChosen(stars)}</p>
            <button type="submit">{t.send}</button>
            <p role="status" data-heard="form">
              {sent === undefined ? '' : t.formSent(sent)}
            </p>
          </form>
        </section>
      </main>
    </div>
  );
}

/**
 * Every story is wrapped in a `.consult-story` box carrying the toolbar's choices: `lang` (zh-CN /
 * en, which every element follows from its nearest ancestor), large text (`--consult-font-scale`)
 * and a theme (a set of `--consult-*` tokens, from stories/support/themes.css). Controls and
 * autodocs come from the generated custom-elements.json. Axe runs on every story with the WCAG 2.2
 * AA tags, and in the story tests (`npm run test:stories`) any violation fails the test.
 */
import { html } from 'lit';
import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import manifest from '../packages/elements/custom-elements.json' with { type: 'json' };
import studioManifest from '../packages/studio/custom-elements.json' with { type: 'json' };
import { WCAG_TAGS } from '../stories/support/wcag.js';
import '../stories/support/themes.css';
import '../packages/elements/src/all.js';

// The studio's panes have their own manifest (packages/studio); Storybook takes one, so both are merged.
setCustomElementsManifest({ ...manifest, modules: [...manifest.modules, ...studioManifest.modules] });

const withGlobals: Decorator = (story, context) => {
  const lang = context.globals.lang === 'en' ? 'en' : 'zh-CN';
  const classes = ['consult-story', `theme-${String(context.globals.theme ?? 'default')}`];
  if (context.globals.textSize === 'large') classes.push('large-text');
  return html`<div class=${classes.join(' ')} lang=${lang}>${story()}</div>`;
};

const preview: Preview = {
  decorators: [withGlobals],
  globalTypes: {
    lang: {
      description: 'Language of the elements · 界面语言',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [
          { value: 'zh-CN', title: '简体中文 (zh-CN)' },
          { value: 'en', title: 'English (en)' },
        ],
        dynamicTitle: true,
      },
    },
    textSize: {
      description: 'Large text for older residents · 大字模式',
      toolbar: {
        title: 'Text size',
        icon: 'zoom',
        items: [
          { value: 'normal', title: 'Normal text · 标准字号' },
          { value: 'large', title: 'Large text · 大字 (--consult-font-scale: 1.25)' },
        ],
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'Theme tokens (--consult-*) · 主题',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        items: [
          { value: 'default', title: 'Default (consult-kit red)' },
          { value: 'civic-blue', title: 'Civic blue portal' },
          { value: 'dark', title: 'Dark portal' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { lang: 'zh-CN', textSize: 'normal', theme: 'default' },
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    a11y: {
      // WCAG 2.0, 2.1 and 2.2 A and AA rules; in the story tests any violation fails the story.
      options: { runOnly: { type: 'tag', values: WCAG_TAGS }, resultTypes: ['violations'] },
      test: 'error',
    },
    docs: { toc: true },
  },
};

export default preview;

/** A component's part of the catalogue: its English keys are the source; zh-CN must cover every one. */
export function defineMessages<const T extends Record<string, string>>(
  en: T,
  zhCN: { readonly [K in keyof T]: string },
): { en: T; 'zh-CN': { readonly [K in keyof T]: string } } {
  return { en, 'zh-CN': zhCN };
}

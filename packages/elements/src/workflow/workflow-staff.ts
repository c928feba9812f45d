/**
 * What only staff (and a follow-code search) need from the server: who the token stands for
 * (`GET /me`) and the topic index. Loaded when first used, so a resident's first view is without it.
 */
export { topicIndexClient, whoAmI } from '@consult-kit/store';

/**
 * Open311 GeoReport v2 services from consult-kit programmes: one service per programme × option
 * of its form's category field (or one per programme when the form has none), for every programme
 * whose intake step lists the source `open311` (a city opts in there). A service's definition is
 * the form's fields as attributes, less those the spec's own parameters fill (description, the
 * location, the submitter's name, phone and e-mail) and file fields (GeoReport v2 has no upload).
 */
import { categoryField, type FormField, type Locale, type LocalizedText, type WorkflowConfig } from '@consult-kit/machine';
import type { ProgrammeConfig } from '../programmes.js';

/** The topic source an Open311 request becomes. */
export const OPEN311_SOURCE = 'open311';

/** Between a service code's programme and its category (programme ids never hold it). */
export const CODE_SEPARATOR = ':';

/** A programme's text in a language (the other one when it is blank). */
export function localized(text: LocalizedText | undefined, locale: Locale): string {
  if (!text) return '';
  return text[locale] || text[locale === 'en' ? 'zh-CN' : 'en'] || '';
}

/** Whether the programme takes Open311 requests: its intake step lists the source. */
export function takesOpen311(config: WorkflowConfig): boolean {
  return config.step.intake.sources.some((s) => s.id === OPEN311_SOURCE);
}

/** One service: a programme, and the category its topics get (undefined: the form has none). */
export interface Service {
  code: string;
  programme: ProgrammeConfig;
  category?: string;
}

/** The services of a programme (none when it does not take Open311 requests). */
export function servicesOf(programme: ProgrammeConfig): Service[] {
  if (!takesOpen311(programme.config)) return [];
  const field = categoryField(programme.config);
  if (!field?.options?.length) return [{ code: programme.id, programme }];
  return field.options.map((o) => ({ code: `${programme.id}${CODE_SEPARATOR}${o.value}`, programme, category: o.value }));
}

/** The programme id and category a service code names (the category undefined when there is none). */
export function parseServiceCode(code: string): { programmeId: string; category?: string } {
  const at = code.indexOf(CODE_SEPARATOR);
  return at < 0 ? { programmeId: code } : { programmeId: code.slice(0, at), category: code.slice(at + 1) };
}

/** Every field of the form. */
export function formFields(config: WorkflowConfig): FormField[] {
  return config.form.pages.flatMap((page) => page.fields);
}

/** The form fields the spec's standard parameters fill, by parameter. */
export interface StandardFields {
  title?: FormField;
  description?: FormField;
  category?: FormField;
  location?: FormField;
  name?: FormField;
  phone?: FormField;
  email?: FormField;
}

/** Which field each standard parameter fills: by role, type, or (for the name) the field called `name`. */
export function standardFields(config: WorkflowConfig): StandardFields {
  const fields = formFields(config);
  const found: StandardFields = {};
  const title = fields.find((f) => f.role === 'title');
  const description = fields.find((f) => f.role === 'description');
  const category = categoryField(config);
  const location = fields.find((f) => f.type === 'location');
  const name = fields.find((f) => f.name === 'name' && (f.type === 'text' || f.type === 'textarea'));
  const phone = fields.find((f) => f.type === 'tel');
  const email = fields.find((f) => f.type === 'email');
  if (title) found.title = title;
  if (description) found.description = description;
  if (category) found.category = category;
  if (location) found.location = location;
  if (name) found.name = name;
  if (phone) found.phone = phone;
  if (email) found.email = email;
  return found;
}

/** An attribute of a service definition, as the spec writes it. */
export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: Array<{ key: string; name: string }>;
}

/** The spec's datatype of a form field. */
function datatypeOf(field: FormField): Open311Attribute['datatype'] {
  switch (field.type) {
    case 'number':
      return 'number';
    case 'date':
      return 'datetime';
    case 'textarea':
      return 'text';
    case 'select':
    case 'radio':
    case 'consent':
      return 'singlevaluelist';
    case 'checkbox':
      return field.options ? 'multivaluelist' : 'singlevaluelist';
    default:
      return 'string';
  }
}

const YES: LocalizedText = { 'zh-CN': '是', en: 'Yes' };
const NO: LocalizedText = { 'zh-CN': '否', en: 'No' };
const TITLE_NOTE: LocalizedText = { 'zh-CN': '不填时取 description 的第一行', en: 'When left out: the first line of description' };

/** The fields a definition lists as attributes (every field but the standard ones' and files). */
export function attributeFields(config: WorkflowConfig): FormField[] {
  const standard = standardFields(config);
  const taken = new Set([standard.description, standard.category, standard.location, standard.name, standard.phone, standard.email].filter((f) => f !== undefined).map((f) => f.name));
  return formFields(config).filter((f) => !taken.has(f.name) && f.type !== 'file');
}

/** A service's definition: its attributes, in form order. */
export function serviceDefinition(service: Service, locale: Locale): { service_code: string; attributes: Open311Attribute[] } {
  const { config } = service.programme;
  const titleName = standardFields(config).title?.name;
  const attributes = attributeFields(config).map((field, i): Open311Attribute => {
    const values =
      field.type === 'consent' ? [{ key: 'true', name: localized(field.label, locale) }]
      : field.type === 'checkbox' && !field.options ? [{ key: 'true', name: localized(YES, locale) }, { key: 'false', name: localized(NO, locale) }]
      : field.options?.map((o) => ({ key: o.value, name: localized(o.label, locale) }));
    const hint = field.name === titleName ? [localized(field.hint, locale), localized(TITLE_NOTE, locale)].filter(Boolean).join('; ') : localized(field.hint, locale);
    return {
      variable: true,
      code: field.name,
      datatype: datatypeOf(field),
      // The title is derived from the description when it is left out; the others as the form says
      // (a field shown only under a condition is checked by the lifecycle when it applies).
      required: field.name === titleName ? false : field.required && !field.visibleWhen,
      datatype_description: hint,
      order: i + 1,
      description: localized(field.label, locale),
      ...(values ? { values } : {}),
    };
  });
  return { service_code: service.code, attributes };
}

/** The service's entry in `services.json`. */
export function serviceEntry(service: Service, locale: Locale): Record<string, unknown> {
  const { config } = service.programme;
  const option = service.category === undefined ? undefined : categoryField(config)?.options?.find((o) => o.value === service.category);
  const programmeTitle = localized(config.title, locale);
  const name = option ? localized(option.label, locale) : programmeTitle;
  return {
    service_code: service.code,
    service_name: name,
    description: option ? `${programmeTitle}: ${name}` : localized(config.description, locale),
    metadata: attributeFields(config).length > 0,
    type: 'realtime',
    keywords: [service.programme.id, service.category, config.level].filter(Boolean).join(','),
    group: programmeTitle,
  };
}

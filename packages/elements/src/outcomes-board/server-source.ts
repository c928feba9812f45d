/**
 * Which city server an element inside `<consult-workflow>` reads its open read models (the topic
 * index, the figures) from. The workflow's store knows its config, but a portal may point the
 * workflow at a backend with the `endpoint` attribute while the config says `transport: local`
 * (docs/embedding.md): then the workflow's `endpoint` is the server, not the config's.
 */
import type { WorkflowConfig } from '@consult-kit/machine/core';

/** The nearest `<consult-workflow>` around `node` (crossing shadow roots), if any. */
function closestWorkflow(node: Node): (Element & { endpoint?: unknown }) | undefined {
  let current: Node | null = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  while (current) {
    if (current instanceof Element && current.localName === 'consult-workflow') return current as Element & { endpoint?: unknown };
    current = current instanceof ShadowRoot ? current.host : current.parentNode;
  }
  return undefined;
}

/**
 * The server behind a workflow's store: the enclosing workflow's `endpoint` when it has one, else
 * the config's http transport; undefined for the local transport (the topics held on the device are the data).
 */
export function serverOfStore(host: Element, store: { config: WorkflowConfig; programmeId?: string } | undefined): { endpoint: string; programmeId: string } | undefined {
  if (!store) return undefined;
  const programmeId = store.programmeId ?? store.config.id;
  const attribute = closestWorkflow(host)?.endpoint;
  if (typeof attribute === 'string' && attribute !== '') return { endpoint: attribute, programmeId };
  const transport = store.config.transport;
  return transport.type === 'http' ? { endpoint: transport.endpoint, programmeId } : undefined;
}

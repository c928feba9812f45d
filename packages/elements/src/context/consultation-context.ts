/**
 * What `<consult-workflow>` provides to the elements inside it. Contexts carry stable objects —
 * the programme actor and the store — never a snapshot: components subscribe through
 * `ActorController` / `StoreController`, and re-render only when their slice changes.
 */
import { createContext } from '@lit/context';
import type { ProgrammeActorRef } from '@consult-kit/machine/core';
import type { ConsultStore } from '@consult-kit/store';

export const programmeContext = createContext<ProgrammeActorRef | undefined>(Symbol.for('consult-kit/programme'));
export const storeContext = createContext<ConsultStore | undefined>(Symbol.for('consult-kit/store'));

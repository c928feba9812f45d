/**
 * Stable keys for the items of a list that is edited by value (structural sharing): an unchanged
 * item keeps its identity and its key; an edited item is a new object at the same index and takes
 * the key of the object it replaced; a moved item keeps its key; an inserted one gets a new key;
 * undo brings back old objects, with their old keys. So `repeat` keeps each card's DOM (and its
 * open or closed state) with the item it shows, and typing into a field's name does not re-create
 * the card.
 */
export class ItemKeys {
  #keys = new WeakMap<object, string>();
  #previous = new Map<string, Array<{ item: unknown; key: string }>>();
  #next = 0;

  constructor(private readonly prefix: string) {}

  /** The keys of `items`, the list at `listId` (a page's fields: one id per page key). */
  keysOf(listId: string, items: readonly unknown[]): string[] {
    const before = this.#previous.get(listId) ?? [];
    const present = new Set<unknown>(items);
    const used = new Set<string>();
    const keys = items.map((item, index) => {
      let key = typeof item === 'object' && item !== null ? this.#keys.get(item) : undefined;
      if (key === undefined || used.has(key)) {
        const replaced = before[index];
        // The same primitive (null, a number …) at the same place, or an edit of the object that was there.
        const reuse = replaced && !used.has(replaced.key) && (replaced.item === item || !present.has(replaced.item));
        key = reuse ? replaced.key : `${this.prefix}${this.#next++}`;
        if (typeof item === 'object' && item !== null && !this.#keys.has(item)) this.#keys.set(item, key);
      }
      used.add(key);
      return key;
    });
    this.#previous.set(
      listId,
      items.map((item, i) => ({ item, key: keys[i]! })),
    );
    return keys;
  }

  /** Gives `item` a key before it is inserted (a field moved to another page keeps its key). */
  remember(item: unknown, key: string): void {
    if (typeof item === 'object' && item !== null) this.#keys.set(item, key);
  }
}

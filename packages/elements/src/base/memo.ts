/** Remembers the last result and recomputes only when an argument changes (by identity). */
export function memo<A extends readonly unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: A | undefined;
  let value!: R;
  return (...args: A): R => {
    if (last && last.length === args.length && last.every((a, i) => Object.is(a, args[i]))) return value;
    value = compute(...args);
    last = args;
    return value;
  };
}

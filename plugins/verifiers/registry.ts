/**
 * Builds a name-keyed registry from an explicit list, failing loudly on a
 * duplicate name (two plugins claiming one `type` is a programming error).
 */
export function buildRegistry<T extends { name: string }>(items: readonly T[], what: string): Readonly<Record<string, T>> {
  const registry: Record<string, T> = Object.create(null);
  for (const item of items) {
    if (Object.prototype.hasOwnProperty.call(registry, item.name)) throw new Error(`Duplicate ${what} "${item.name}"`);
    registry[item.name] = item;
  }
  return Object.freeze(registry);
}

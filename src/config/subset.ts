/**
 * A few settings read as trimmed strings (empty counts as unset), for commands that must not fail
 * on unrelated bad values (`teambot permissions check` with a half-configured platform).
 */
export function readSettings<K extends string>(
  env: Record<string, string | undefined>,
  names: readonly K[],
): Record<K, string | undefined> {
  const values = {} as Record<K, string | undefined>;
  for (const name of names) {
    const value = env[name]?.trim();
    values[name] = value === undefined || value === '' ? undefined : value;
  }
  return values;
}

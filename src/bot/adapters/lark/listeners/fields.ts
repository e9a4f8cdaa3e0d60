/** Reading the loosely typed event objects the dispatcher hands over. */
export type Fields = Record<string, unknown>;

export const record = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};

export const str = (o: Fields, key: string): string | undefined =>
  typeof o[key] === 'string' && o[key] !== '' ? o[key] : undefined;

/** A schema 2.0 body (`{schema, header, event}`) as one flat object, as the SDK's dispatcher does; others as they are. */
export function flattenEvent(payload: Fields): Fields {
  if (!('schema' in payload)) return payload;
  const { header, event, ...rest } = payload;
  return { ...rest, ...record(header), ...record(event) };
}

/**
 * Byte-level BPE helpers: the GPT-2 byte-to-character table (every byte gets a printable
 * character) and the GPT-2 pre-tokenization pattern used by the ByteLevel pre-tokenizer.
 */

/** Byte b -> the character standing for it in byte-level vocabularies. */
export function byteToUnicode(): string[] {
  const table: string[] = new Array(256);
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let extra = 0;
  for (let b = 0; b < 256; b += 1) {
    table[b] = String.fromCharCode(printable(b) ? b : 256 + extra++);
  }
  return table;
}

const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Splits text into pre-tokens and maps each to its byte-level character string. */
export function byteLevelWords(text: string): string[] {
  const table = byteToUnicode();
  const encoder = new TextEncoder();
  return (text.match(GPT2_PATTERN) ?? []).map((piece) =>
    Array.from(encoder.encode(piece), (b) => table[b] as string).join(''),
  );
}

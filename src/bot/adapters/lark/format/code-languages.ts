/**
 * Names LLMs give code blocks, as the language names a card highlights (its list is case-insensitive:
 * `typescript`, `python`, `c_sharp`, `docker_file`, …). Names not listed are kept as written.
 */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['ts', 'typescript'],
  ['tsx', 'typescript'],
  ['js', 'javascript'],
  ['jsx', 'javascript'],
  ['mjs', 'javascript'],
  ['py', 'python'],
  ['python3', 'python'],
  ['sh', 'shell'],
  ['zsh', 'shell'],
  ['console', 'shell'],
  ['c++', 'cpp'],
  ['cxx', 'cpp'],
  ['c#', 'c_sharp'],
  ['cs', 'c_sharp'],
  ['csharp', 'c_sharp'],
  ['objc', 'objective_c'],
  ['objective-c', 'objective_c'],
  ['dockerfile', 'docker_file'],
  ['docker', 'docker_file'],
  ['yml', 'yaml'],
  ['md', 'markdown'],
  ['kt', 'kotlin'],
  ['rb', 'ruby'],
  ['rs', 'rust'],
  ['golang', 'go'],
  ['coffee', 'coffee_script'],
  ['coffeescript', 'coffee_script'],
  ['vb', 'visual_basic'],
  ['vbnet', 'visual_basic'],
  ['proto', 'protobuf'],
  ['glsl', 'opengl_shading_language'],
  ['tex', 'latex'],
  ['make', 'makefile'],
  ['ps1', 'powershell'],
  ['text', 'plain_text'],
  ['txt', 'plain_text'],
  ['plaintext', 'plain_text'],
]);

/** The fence's info string with its language as a card names it; the rest of the info string is dropped. */
export function cardCodeLanguage(info: string): string {
  const language = info.trim().split(/\s+/, 1)[0] ?? '';
  return ALIASES.get(language.toLowerCase()) ?? language;
}

/** Glob patterns on names: `*` any run of characters (dots and slashes included), `?` one character. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`, 's');
}

/** Patterns given as one option value, separated by `|` (commas end a pipeline option). */
export function splitPatterns(text: string): string[] {
  return text
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

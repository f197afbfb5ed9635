/**
 * The app's messages as the source writes them, for the locale files and their test: `msg("Text")`
 * and `msg(str\`Pay ${amount}\`)` become `Text` and `Pay {0}` (each expression numbered in order).
 */
export function sourceMessages(source: string): string[] {
  const found: string[] = [];
  const plain = /msg\(\s*"((?:[^"\\]|\\.)*)"/g;
  for (const match of source.matchAll(plain)) found.push(JSON.parse(`"${match[1]}"`));
  // `msg(` and `str` may be on separate lines when the message is long (Prettier breaks it).
  for (const match of source.matchAll(/msg\(\s*str`/g)) {
    let i = match.index + match[0].length;
    let text = "";
    let n = 0;
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "$" && source[i + 1] === "{") {
        let depth = 1;
        i += 2;
        while (depth > 0 && i < source.length) {
          if (source[i] === "{") depth++;
          else if (source[i] === "}") depth--;
          i++;
        }
        text += `{${n++}}`;
      } else {
        text += source[i++];
      }
    }
    found.push(text);
  }
  return found;
}

/**
 * The longest run of plain characters every match of a regular expression must contain, read off
 * its source: a line without it cannot match, so `includes` rules the line out before the regex
 * engine scans it (the phrase table holds some eighty patterns and most lines match none).
 *
 * Conservative by construction: only characters outside groups and classes, not made optional by
 * a quantifier, count; a top-level alternation gives "" (no requirement).
 */
export function requiredLiteral(source: string): string {
  let best = "";
  let run = "";
  let depth = 0;
  const flush = () => {
    if (run.length > best.length) best = run;
    run = "";
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      flush();
      i++;
      continue;
    }
    if (ch === "[") {
      flush();
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      depth += ch === "(" ? 1 : -1;
      flush();
      continue;
    }
    if (ch === "|") {
      if (depth === 0) return "";
      continue;
    }
    if (depth > 0) continue;
    if (ch === "?" || ch === "*" || ch === "{") {
      // The quantifier makes the character before it optional (or repeats it a counted number of times).
      run = run.slice(0, -1);
      flush();
      if (ch === "{") while (i < source.length && source[i] !== "}") i++;
      continue;
    }
    if (ch === "+" || ch === "." || ch === "^" || ch === "$") {
      flush();
      continue;
    }
    run += ch;
  }
  flush();
  return best;
}

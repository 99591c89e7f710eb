/**
 * What every HTML page of the product must do with hostile input, shared by the page test
 * (tests/e2e/html-pages.test.ts) and the fuzz test: show it as text (escaped), never as markup,
 * and forbid scripts with its Content-Security-Policy (`script-src 'none'`, or a nonce per
 * response for the page's own script).
 */

/** Values that run script when a page writes them into its HTML unescaped, in text or in an attribute. */
export const HOSTILE_MARKUP = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '" autofocus onfocus="alert(1)',
  '</textarea></title><script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
  '}}{{{x}}}{{',
  'javascript:alert(1)',
  "x' onmouseover='alert(1)",
  '<a href="javascript:alert(1)">x</a>',
] as const;

/** The effective `script-src` of a policy (falling back to `default-src`, as browsers do). */
export function effectiveScriptSrc(policy: string | null): string[] | undefined {
  if (!policy) return undefined;
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name.toLowerCase(), values] as const),
  );
  return directives.get('script-src') ?? directives.get('default-src');
}

/**
 * The problems of one HTML answer: hostile markup written as markup, a script tag the policy does
 * not vouch for, or no policy that forbids scripts. `ownCsp: false` for a third-party page
 * (bull-board, Apollo's landing page) that brings its own policy (checked by its own tests).
 */
export function htmlProblems(html: string, csp: string | null, options: { ownCsp?: boolean } = {}): string[] {
  const problems: string[] = [];
  for (const value of HOSTILE_MARKUP) if (/[<>"']/.test(value) && html.includes(value)) problems.push(`unescaped: ${value}`);
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    // Attribute values are text (a sandboxed srcdoc, an escaped value): only the tag's own attributes count.
    const bare = tag.replace(/"[^"]*"|'[^']*'/g, '""');
    if (/\son[a-z]+\s*=/i.test(bare)) problems.push(`an event handler attribute in markup: ${tag.slice(0, 160)}`);
    if (/\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(tag)) problems.push(`a javascript: URL in markup: ${tag.slice(0, 160)}`);
  }
  if (options.ownCsp === false) return problems;
  const scriptSrc = effectiveScriptSrc(csp);
  const nonces = (scriptSrc ?? []).filter((v) => /^'nonce-[\w+/=-]{16,}'$/.test(v));
  const forbidsScripts = scriptSrc !== undefined && (scriptSrc.join(' ') === "'none'" || (nonces.length > 0 && !scriptSrc.includes("'unsafe-inline'")));
  if (!forbidsScripts) problems.push(`Content-Security-Policy does not forbid scripts: ${csp ?? '(none)'}`);
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    const nonce = /\snonce="([^"]+)"/.exec(tag)?.[1];
    if (!nonce || !nonces.includes(`'nonce-${nonce}'`)) problems.push(`a script the policy does not vouch for: ${tag}`);
  }
  return problems;
}

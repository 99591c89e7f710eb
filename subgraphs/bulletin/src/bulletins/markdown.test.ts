import { renderMarkdown, UnsafeMarkdownError, unsafeMarkup } from './markdown';

describe('bulletin Markdown', () => {
  it('renders Markdown to HTML and to plain text', () => {
    const { html, text } = renderMarkdown('The **Enhanced Pathways** decision:\n\n- panel on *Tuesday*\n- see [the guidance](https://example.org/guide)');
    expect(html).toContain('<strong>Enhanced Pathways</strong>');
    expect(html).toContain('<li>panel on <em>Tuesday</em></li>');
    expect(html).toContain('<a href="https://example.org/guide">the guidance</a>');
    expect(text).toContain('Enhanced Pathways');
    expect(text).toContain('the guidance [https://example.org/guide]');
    expect(text).not.toMatch(/<|>|\*\*|\]\(/);
  });

  it.each([
    ['a script element', 'Hello <script>alert(1)</script>', 'a <script> element'],
    ['an inline event handler', 'Look <img src="x.png" onerror="alert(1)">', 'an event handler (onerror)'],
    ['an event handler on a block', '<div onclick="steal()">Click</div>', 'an event handler (onclick)'],
    ['a raw javascript: link', '<a href="javascript:alert(1)">x</a>', 'a javascript: link'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', 'a <iframe> element'],
    ['an svg with a handler', '<svg onload="x()"></svg>', 'a <svg> element'],
    ['a mixed-case handler', '<p OnMouseOver="x()">hi</p>', 'an event handler (onmouseover)'],
  ])('refuses %s', (_, source, reason) => {
    expect(() => renderMarkdown(source)).toThrow(UnsafeMarkdownError);
    try {
      renderMarkdown(source);
    } catch (error) {
      expect((error as UnsafeMarkdownError).reasons).toContain(reason);
    }
  });

  it('does not turn a Markdown javascript: link into a link', () => {
    const { html } = renderMarkdown('[click](javascript:alert(1))');
    expect(html).not.toContain('href="javascript');
  });

  it('strips harmless HTML that is not on the allowlist, keeping its text', () => {
    const { html } = renderMarkdown('<span style="color:red">Red</span> and <img src="https://example.org/a.png">');
    expect(html).toBe('<p>Red and </p>');
  });

  it('escapes text that looks like markup in plain prose', () => {
    expect(renderMarkdown('Year 5 < Year 6 & more').html).toBe('<p>Year 5 &lt; Year 6 &amp; more</p>');
  });

  it('finds nothing unsafe in ordinary HTML', () => {
    expect(unsafeMarkup('<p><a href="https://example.org">x</a> <strong>y</strong></p>')).toEqual([]);
  });
});

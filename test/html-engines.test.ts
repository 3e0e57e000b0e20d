import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { htmlToContent, isSpace, isTidy } from "../src/parse/html.js";
import { Tokenizer } from "htmlparser2";
import { fastTree, SkippingTokenizer } from "../src/parse/html-tree.js";
import { parseReport } from "../src/parse/index.js";
import { renderText } from "../src/render/index.js";
import { collectInputs } from "../src/batch/walk.js";
import { htmlPages } from "../bench/pages.js";

/**
 * HTML pages are read through htmlparser2 where it builds the tree parse5 would (for the walk's
 * purposes: text, lines, grids) and through parse5 elsewhere. These tests hold the fast path to
 * parse5's output, on real pages and on random tag soup, and check it declines what it must.
 */

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

const filesUnder = (dir: string, ext: string): string[] => collectInputs([dir]).filter((f) => f.endsWith(ext));
/** The benchmark's pages, made once for the tests that use them (each making parses every fixture). */
let benchPages: Promise<string[]> | undefined;
const pagesOfBench = () => (benchPages ??= htmlPages());

function sameAsParse5(html: string, name: string): void {
  assert.deepEqual(htmlToContent(html, name, "auto"), htmlToContent(html, name, "parse5"), name);
}

test("every fixture page, benchmark page and Word-exported rendering reads the same through both engines, and fast", async () => {
  const pages: [string, string][] = filesUnder(FIXTURES, ".html").map((f) => [f, readFileSync(f, "utf8")]);
  (await pagesOfBench()).forEach((p, i) => pages.push([`bench page ${i}`, p]));
  for (const f of filesUnder(FIXTURES, ".txt").filter((f) => !f.includes("README")).slice(0, 12)) {
    const report = await parseReport(readFileSync(f), { filename: f });
    if (report.format === "2019" || report.format === "2021") pages.push([`${f} as Word HTML`, renderText({ ...report, issues: [] }, "word-html")]);
  }
  assert.ok(pages.length >= 45, `${pages.length} pages`);
  for (const [name, html] of pages) {
    // Real pages are what the fast path is for: one that declines them has lost its purpose.
    assert.ok(fastTree(html), `${name}: the fast path declined it`);
    sameAsParse5(html, name);
  }
});

const TAGS = [
  "p", "div", "span", "b", "i", "font", "a", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col",
  "br", "li", "ul", "ol", "h1", "h2", "pre", "select", "option", "form", "button", "head", "body", "html", "title", "meta",
  "script", "style", "textarea", "center", "strong", "em", "input", "img", "hr", "dd", "dl", "dt", "section", "noscript",
  "object", "label", "sup", "o:p", "nobr", "u", "iframe", "xmp", "svg", "menu", "video",
];
const ATTRS = ["", ' rowspan="2"', ' colspan="3"', " rowspan=0", ' colspan="x"', " colspan=2 colspan=3", ' name="ArticleTitle" content="标题&amp;x"', ' class="a"'];
const TEXT = ["中", "12", "3", "一、本年新收", "  ", "\n", "\r\n", "\t", "&nbsp;", "&amp;", "&lt;", "&#20013;", "&copy", "&", "<", "a<b", "&#x0;", "&notit;", "结", "　", "\u00a0", "&#10;"];
const PIECES = [
  "<table><tr><td>", "<table border=1><tbody><tr><th colspan=2>", "</td><td>", "<td rowspan=2>", "</tr><tr><td>", "<tr><td>",
  "</table>", "</td></tr></table>", "<td><p>", "</p></td>", "<span lang=EN-US>", "</span>", "<p class=MsoNormal>", "<o:p></o:p>",
  "<!-- c -->", "<!--[if !supportLists]-->", "<![endif]-->", "<![if !vml]>", "<!DOCTYPE html>", "<?xml version='1.0'?>",
  "</ br>", "<p/>", "< p>", "</>", "<!---->", "<!-- a -- b -->", "<br/>", "<![CDATA[x]]>", "</p >", "<TD>", "</TR>",
  "<iframe src=x></iframe>", "<script><!-- document.write('<script></script>') --></script>", "<caption>",
];
const soup = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...TAGS), fc.constantFrom(...ATTRS)).map(([t, a]) => `<${t}${a}>`) },
      { weight: 4, arbitrary: fc.constantFrom(...TAGS).map((t) => `</${t}>`) },
      { weight: 5, arbitrary: fc.constantFrom(...TEXT) },
      { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
    ),
    { maxLength: 80 },
  )
  .map((t) => t.join(""));

test("random tag soup: wherever the fast path takes a page, it reads as parse5 reads it", () => {
  let taken = 0;
  let runs = 0;
  fc.assert(
    fc.property(soup, (html) => {
      runs++;
      if (!fastTree(html)) return;
      taken++;
      sameAsParse5(html, html);
    }),
    { numRuns: 3000 },
  );
  // Soup this broken is mostly declined; a property over too few pages would prove little.
  assert.ok(taken > runs / 4, `fast path took ${taken} of ${runs}`);
});

const INSERTS = [
  "<font size=2>", "<span>", "</span>", "<p>", "</p>", "<b>", "</b>", "<br>", "<div>", "</div>", "</td>", "</tr>", "<td>", "<tr>",
  "<li>", "<!-- x -->", "&nbsp;", "<o:p></o:p>", "</font>", "<table>", "</table>", "<pre>", "\n", "<center>", "<a href=x>", "</a>",
];

test("real pages with tags dropped or stray ones inserted: wherever the fast path takes them, they read as parse5 reads them", async () => {
  const pages = [...filesUnder(FIXTURES, ".html").map((f) => readFileSync(f, "utf8")), ...(await pagesOfBench())];
  const mutation = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), drop: fc.boolean(), what: fc.constantFrom(...INSERTS) });
  let taken = 0;
  let runs = 0;
  fc.assert(
    fc.property(fc.nat(pages.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, mutations) => {
      let html = pages[i];
      for (const m of mutations) {
        const pos = Math.floor(m.at * html.length);
        if (m.drop) {
          const s = html.indexOf("<", pos);
          const e = s < 0 ? -1 : html.indexOf(">", s);
          if (e >= 0) html = html.slice(0, s) + html.slice(e + 1);
        } else {
          // Between tags or inside text, never inside a tag.
          const at = html.lastIndexOf("<", pos) > html.lastIndexOf(">", pos) ? html.lastIndexOf("<", pos) : pos;
          html = html.slice(0, at) + m.what + html.slice(at);
        }
      }
      runs++;
      if (!fastTree(html)) return;
      taken++;
      sameAsParse5(html, JSON.stringify(mutations));
    }),
    { numRuns: 300 },
  );
  assert.ok(taken > runs / 4, `fast path took ${taken} of ${runs}`);
});

test("the fast path declines what parse5 reads by rules htmlparser2 does not follow", () => {
  const cases: [string, string][] = [
    ["</>", "`</` without a tag name"],
    ["a<x", "a page cut off inside a tag"],
    ["<button><input>中", "an input htmlparser2 lets close a button"],
    ["</p><meta name=\"ArticleTitle\" content=\"x\">", "`</p>` before the body"],
    ["<body><div>a</body>b", "text after `</body>` with elements open (parse5 keeps them open)"],
    ["<title><&notit;</title>", "a reference after `<` in a title"],
    ["<p><noscript><li>中", "an li parse5 lets close the paragraph, out of the noscript"],
    ["<p/><noscript><p>中", "a p parse5 lets close the paragraph, out of the noscript"],
    ["<table><tr><td></tbody>中", "`</tbody>` of parse5's own tbody; the text moved before the table"],
    ["<table><tr><td>1</td></tr>中</table>", "text straight in a table (foster parenting)"],
    ["<table><td>1</td></table>", "a cell outside any row"],
    ["<span><div>x</span>y</div>", "an end tag parse5 ignores at a special element"],
    ["<b><div>x</b>y</div>", "the adoption agency"],
    ["<h1>x</h2>y", "a heading closed by another heading's end tag"],
    ["<select><div>x</div></select>y", "markup inside a select"],
    ["<iframe><p>x</p></iframe>y", "markup inside an iframe (raw text to parse5)"],
    ["<p>a</p><script><!-- document.write('<script>x</script>'); --></script>b", "a script parse5 reads past its first end tag"],
    ["<table><caption>x<table><tr><td>1</td></tr></table>", "a table inside a caption"],
    ["<svg><p>x</svg>", "foreign content"],
    ["a\u0000b", "U+0000"],
  ];
  for (const [html, why] of cases) {
    assert.equal(fastTree(html), undefined, why);
    sameAsParse5(html, why);
  }
});

test("deep pages: checks look a bounded way down the stack, and tables nested at any depth are known", () => {
  // Whether a <p> would close a paragraph below a hidden element is not looked for under a hundred
  // open elements: the page goes to parse5 (each check bounded, so hostile nesting stays linear).
  const deep = "<p>a<object>" + "<span>".repeat(100) + "<p>x";
  assert.equal(fastTree(deep), undefined);
  sameAsParse5(deep, "deep hidden");
  const nested = "<table><tr><td>" + "<span>".repeat(100) + "<table><tr><td>1<table><tr><td>2</table></table>" + "</span>".repeat(100) + "<td>3</table>";
  assert.ok(fastTree(nested));
  sameAsParse5(nested, "tables nested under deep markup");
  const siblings = "<table><tr><td>1</td></tr></table><table><tr><td><table><tr><td>2</td></tr></table></td></tr></table><table><tr><td>3</td></tr></table>";
  assert.ok(fastTree(siblings));
  sameAsParse5(siblings, "a nested table between plain ones");
});

test("the fast path reads what it takes: CRLF, a line feed after <pre>, head metadata, omitted end tags", () => {
  const page = "<html><head><title>标题</title><meta name=\"ContentSource\" content=\"某某局\"></head>\r\n<body><pre>\nx</pre><table><tr><td>1<td>2<tr><td>3<td>4</table><p>a<p>b</body></html>";
  assert.ok(fastTree(page));
  const c = htmlToContent(page, "p.html");
  assert.equal(c.text, "标题: 标题\n发布机构: 某某局\nx\n1 | 2\n3 | 4\na\nb\n");
  assert.deepEqual(c.tables[0].rows, [["1", "2"], ["3", "4"]]);
  sameAsParse5(page, "p.html");
  // An end tag between `<pre>` and a line feed, even one that closes nothing, keeps the line feed.
  for (const html of ["<td>中<pre></dd>&#10;12", "<pre></b>\n12", "<pre>\n12"]) sameAsParse5(html, html);
  // `</body>` first: the body begins, and a title after it is visible, not metadata.
  assert.ok(fastTree("</body><title>中"));
  sameAsParse5("</body><title>中", "</body> first");
});

test("a piece found tidy is what the tidying expressions would leave; isSpace is \\s", () => {
  for (let c = 0; c < 65536; c++) assert.equal(isSpace(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
  const ch = fc.constantFrom(" ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u3000", "\u2003", "\ufeff", "\u200b", "\u2028", "a", "中", "1", "|");
  fc.assert(
    fc.property(fc.array(ch, { maxLength: 8 }).map((a) => a.join("")), (t) => {
      if (isTidy(t, true)) assert.equal(t.replace(/\s+/g, " ").trim(), t);
      if (isTidy(t, false)) assert.equal(t.replace(/[ \t\f\v]+/g, " ").trim(), t);
    }),
    { numRuns: 20_000 },
  );
  assert.ok(isTidy("一、本年新收 12", true) && !isTidy("a  b", true) && !isTidy(" a", false) && isTidy("a\nb", false));
});

/** Every event a tokenizer emits, with its arguments, in order. */
function events(T: typeof Tokenizer, html: string): unknown[][] {
  const out: unknown[][] = [];
  const names = [
    "onattribdata", "onattribentity", "onattribend", "onattribname", "oncdata", "onclosetag", "oncomment", "ondeclaration", "onend",
    "onopentagend", "onopentagname", "onprocessinginstruction", "onselfclosingtag", "ontext", "ontextentity",
  ];
  const cbs = Object.fromEntries(names.map((n) => [n, (...args: unknown[]) => out.push([n, ...args])]));
  const t = new T({ decodeEntities: true }, cbs as unknown as ConstructorParameters<typeof Tokenizer>[1]);
  t.write(html);
  t.end();
  return out;
}

test("the skipping tokenizer emits exactly the stock tokenizer's events, at the same positions", () => {
  const piece = fc.constantFrom(
    "<", ">", "\"", "'", "&", "&amp;", "&#20013;", "&#x4e2d;", "&nbsp", "&notit;", "&lt", "a", "中", "12", " ", "\n", "=", "/",
    "<td", "<td class=\"", "<p style=\"font:12pt;", "\">", " colspan=\"2\"", "<a href='x&y'>", "<title>", "</title>", "<script>",
    "</script>", "<!--", "-->", "<!DOCTYPE html>", "</p>", "<br/>",
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }).map((a) => a.join("")), (html) => {
      assert.deepEqual(events(SkippingTokenizer, html), events(Tokenizer, html), html);
    }),
    { numRuns: 3000 },
  );
  // Real pages, whole.
  for (const f of filesUnder(FIXTURES, ".html")) {
    const html = readFileSync(f, "utf8");
    assert.deepEqual(events(SkippingTokenizer, html), events(Tokenizer, html), f);
  }
});

import { Parser, Tokenizer } from "htmlparser2";

/**
 * A page's element tree in parse5's shape, built by htmlparser2's tokenizer where that gives the
 * same visible text, lines and table grids as parse5 would. parse5 was a third of a report's whole
 * parse time; htmlparser2 with these checks takes about two thirds of it (BENCHMARKS.md).
 *
 * htmlparser2 builds its tree by simpler rules than the HTML standard (which parse5 follows to the
 * letter). The two agree on well-formed pages and on the end tags real pages usually omit (p, li,
 * td, tr, …); they part on foster parenting, the adoption agency, scope, `<select>`, raw-text
 * elements and the head/body insertion modes. Every event is checked against those rules as it
 * arrives, and the first one where the two could read the page differently gives up: `fastTree`
 * returns undefined and the caller parses the page with parse5. `test/html-engines.test.ts` holds
 * the two to the same output on every fixture page and on random tag soup.
 */

/** The few properties of parse5's default tree the walk reads (`#text`, `#document`, elements by tag name). */
export interface DomNode {
  nodeName: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: DomNode[];
  /** On tables built by fastTree: whether a table is nested in it (parse5's trees leave the walk to find out). */
  nestedTable?: boolean;
}

/** Elements whose content is not visible text: the walk skips them whole. */
export const HIDDEN: ReadonlySet<string> = new Set([
  "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "select", "button", "textarea", "canvas", "audio", "video", "map",
]);

// What the checks need to know of a tag, as bits (one map lookup per element).
const UNSAFE = 1; // read by other content rules (raw text, foreign content, frames, templates, void or not)
const HEAD = 1 << 1; // goes in <head> before the body's first content
const SPECIAL = 1 << 2; // the standard's "special" elements: another element's end tag never closes them
const SCOPED_END = 1 << 3; // its end tag closes everything above it when it is in scope
const BOUNDARY = 1 << 4; // bounds the default scope
const TABLE_END = 1 << 5; // its end tag works within the table scope
const HEADING = 1 << 6;
const CLOSES_P_IN_PARSE5 = 1 << 7; // closes an open <p> in parse5, not in htmlparser2
const VOID = 1 << 8;
const HIDES = 1 << 9; // HIDDEN
const TABLE_PART = 1 << 10; // belongs only where TABLE_PARENTS allow
const NO_NESTING = 1 << 11; // parse5 closes or ignores a second one inside the first
const SELECT_CHILD = 1 << 12; // allowed inside <select>
const RAW_RCDATA = 1 << 13; // title, textarea: htmlparser2 mis-decodes a reference after `<`
const WITH_ATTRS = 1 << 14; // the walk reads its attributes

const BITS: [number, string[]][] = [
  [UNSAFE, ["noembed", "noframes", "plaintext", "xmp", "listing", "frameset", "frame", "svg", "math", "template", "image", "isindex", "bgsound", "command", "menuitem", "search", "rb", "rt", "rtc", "rp"]],
  [HEAD, ["title", "meta", "link", "base", "basefont", "style", "script"]],
  [SPECIAL, [
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br", "button", "caption",
    "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer",
    "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img",
    "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript",
    "object", "ol", "p", "param", "plaintext", "pre", "script", "search", "section", "select", "source", "style", "summary",
    "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp",
  ]],
  [SCOPED_END, [
    "address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "pre", "section", "summary", "ul",
    "p", "li", "dd", "dt", "applet", "marquee", "object", "h1", "h2", "h3", "h4", "h5", "h6",
  ]],
  [BOUNDARY, ["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"]],
  [TABLE_END, ["table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"]],
  [HEADING, ["h1", "h2", "h3", "h4", "h5", "h6"]],
  [CLOSES_P_IN_PARSE5, ["center", "dialog", "dir", "hgroup", "menu", "summary", "li", "dd", "dt"]],
  [VOID, ["area", "base", "basefont", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"]],
  [HIDES, [...HIDDEN]],
  [TABLE_PART, ["td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup", "col", "table"]],
  [NO_NESTING, ["form", "a", "nobr", "button"]],
  [SELECT_CHILD, ["option", "optgroup"]],
  [RAW_RCDATA, ["title", "textarea"]],
  [WITH_ATTRS, ["td", "th", "meta"]],
];

/** Which children the table-structure elements may have without parse5 moving or inventing anything. */
const TABLE_CHILDREN: Record<string, string[]> = {
  table: ["caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "script", "style"],
  tbody: ["tr", "script", "style"],
  thead: ["tr", "script", "style"],
  tfoot: ["tr", "script", "style"],
  tr: ["td", "th", "script", "style"],
  colgroup: ["col"],
};
/** Where the table-structure elements may stand. */
const TABLE_PARENTS: Record<string, string[]> = {
  td: ["tr"],
  th: ["tr"],
  tr: ["table", "tbody", "thead", "tfoot"],
  tbody: ["table"],
  thead: ["table"],
  tfoot: ["table"],
  caption: ["table"],
  colgroup: ["table"],
  col: ["table", "colgroup"],
};
/** Start tags that close open elements the way parse5 does (a cell the previous cell, a block an open `<p>`, …). */
const START_CLOSES: Record<string, string[]> = {
  tr: ["tr", "td", "th"],
  td: ["td", "th"],
  th: ["td", "th"],
  tbody: ["thead", "tbody"],
  tfoot: ["thead", "tbody"],
  body: ["head"],
  li: ["li"],
  dd: ["dd", "dt"],
  dt: ["dd", "dt"],
  option: ["option"],
  optgroup: ["option", "optgroup"],
  ...Object.fromEntries(
    ["p", "h1", "h2", "h3", "h4", "h5", "h6", "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "pre", "section", "table", "ul"].map((t) => [t, ["p"]]),
  ),
};

/** A tag as the checks see it; `count` indexes the open-element counters of the tags that have one. */
interface Tag {
  bits: number;
  count: number;
  closes?: ReadonlySet<string>;
  children?: ReadonlySet<string>;
  parents?: ReadonlySet<string>;
}
/** Tags whose open elements are counted: nesting and context checks without walking the stack. */
const COUNTED = ["p", "a", "form", "nobr", "button", "table", "caption", "select", "iframe"] as const;
const C = Object.fromEntries(COUNTED.map((t, i) => [t, i])) as Record<(typeof COUNTED)[number], number>;
const C_HEADING = COUNTED.length;
const C_HIDDEN = COUNTED.length + 1;

const TAGS = new Map<string, Tag>();
const PLAIN: Tag = { bits: 0, count: -1 };
{
  const names = new Set([...BITS.flatMap(([, n]) => n), ...COUNTED, ...Object.keys(START_CLOSES)]);
  for (const name of names) {
    const bits = BITS.reduce((b, [bit, list]) => (list.includes(name) ? b | bit : b), 0);
    const i = COUNTED.indexOf(name as (typeof COUNTED)[number]);
    const set = (r: Record<string, string[]>) => (r[name] ? new Set(r[name]) : undefined);
    TAGS.set(name, { bits, count: i, closes: set(START_CLOSES), children: set(TABLE_CHILDREN), parents: set(TABLE_PARENTS) });
  }
}
const tagOf = (name: string): Tag => TAGS.get(name) ?? PLAIN;

/** How far down the stack a check looks before it gives up on the page (far beyond real pages' nesting). */
const LOOK_DOWN = 64;

/** parse5's whitespace in the tree builder (CR is gone by then). */
const NOT_HTML_SPACE = /[^ \t\n\f]/;

/**
 * Characters the two tokenizers read apart: `</` not followed by a letter (parse5: a bogus comment
 * or nothing; htmlparser2: text or a tag), comments closed early (`<!-->`, `--!>`), U+0000. One
 * expression: separate searches for each scan the page several times and cost twice as much.
 */
const TOKENS_APART = /<(?:\/[^A-Za-z]|!---?>)|--!>|\u0000/;

/** Thrown inside the parser's callbacks to stop at the first event the two parsers could read differently. */
class Diverges {}
const DIVERGES = new Diverges();

/** Receives htmlparser2's events and builds parse5's tree, or gives up. */
class Builder {
  readonly root: DomNode = { nodeName: "#document", childNodes: [] };
  private readonly html: DomNode = { nodeName: "html", childNodes: [] };
  private head: DomNode | undefined;
  private body: DomNode | undefined;
  /** Mirrors htmlparser2's own stack of open elements, bottom first, with each element's tag. */
  private readonly stack: DomNode[] = [];
  private readonly tags: Tag[] = [];
  /** The open tables, innermost last. */
  private readonly tables: DomNode[] = [];
  /** Open elements per counted tag, then headings, then elements the walk skips. */
  private readonly open = new Int32Array(COUNTED.length + 2);
  /** Elements htmlparser2 closed without their end tag, waiting for the tag that closed them. */
  private implied: string[] = [];
  /** parse5 drops a line feed right after `<pre>` or `<textarea>` (the very next token only). */
  dropLf = false;
  /** Elements closed so far (an end tag that closed none was ignored). */
  closes = 0;
  /** `</body>` or `</html>` closed elements parse5 keeps open: nothing visible may follow. */
  private ended = false;

  constructor() {
    this.root.childNodes!.push(this.html);
  }

  private top(): DomNode | undefined {
    return this.stack[this.stack.length - 1];
  }
  private ensureBody(): DomNode {
    return (this.body ??= this.part("body"));
  }
  private ensureHead(): DomNode {
    return (this.head ??= this.part("head"));
  }
  /** A `<head>` or `<body>` parse5 would create at this point, added to the page's `<html>`. */
  private part(nodeName: "head" | "body"): DomNode {
    const node: DomNode = { nodeName, childNodes: [] };
    this.html.childNodes!.push(node);
    return node;
  }
  private count(tag: Tag, by: number): void {
    if (tag.count >= 0) this.open[tag.count] += by;
    if (tag.bits & HEADING) this.open[C_HEADING] += by;
    if (tag.bits & HIDES) this.open[C_HIDDEN] += by;
  }

  // Elements are built at their name, attributes collected one by one for the few elements whose
  // attributes the walk reads: with no `onopentag`, htmlparser2 builds no attribute object per tag.
  onopentagname(name: string): void {
    const tag = tagOf(name);
    // Elements htmlparser2 closed because this tag began: parse5 closes the same ones for these tags.
    if (this.implied.length) {
      if (!tag.closes || this.implied.some((e) => !tag.closes!.has(e))) throw DIVERGES;
      this.implied = [];
    }
    this.dropLf = false;
    const open = this.open;
    const bits = tag.bits;
    if (bits & UNSAFE || open[C.iframe]) throw DIVERGES;
    // parse5 closes an open p (li, dd) below other elements too, htmlparser2 only one on top:
    // that decides what is visible when an element in between hides its content.
    if (open[C_HIDDEN] && tag.closes && this.closesBelowHidden(tag.closes)) throw DIVERGES;
    if (open[C.select] && !(bits & SELECT_CHILD)) throw DIVERGES;
    if (bits & CLOSES_P_IN_PARSE5 && open[C.p]) throw DIVERGES;
    // In a caption parse5 ends the caption (and table) for these; htmlparser2 nests them.
    if (bits & TABLE_PART && open[C.caption]) throw DIVERGES;
    if ((bits & HEADING && open[C_HEADING]) || (bits & NO_NESTING && open[tag.count])) throw DIVERGES;
    if (this.ended && !(bits & HIDES)) throw DIVERGES;

    if (name === "html" || name === "head" || name === "body") return this.structural(name, tag);
    const top = this.top();
    const topTag = this.tags[this.tags.length - 1];
    if (topTag?.children && !topTag.children.has(name)) throw DIVERGES;
    if (tag.parents && !(top && tag.parents.has(top.nodeName))) throw DIVERGES;
    if (name === "noscript" && !this.body) throw DIVERGES;
    // The walk reads attributes of cells (spans) and metadata only.
    const node: DomNode = { nodeName: name, attrs: bits & WITH_ATTRS ? [] : undefined, childNodes: [] };
    if (name === "table") {
      // The nearest open table holds this one (and was itself marked when it opened in another).
      node.nestedTable = false;
      const outer = this.tables[this.tables.length - 1];
      if (outer) outer.nestedTable = true;
      this.tables.push(node);
    }
    this.parentFor(top, bits).childNodes!.push(node);
    this.push(node, tag);
    this.dropLf = name === "pre" || name === "textarea";
  }

  private push(node: DomNode, tag: Tag): void {
    this.stack.push(node);
    this.tags.push(tag);
    this.count(tag, 1);
  }

  onattribute(name: string, value: string): void {
    const attrs = this.top()?.attrs;
    // The first of repeated attributes counts, as in parse5.
    if (attrs && !attrs.some((a) => a.name === name)) attrs.push({ name, value });
  }

  /** Where a new element goes: parse5's head/body insertion modes for anything outside an open element. */
  private parentFor(top: DomNode | undefined, bits: number): DomNode {
    if (top && top !== this.html) {
      if (top === this.head && !(bits & HEAD)) throw DIVERGES; // parse5 ends the head here
      return top;
    }
    if (bits & HEAD && !this.body) return this.ensureHead();
    return this.ensureBody();
  }

  /** `<html>`, `<head>`, `<body>`: only where parse5 would create that element, not merge or ignore it. */
  private structural(name: string, tag: Tag): void {
    const top = this.top();
    if (name === "html") {
      if (top) throw DIVERGES;
      this.push(this.html, tag);
    } else if (name === "head") {
      if (this.head || this.body || (top && top !== this.html)) throw DIVERGES;
      this.push(this.ensureHead(), tag);
    } else {
      if (this.body || (top && top !== this.html)) throw DIVERGES;
      this.push(this.ensureBody(), tag);
    }
  }

  /**
   * True when an element of `closable` is open below an element that hides its content (or the
   * stack is too deep to tell cheaply: one bounded look per element keeps hostile pages linear).
   */
  private closesBelowHidden(closable: ReadonlySet<string>): boolean {
    let hiding = false;
    const stop = Math.max(0, this.stack.length - LOOK_DOWN);
    for (let i = this.stack.length - 1; i >= stop; i--) {
      if (closable.has(this.stack[i].nodeName)) return hiding;
      if (this.tags[i].bits & HIDES) hiding = true;
    }
    return stop > 0;
  }

  onclosetag(name: string, isImplied: boolean): void {
    const node = this.stack.pop();
    const tag = this.tags.pop()!;
    if (!node || node.nodeName !== name) throw DIVERGES;
    if (name === "table") this.tables.pop();
    this.closes++;
    this.count(tag, -1);
    this.dropLf = false;
    if (tag.bits & VOID) return;
    if (isImplied) this.implied.push(name);
    else if (this.implied.length) {
      // An end tag closed `implied` (innermost first) before its own element.
      this.closedBy(name, tag, this.implied);
      this.implied = [];
    }
  }

  /** parse5 closes elements for an end tag only within the scope rules of that kind of end tag. */
  private closedBy(name: string, tag: Tag, implied: string[]): void {
    if (this.open[C.select]) throw DIVERGES;
    if (name === "html" || name === "body") {
      // parse5 leaves them open (`</html>` closing an open body is the same for both): what
      // follows goes in the innermost of them there, in the body here. Only nothing visible may.
      if (!(name === "html" && implied.length === 1 && implied[0] === "body")) this.ended = true;
      return;
    }
    if (name === "head" || name === "form" || name === "colgroup") throw DIVERGES;
    for (const e of implied) {
      const bits = tagOf(e).bits;
      if (e === "select" || e === "form") throw DIVERGES;
      if (tag.bits & TABLE_END) {
        if (e === "table") throw DIVERGES;
      } else if (tag.bits & SCOPED_END) {
        if (bits & BOUNDARY || (name === "li" && (e === "ol" || e === "ul")) || (name === "p" && e === "button") || (tag.bits & HEADING && bits & HEADING)) throw DIVERGES;
      } else if (bits & SPECIAL) throw DIVERGES;
    }
  }

  /** Whether `beforeEnd` needs the end tag's name (the parser reads it only then). */
  get watchesEnds(): boolean {
    return this.open[C.iframe] > 0 || !this.body;
  }

  /** Before htmlparser2 handles an end tag, inside an iframe or before the body. */
  beforeEnd(name: string): void {
    if (this.open[C.iframe] && name !== "iframe") throw DIVERGES;
    if (this.body) return;
    // Before the body parse5 ignores `</p>` (htmlparser2 makes an empty paragraph of it), and
    // `</body>`, `</html>` or `</br>` there begin the body.
    if (name === "p") throw DIVERGES;
    if (name === "body" || name === "html" || name === "br") {
      if (this.top() && this.top() !== this.html) throw DIVERGES;
      this.ensureBody();
    }
  }

  /**
   * An end tag htmlparser2 ignored (its element is not open): parse5 ignores it too, except for
   * headings (any open one closes) and `</tbody>` (parse5 puts rows written straight into a table
   * in a tbody of its own).
   */
  ignoredEnd(name: string): void {
    if (name === "tbody" && this.open[C.table]) throw DIVERGES;
    if (HEADING & tagOf(name).bits && this.open[C_HEADING]) throw DIVERGES;
    if (this.open[C.select] && name !== "option" && name !== "optgroup" && name !== "select") throw DIVERGES;
  }

  ontext(data: string): void {
    if (this.dropLf) {
      this.dropLf = false;
      if (data.charCodeAt(0) === 10) data = data.slice(1);
      if (data === "") return;
    }
    const top = this.top();
    if (this.ended && NOT_HTML_SPACE.test(data)) throw DIVERGES;
    let parent: DomNode;
    if (!top || top === this.html) {
      // Outside any element: parse5 drops whitespace before the body and puts the rest in it.
      if (!this.body && !NOT_HTML_SPACE.test(data)) return;
      parent = this.ensureBody();
    } else if (top === this.head) {
      if (NOT_HTML_SPACE.test(data)) throw DIVERGES; // parse5 ends the head here
      return;
    } else {
      const tag = this.tags[this.tags.length - 1];
      if (tag.children && NOT_HTML_SPACE.test(data)) throw DIVERGES; // parse5 moves it before the table
      // htmlparser2 leaves a character reference after a `<` in a title undecoded.
      if (tag.bits & RAW_RCDATA && data.includes("<")) throw DIVERGES;
      // `<!--` then `<script` inside a script: parse5 reads past the next `</script>` (the
      // standard's double-escaped state), htmlparser2 stops there.
      if (top.nodeName === "script" && data.includes("<!--") && /<script[\s/>]/i.test(data)) throw DIVERGES;
      parent = top;
    }
    const children = parent.childNodes!;
    const last = children[children.length - 1];
    if (last?.nodeName === "#text") last.value += data;
    else children.push({ nodeName: "#text", value: data });
  }

  oncomment(): void {
    if (this.open[C.iframe]) throw DIVERGES;
    this.dropLf = false;
  }
  onprocessinginstruction(): void {
    if (this.open[C.iframe]) throw DIVERGES;
    this.dropLf = false;
  }
  onend(): void {
    this.implied = [];
  }
}

/** The parts of htmlparser2's tokenizer the skipping below uses (private in its type declarations). */
interface TokenizerInternals {
  buffer: string;
  offset: number;
  index: number;
  stateText(c: number): void;
  stateInAttributeValueDoubleQuotes(c: number): void;
}

/**
 * htmlparser2's tokenizer, moving through text and double-quoted attribute values in one loop to
 * the next character that does something there (`<` or `&` in text, `"` or `&` in a value). The
 * stock one takes each character through its state switch, a no-op call for all of these: they are
 * most of a page (Chinese text, Word's long style attributes), and the tree costs 10–12 % less.
 * States, events and positions are exactly the stock tokenizer's (`html-engines.test.ts`); if a
 * later htmlparser2 renames these states, the stock tokenizer runs.
 */
export class SkippingTokenizer extends Tokenizer {}
const LT = 0x3c;
const AMP = 0x26;
const DQ = 0x22;
{
  const base = Tokenizer.prototype as unknown as TokenizerInternals;
  const own = SkippingTokenizer.prototype as unknown as TokenizerInternals;
  /** Leaves `index` before the next `a` or `b` (or the end): the tokenizer's loop steps onto it. */
  const skip = (t: TokenizerInternals, a: number, b: number) => {
    const buf = t.buffer;
    let i = t.index - t.offset + 1;
    for (const n = buf.length; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (c === a || c === b) break;
    }
    t.index = i + t.offset - 1;
  };
  const { stateText, stateInAttributeValueDoubleQuotes } = base;
  if (typeof stateText === "function" && typeof stateInAttributeValueDoubleQuotes === "function") {
    own.stateText = function (this: TokenizerInternals, c: number) {
      if (c === LT || c === AMP) stateText.call(this, c);
      else skip(this, LT, AMP);
    };
    own.stateInAttributeValueDoubleQuotes = function (this: TokenizerInternals, c: number) {
      if (c === DQ || c === AMP) stateInAttributeValueDoubleQuotes.call(this, c);
      else skip(this, DQ, AMP);
    };
  }
}
/** htmlparser2, telling the builder of end tags it ignores. */
class WatchedParser extends Parser {
  constructor(
    private readonly builder: Builder,
    private readonly source: string,
  ) {
    super(builder, { decodeEntities: true, Tokenizer: SkippingTokenizer });
  }
  // The tokenizer's end-tag event (public, marked internal): the builder's callbacks alone do not
  // see an end tag that closed nothing.
  override onclosetag(start: number, endIndex: number): void {
    const b = this.builder;
    const name = () => this.source.slice(start, endIndex).toLowerCase();
    b.dropLf = false;
    if (b.watchesEnds) b.beforeEnd(name());
    const closes = b.closes;
    super.onclosetag(start, endIndex);
    if (b.closes === closes) b.ignoredEnd(name());
  }
}

/** The page's tree in parse5's shape, or undefined where parse5 could read it differently. */
export function fastTree(html: string): DomNode | undefined {
  // A page cut off inside a tag: parse5 drops the tag, htmlparser2 keeps part of it as text.
  if (TOKENS_APART.test(html) || html.lastIndexOf("<") > html.lastIndexOf(">")) return undefined;
  // CR and CRLF are line feeds to parse5.
  if (html.includes("\r")) html = html.replace(/\r\n?/g, "\n");
  const builder = new Builder();
  try {
    new WatchedParser(builder, html).end(html);
  } catch (e) {
    if (e === DIVERGES) return undefined;
    throw e;
  }
  return builder.root;
}

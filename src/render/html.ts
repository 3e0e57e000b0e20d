import type { Block, LayoutCell } from "./layout.js";

/**
 * HTML writers over the layout: a clean, well-formed document (for people and for the
 * authoring capability), and the Word-exported dialect real sites publish (MsoNormalTable,
 * `<o:p>`, list-number comments, vertical headers with one character per paragraph).
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const spans = (c: LayoutCell) => `${c.rowspan && c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ""}${c.colspan && c.colspan > 1 ? ` colspan="${c.colspan}"` : ""}`;

export function blocksToHtml(blocks: Block[], charset: string): string {
  const title = blocks.find((b) => b.kind === "title")?.text ?? "";
  const body = blocks.map((b) => {
    if (b.kind === "title") return `<h1>${escapeHtml(b.text)}</h1>`;
    if (b.kind === "heading") return `<h2>${escapeHtml(b.text)}</h2>`;
    if (b.kind === "para") return `<p>${escapeHtml(b.text)}</p>`;
    const rows = b.rows.map((row) => `<tr>${row.map((c) => {
      const tag = c.role === "header" || c.role === "caption" ? "th" : "td";
      return `<${tag}${spans(c)}>${escapeHtml(c.text)}</${tag}>`;
    }).join("")}</tr>`);
    return `<table data-table="${escapeHtml(b.name)}">\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
  });
  return [
    "<!DOCTYPE html>",
    '<html lang="zh-CN">',
    "<head>",
    `<meta charset="${charset}">`,
    `<title>${escapeHtml(title)}</title>`,
    "<style>table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #000;padding:2px 6px;text-align:center}th{font-weight:normal}</style>",
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Table-四 column labels and similar short headers Word lays out vertically, one character per line. */
const VERTICAL = /^[\u4e00-\u9fff]{4}$/;

/** A leading ordinal that Word keeps as an automatic list number (`1.`, `一、`, `（三）`). */
const LIST_NUMBER = /^((?:[一二三四五六七八九十]+、)|(?:（[一二三四五六七八九十]+）)|(?:\d+\.))(.+)$/;

function wordRuns(text: string): string {
  const m = LIST_NUMBER.exec(text);
  if (!m) return `<span style='font-size:10.5pt;font-family:仿宋_GB2312'>${escapeHtml(text)}</span>`;
  return `<!--[if !supportLists]--><span style='font-size:10.5pt;mso-list:Ignore'>${escapeHtml(m[1])}<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><!--[endif]--><span style='font-size:10.5pt;font-family:仿宋_GB2312'>${escapeHtml(m[2])}</span>`;
}

function wordCell(c: LayoutCell, vertical: boolean): string {
  const p = (inner: string) => `<p class=MsoNormal align=center style='text-align:center;mso-pagination:widow-orphan'>${inner}<span lang=EN-US style='font-size:10.5pt'><o:p></o:p></span></p>`;
  let inner: string;
  if (c.text === "") inner = p("<span lang=EN-US style='font-size:10.5pt'>&nbsp;</span>");
  else if (vertical) inner = [...c.text].map((ch) => p(`<span style='font-size:10.5pt'>${escapeHtml(ch)}</span>`)).join("\n    ");
  else inner = p(c.role === "label" ? wordRuns(c.text) : `<span style='font-size:10.5pt'>${escapeHtml(c.text)}</span>`);
  return `  <td${spans(c)} valign=center style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>\n    ${inner}\n  </td>`;
}

export function blocksToWordHtml(blocks: Block[], charset: string): string {
  const title = blocks.find((b) => b.kind === "title")?.text ?? "";
  const body = blocks.map((b) => {
    if (b.kind === "title") return `<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>${escapeHtml(b.text)}<span lang=EN-US><o:p></o:p></span></span></b></p>`;
    if (b.kind === "heading") {
      const m = LIST_NUMBER.exec(b.text);
      const text = m ? m[2] : b.text;
      const num = m ? `<!--[if !supportLists]--><span style='font-family:黑体;mso-list:Ignore'>${escapeHtml(m[1])}</span><!--[endif]-->` : "";
      return `<p class=MsoListParagraph style='margin-left:0cm;text-indent:32.0pt;mso-list:l0 level1 lfo1'>${num}<span style='font-size:16.0pt;font-family:黑体'>${escapeHtml(text)}<span lang=EN-US><o:p></o:p></span></span></p>`;
    }
    if (b.kind === "para") return `<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>${escapeHtml(b.text)}<span lang=EN-US><o:p></o:p></span></span></p>`;
    const rows = b.rows.map((row, i) => {
      // The column labels of table 四 (three header rows) are printed one character per paragraph.
      const vertical = (c: LayoutCell) => b.name === "四" && c.role === "header" && i > 0 && VERTICAL.test(c.text);
      return ` <tr style='mso-yfti-irow:${i}${i === 0 ? ";mso-yfti-firstrow:yes" : ""}'>\n${row.map((c) => wordCell(c, vertical(c))).join("\n")}\n </tr>`;
    });
    return `<div align=center>\n<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>\n${rows.join("\n")}\n</table>\n</div>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>`;
  });
  return [
    "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">",
    "<head>",
    `<meta http-equiv=Content-Type content="text/html; charset=${charset}">`,
    "<meta name=ProgId content=Word.Document>",
    "<meta name=Generator content=\"Microsoft Word 15\">",
    `<title>${escapeHtml(title)}</title>`,
    "<!--[if gte mso 9]><xml>\n <w:WordDocument>\n  <w:View>Normal</w:View>\n  <w:Zoom>0</w:Zoom>\n </w:WordDocument>\n</xml><![endif]-->",
    "<style>\n<!--\n p.MsoNormal {margin:0cm;text-align:justify;font-size:10.5pt;font-family:\"Times New Roman\";}\n table.MsoNormalTable {mso-style-name:普通表格;mso-padding-alt:0cm 5.4pt 0cm 5.4pt;}\n@list l0 {mso-list-id:1;}\n-->\n</style>",
    "</head>",
    "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>",
    "<div class=WordSection1 style='layout-grid:15.6pt'>",
    ...body,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

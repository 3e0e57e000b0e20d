import { strToU8, zipSync } from "fflate";
import { pdfPages } from "../pdf.js";
import type { FixedPage, Item } from "../layout.js";

/**
 * How a producer writes its OFD. Real ones differ in just these ways:
 * - "runs": a TextObject per run of text, its Boundary around the run, the advances in DeltaX
 *   (with `g` runs); table rules as stroked lines; the `ofd:` prefix; relative BaseLocs.
 * - "glyphs": every character its own TextCode with X and Y, inside PageBlocks; the text set in
 *   points and scaled to millimetres by a CTM; rules as thin filled rectangles; no prefix
 *   (default namespace); absolute BaseLocs.
 * - "lines": a whole line (a table row with it) as one TextCode, the gaps between its cells only
 *   in DeltaX.
 */
export type OfdStyle = "runs" | "glyphs" | "lines";

const MM = 72 / 25.4;
const r = (v: number) => Number(v.toFixed(3));
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** DeltaX with equal neighbours folded into `g n v`, as producers compress it. */
function deltaX(values: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    out.push(j - i > 2 ? `g ${j - i} ${values[i]}` : Array(j - i).fill(values[i]).join(" "));
    i = j;
  }
  return out.join(" ");
}

const FULL = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** The characters of a run and their x positions (mm): its advance shared as glyphs share it, a CJK character twice a Latin one. */
function glyphs(it: Item): [string, number][] {
  const chars = [...it.s];
  const weight = chars.map((c) => (FULL.test(c) ? 2 : 1));
  const unit = it.w / weight.reduce((a, b) => a + b, 0);
  let x = it.x;
  return chars.map((c, k) => {
    const at = x;
    x += weight[k] * unit;
    return [c, at / MM];
  });
}

function pageXml(page: FixedPage, style: OfdStyle, ns: string): string {
  const H = page.height / MM;
  const top = (y: number) => r(H - y / MM);
  const objects: string[] = [];
  let id = 100;
  if (style === "lines") {
    const lines = new Map<number, Item[]>();
    for (const it of page.items) lines.set(it.y, [...(lines.get(it.y) ?? []), it]);
    for (const [y, items] of lines) {
      const g = items.sort((a, b) => a.x - b.x).flatMap(glyphs);
      const size = r(items[0].size / MM);
      const dx = g.slice(1).map(([, x], k) => r(x - g[k][1]));
      objects.push(`<${ns}TextObject ID="${id++}" Boundary="0 0 ${r(page.width / MM)} ${r(H)}" Font="1" Size="${size}"><${ns}TextCode X="${r(g[0][1])}" Y="${top(y)}" DeltaX="${deltaX(dx)}">${esc(g.map(([c]) => c).join(""))}</${ns}TextCode></${ns}TextObject>`);
    }
  } else {
    for (const it of page.items) {
      const size = it.size / MM;
      const g = glyphs(it);
      if (style === "runs") {
        const x0 = it.x / MM;
        const y0 = top(it.y) - size;
        const dx = g.slice(1).map(([, x], k) => r(x - g[k][1]));
        objects.push(`<${ns}TextObject ID="${id++}" Boundary="${r(x0)} ${r(y0)} ${r(it.w / MM + size)} ${r(size * 1.3)}" Font="1" Size="${r(size)}"><${ns}TextCode X="0" Y="${r(size)}" DeltaX="${deltaX(dx)}">${esc(it.s)}</${ns}TextCode></${ns}TextObject>`);
      } else {
        // Size in points, the CTM scaling points to millimetres: positions are in points too.
        const codes = g.map(([c, x]) => `<TextCode X="${r(x * MM)}" Y="${r(top(it.y) * MM)}">${esc(c)}</TextCode>`).join("");
        objects.push(`<PageBlock ID="${id++}"><TextObject ID="${id++}" Boundary="0 0 ${r(page.width / MM)} ${r(H)}" CTM="${r(1 / MM)} 0 0 ${r(1 / MM)} 0 0" Font="1" Size="${r(it.size)}">${codes}</TextObject></PageBlock>`);
      }
    }
  }
  for (const rule of page.rules) {
    const x = rule.x1 / MM;
    const y = top(Math.max(rule.y1, rule.y2));
    const w = (rule.x2 - rule.x1) / MM;
    const h = Math.abs(rule.y2 - rule.y1) / MM;
    if (style === "glyphs") {
      // A 0.2 mm filled rectangle along the rule.
      const [bw, bh] = h ? [0.2, h] : [w, 0.2];
      objects.push(`<PathObject ID="${id++}" Boundary="${r(x - (h ? 0.1 : 0))} ${r(y - (h ? 0 : 0.1))} ${r(bw)} ${r(bh)}" Fill="true" Stroke="false"><AbbreviatedData>M 0 0 L ${r(bw)} 0 L ${r(bw)} ${r(bh)} L 0 ${r(bh)} C</AbbreviatedData></PathObject>`);
    } else {
      objects.push(`<${ns}PathObject ID="${id++}" Boundary="${r(x)} ${r(y)} ${r(w || 1)} ${r(h || 1)}" LineWidth="0.25"><${ns}AbbreviatedData>M 0 0 L ${r(w)} ${r(h)}</${ns}AbbreviatedData></${ns}PathObject>`);
    }
  }
  const xmlns = ns ? `xmlns:ofd="http://www.ofdspec.org/2016"` : `xmlns="http://www.ofdspec.org/2016"`;
  return `<?xml version="1.0" encoding="UTF-8"?><${ns}Page ${xmlns}><${ns}Area><${ns}PhysicalBox>0 0 ${r(page.width / MM)} ${r(H)}</${ns}PhysicalBox></${ns}Area><${ns}Template TemplateID="2" ZOrder="Background"/><${ns}Content><${ns}Layer ID="3">${objects.join("")}</${ns}Layer></${ns}Content></${ns}Page>`;
}

/** An OFD package of pages (as `pdfPages` reads them), written in one producer's style. */
export function ofdOfPages(pages: FixedPage[], style: OfdStyle): Uint8Array {
  const ns = style === "glyphs" ? "" : "ofd:";
  const xmlns = ns ? `xmlns:ofd="http://www.ofdspec.org/2016"` : `xmlns="http://www.ofdspec.org/2016"`;
  const loc = (k: number) => (style === "glyphs" ? `/Doc_0/Pages/Page_${k}/Content.xml` : `Pages/Page_${k}/Content.xml`);
  const files: Record<string, Uint8Array> = {
    "OFD.xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><${ns}OFD ${xmlns} Version="1.0" DocType="OFD"><${ns}DocBody><${ns}DocInfo><${ns}DocID>0</${ns}DocID></${ns}DocInfo><${ns}DocRoot>Doc_0/Document.xml</${ns}DocRoot></${ns}DocBody></${ns}OFD>`),
    "Doc_0/PublicRes.xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><${ns}Res ${xmlns} BaseLoc="Res"><${ns}Fonts><${ns}Font ID="1" FontName="宋体" FamilyName="宋体"/></${ns}Fonts></${ns}Res>`),
    // A background template on every page: a rule under the letterhead, no text.
    "Doc_0/Tpls/Tpl_0/Content.xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><${ns}Page ${xmlns}><${ns}Content><${ns}Layer ID="4"><${ns}PathObject ID="5" Boundary="20 12 170 1"><${ns}AbbreviatedData>M 0 0 L 170 0</${ns}AbbreviatedData></${ns}PathObject></${ns}Layer></${ns}Content></${ns}Page>`),
  };
  pages.forEach((p, k) => { files[`Doc_0/Pages/Page_${k}/Content.xml`] = strToU8(pageXml(p, style, ns)); });
  const a4 = `0 0 ${r(pages[0]?.width / MM || 210)} ${r(pages[0]?.height / MM || 297)}`;
  files["Doc_0/Document.xml"] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><${ns}Document ${xmlns}><${ns}CommonData><${ns}MaxUnitID>999</${ns}MaxUnitID><${ns}PageArea><${ns}PhysicalBox>${a4}</${ns}PhysicalBox></${ns}PageArea><${ns}PublicRes>PublicRes.xml</${ns}PublicRes><${ns}TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></${ns}CommonData><${ns}Pages>${pages.map((_, k) => `<${ns}Page ID="${10 + k}" BaseLoc="${loc(k)}"/>`).join("")}</${ns}Pages></${ns}Document>`);
  return zipSync(files);
}

/** A PDF's pages, as pdfjs reads them, written as an OFD: the same layout in the other format. */
export async function ofdOfPdf(pdf: Uint8Array, style: OfdStyle): Promise<Uint8Array> {
  return ofdOfPages(await pdfPages(pdf, "in.pdf"), style);
}

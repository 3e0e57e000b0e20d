// One-off generator: copies the holiday and make-up-day data of the npm package `chinese-days`
// into project-owned files data/calendar/<year>.json, each day tagged with the State Council
// notice that fixes it. Run: node --import tsx scripts/calendar-from-chinese-days.ts [from] [to]
// The shipped files are the source of truth afterwards; this script is kept so the copy can be
// redone when the package publishes a new year, and the result reviewed as a diff.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("chinese-days/package.json"));
const pkgVersion = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
const outDir = new URL("../data/calendar/", import.meta.url);

interface Notice { number: string; title: string; issued: string; url: string }

// Notice numbers and issue dates: the gov.cn pages named by `url` (the addresses chinese-days
// cites) are the authority; 2025 and 2026 checked against the published text.
const NOTICES: Record<string, Notice> = {
  "2008": { number: "国办发明电〔2007〕52号", title: "国务院办公厅关于2008年部分节假日安排的通知", issued: "2007-12-15", url: "http://www.gov.cn/zwgk/2007-12/18/content_837184.htm" },
  "2009": { number: "国办发明电〔2008〕42号", title: "国务院办公厅关于2009年部分节假日安排的通知", issued: "2008-12-04", url: "http://www.gov.cn/zwgk/2008-12/10/content_1174014.htm" },
  "2010": { number: "国办发明电〔2009〕27号", title: "国务院办公厅关于2010年部分节假日安排的通知", issued: "2009-12-08", url: "http://www.gov.cn/zwgk/2009-12/08/content_1482691.htm" },
  "2011": { number: "国办发明电〔2010〕40号", title: "国务院办公厅关于2011年部分节假日安排的通知", issued: "2010-12-10", url: "http://www.gov.cn/zwgk/2010-12/10/content_1762643.htm" },
  "2012": { number: "国办发明电〔2011〕45号", title: "国务院办公厅关于2012年部分节假日安排的通知", issued: "2011-12-06", url: "http://www.gov.cn/zwgk/2011-12/06/content_2012097.htm" },
  "2013": { number: "国办发明电〔2012〕33号", title: "国务院办公厅关于2013年部分节假日安排的通知", issued: "2012-12-08", url: "http://www.gov.cn/zwgk/2012-12/10/content_2286598.htm" },
  "2014": { number: "国办发明电〔2013〕28号", title: "国务院办公厅关于2014年部分节假日安排的通知", issued: "2013-12-11", url: "http://www.gov.cn/zwgk/2013-12/11/content_2546204.htm" },
  "2015": { number: "国办发明电〔2014〕28号", title: "国务院办公厅关于2015年部分节假日安排的通知", issued: "2014-12-16", url: "http://www.gov.cn/zhengce/content/2014-12/16/content_9302.htm" },
  "2015-victory": { number: "国发明电〔2015〕1号", title: "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知", issued: "2015-05-13", url: "http://www.gov.cn/zhengce/content/2015-05/13/content_9742.htm" },
  "2016": { number: "国办发明电〔2015〕18号", title: "国务院办公厅关于2016年部分节假日安排的通知", issued: "2015-12-10", url: "http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm" },
  "2017": { number: "国办发明电〔2016〕17号", title: "国务院办公厅关于2017年部分节假日安排的通知", issued: "2016-12-01", url: "http://www.gov.cn/zhengce/content/2016-12/01/content_5141603.htm" },
  "2018": { number: "国办发明电〔2017〕12号", title: "国务院办公厅关于2018年部分节假日安排的通知", issued: "2017-11-30", url: "http://www.gov.cn/zhengce/content/2017-11/30/content_5243579.htm" },
  "2019": { number: "国办发明电〔2018〕15号", title: "国务院办公厅关于2019年部分节假日安排的通知", issued: "2018-12-04", url: "http://www.gov.cn/xinwen/2018-12/06/content_5346287.htm" },
  "2019-labour": { number: "国办发明电〔2019〕3号", title: "国务院办公厅关于调整2019年劳动节假期安排的通知", issued: "2019-03-22", url: "http://www.gov.cn/zhengce/content/2019-03/22/content_5375877.htm" },
  "2020": { number: "国办发明电〔2019〕16号", title: "国务院办公厅关于2020年部分节假日安排的通知", issued: "2019-11-21", url: "http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm" },
  "2020-extension": { number: "国办发明电〔2020〕1号", title: "国务院办公厅关于延长2020年春节假期的通知", issued: "2020-01-27", url: "http://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm" },
  "2021": { number: "国办发明电〔2020〕27号", title: "国务院办公厅关于2021年部分节假日安排的通知", issued: "2020-11-25", url: "http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm" },
  "2022": { number: "国办发明电〔2021〕11号", title: "国务院办公厅关于2022年部分节假日安排的通知", issued: "2021-10-25", url: "http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm" },
  "2023": { number: "国办发明电〔2022〕16号", title: "国务院办公厅关于2023年部分节假日安排的通知", issued: "2022-12-08", url: "http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm" },
  "2024": { number: "国办发明电〔2023〕7号", title: "国务院办公厅关于2024年部分节假日安排的通知", issued: "2023-10-25", url: "https://www.gov.cn/zhengce/content/202310/content_6911527.htm" },
  "2025": { number: "国办发明电〔2024〕12号", title: "国务院办公厅关于2025年部分节假日安排的通知", issued: "2024-11-12", url: "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm" },
  "2026": { number: "国办发明电〔2025〕7号", title: "国务院办公厅关于2026年部分节假日安排的通知", issued: "2025-11-04", url: "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm" },
};

/** Which notice fixes a given day (the arrangement year is the next one for late-December 元旦 days). */
function noticeKey(date: string, name: string): string {
  const year = Number(date.slice(0, 4));
  const arrangementYear = date.slice(5, 7) === "12" && name === "元旦" ? year + 1 : year;
  if (arrangementYear === 2015 && name.startsWith("中国人民抗日战争")) return "2015-victory";
  if (arrangementYear === 2019 && name === "劳动节") return "2019-labour";
  if (arrangementYear === 2020 && name === "春节" && date >= "2020-01-31" && date <= "2020-02-02") return "2020-extension";
  return String(arrangementYear);
}

/** One day or notice per line, so a reviewer reads a year at a glance and diffs stay small. */
function formatYear(file: { year: number; notices: Notice[]; holidays: object[]; workdays: object[]; source: string }): string {
  const list = (xs: object[]) => xs.length ? `[\n    ${xs.map((x) => JSON.stringify(x)).join(",\n    ")}\n  ]` : "[]";
  return `{\n  "year": ${file.year},\n  "notices": ${list(file.notices)},\n  "holidays": ${list(file.holidays)},\n  "workdays": ${list(file.workdays)},\n  "source": ${JSON.stringify(file.source)}\n}\n`;
}

const from = Number(process.argv[2] ?? 2008);
const to = Number(process.argv[3] ?? 2026);
mkdirSync(outDir, { recursive: true });
for (let year = from; year <= to; year++) {
  const raw = JSON.parse(readFileSync(join(pkgDir, "dist", "years", `${year}.json`), "utf8")) as { holidays: Record<string, string>; workdays: Record<string, string> };
  const used = new Set<string>();
  const entries = (m: Record<string, string>) => Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([date, v]) => {
    const name = v.split(",")[1];
    const key = noticeKey(date, name);
    const notice = NOTICES[key];
    if (!notice) throw new Error(`no notice for ${date} (${key})`);
    used.add(key);
    return { date, name, notice: notice.number };
  });
  const holidays = entries(raw.holidays);
  const workdays = entries(raw.workdays);
  const file = {
    year,
    notices: [...used].sort().map((k) => NOTICES[k]),
    holidays,
    workdays,
    source: `chinese-days@${pkgVersion} dist/years/${year}.json`,
  };
  writeFileSync(new URL(`${year}.json`, outDir), formatYear(file));
}
console.log(`wrote ${to - from + 1} years to data/calendar/`);

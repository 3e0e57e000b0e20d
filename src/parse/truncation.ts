import type { Finding, Generation } from "../model/index.js";
import { squeezeText } from "./normalise.js";
import type { TableRead } from "./texttables.js";

/**
 * A capture that stops mid-table (spec §7 item 15): the statutory tables start but their end is
 * never reached. Reported as an error finding; the values read so far are kept.
 */

const PRE2019_STARTS = ["指标名称", "统计指标"];
/** Rows every pre-2019 statistics table ends with or after (复议/诉讼 counts). */
const PRE2019_ENDS = ["诉讼"];
/** Headings of the last statutory sections of the 2019/2021 formats (五、存在的主要问题…, 六、其他需要报告的事项). */
const LATE_SECTIONS = ["存在的主要问题", "存在问题", "其他需要报告的事项"];

export function truncation(text: string, generation: Generation | null, read: TableRead | undefined): Finding | undefined {
  const sq = squeezeText(text);
  let cut = false;
  if (read) {
    const started = read.seen.t2 || read.seen.t3 || read.seen.t4;
    if (read.seen.t3 && !(read.complete.t3 && read.complete.t4)) cut = true;
    else if (read.seen.t2 && !read.seen.t3 && !read.seen.t4) cut = true;
    else if (started && !read.seen.t3 && read.seen.t4 === false) cut = true;
  } else if (generation === "pre2019") {
    const start = Math.max(...PRE2019_STARTS.map((k) => sq.indexOf(k)));
    if (start >= 0 && !PRE2019_ENDS.some((k) => sq.indexOf(k, start) >= 0)) cut = true;
  }
  if (cut) {
    return {
      rule: "INCOMPLETE",
      severity: "error",
      message: "报告不完整：统计表在结束前中断，只读出了前面的部分 (incomplete report: the statistics tables stop before their end)",
    };
  }
  // A capture that stops before the tables: no table 三 and none of the closing sections either.
  // (Reports that state table 三 in prose still have their sections 五 and 六.)
  if ((generation === "2019" || generation === "2021") && !read?.seen.t3 && !LATE_SECTIONS.some((k) => sq.includes(k))) {
    return {
      rule: "INCOMPLETE",
      severity: "error",
      message: "报告不完整：正文在统计表之前中断，没有表三及第五、六部分 (incomplete report: the text stops before the statistics tables and sections 五/六)",
    };
  }
  return undefined;
}

/**
 * gongkai requests — the register of disclosure applications (依申请公开) under the statute:
 * working-day calendar, deadlines with explanations, fees, events, tables 三/四 computed from
 * the register, locked years, spreadsheet import/export. Pure engine first (calendar, deadline,
 * fees, register, tables), persistence on the store (`openRegister`).
 */
export { WorkCalendar, checkCalendarYear, type CalendarYearData, type CalendarNotice, type CalendarDayEntry, type DayInfo, type DayKind } from "./calendar.js";
export { readCalendarDir, shippedCalendar, SHIPPED_CALENDAR_DIR } from "./calendar-data.js";
export { isIsoDate, todayInChina, type IsoDate } from "./dates.js";
export { computeDeadline, deadlineOf, addWorkingDays, workingDaysBetween, type Deadline, type Line } from "./deadline.js";
export { perApplicationFee, perApplicationRate, perApplicationMonthTotal, perPageFee, type FeeQuote } from "./fees.js";
export {
  APPLICANT_TYPES, CHANNELS, OUTCOMES, REVIEW_RESULTS, EVENT_KINDS, RECEIPT_RULES, RULES_2019_FROM,
  replay, rulesFor, periods, checkApplication,
  type Application, type Applicant, type ApplicantType, type Channel, type Outcome, type RequestEvent, type EventKind, type ApplicationState, type ReviewResult, type Status,
} from "./register.js";
export { computeTables, tablesAsReport, diffTables, emptyTables, type RegisterEntry } from "./tables.js";
export { openRegister, RequestRegister, type Entry, type ChangeOptions, type CorrectionRecord, type Redating } from "./register-store.js";
export { requestsMigrations } from "./migrations.js";
export { importRegister, exportRegister, readRegisterFile, writeRegisterFile, COLUMNS, PERSONAL_COLUMNS } from "./io.js";
export { formatProblem, RequestsError, type Problem, type Result } from "./problems.js";

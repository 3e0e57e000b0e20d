/**
 * A page saved "complete" keeps its pictures, scripts and frames in a folder beside it, named for
 * it: `报告.html` + `报告_files` (browsers), `报告.files` or `报告_files` (Word's web page). The
 * frames there (Chrome's `saved_resource.html`, Word's `header.htm`) are parts of that page, not
 * reports of their own: folder walks and zip bundles skip such a folder when its page is beside it.
 */
const COMPANION = /^(.*)(?:_files|\.files)$/i;
const PAGE = /\.(html?|shtml|mht|mhtml)$/i;

/** The page a folder would belong to (its name without `_files`/`.files`), lower-cased; undefined for other folders. */
export function companionOf(folder: string): string | undefined {
  return COMPANION.exec(folder)?.[1].toLowerCase();
}

/** A saved page's path or name without its extension, lower-cased; undefined for other files. */
export function pageStem(file: string): string | undefined {
  return PAGE.test(file) ? file.replace(PAGE, "").toLowerCase() : undefined;
}

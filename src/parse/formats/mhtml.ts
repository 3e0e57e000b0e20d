import PostalMime from "postal-mime";
import { checkDocumentSize, InputError, MAX_TEXT_BYTES } from "../decode.js";
import { toDocument, type Document } from "../document.js";

/**
 * A web page saved as one file (MHTML, `.mht`/`.mhtml`: Chrome's and Edge's 「网页，单个文件」,
 * Internet Explorer's, Word's 「单个文件网页」) → the document seam, through the page's own HTML.
 * The archive is a MIME message (RFC 2557); postal-mime takes apart its parts, undoes their
 * quoted-printable or base64 encoding and decodes the page in its declared charset (GB2312 and
 * GBK included); the pictures and style sheets beside it are not needed.
 */
export async function readMhtml(bytes: Uint8Array, file: string): Promise<Document> {
  // Pictures make a saved page large (tens of MB); the whole archive is held while it is taken apart.
  checkDocumentSize(bytes, file, "网页存档(MHTML)", "MHTML file");
  let html: string | undefined;
  try {
    html = (await PostalMime.parse(bytes)).html;
  } catch (e) {
    throw new InputError("UNREADABLE", `${file}: 网页存档(MHTML)已损坏或无法读取 (damaged or unreadable MHTML: ${e instanceof Error ? e.message : e})`);
  }
  if (!html?.trim()) throw new InputError("UNREADABLE", `${file}: 网页存档(MHTML)中没有网页 (the MHTML archive holds no HTML page)`);
  const size = Buffer.byteLength(html, "utf8");
  if (size > MAX_TEXT_BYTES) {
    throw new InputError("TOO_LARGE", `${file}: 网页存档中的网页过大 ${(size / 1048576).toFixed(0)} MB，上限 ${MAX_TEXT_BYTES / 1048576} MB (the page in the MHTML archive is too large)`);
  }
  return toDocument(html, file);
}

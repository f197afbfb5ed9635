/**
 * The pages and text of a PDF that Chromium printed (`page.pdf`), for the browser tests to assert on
 * without a PDF library: each page's size in points, and its text, read from the content streams
 * through each font's ToUnicode map. Enough for Chromium's own output (Skia: Type0 fonts with 2-byte
 * glyph ids, Flate streams, no object streams); not a general PDF reader. Glyphs come in the order
 * they are drawn, so a right-to-left line reads backwards.
 */
import zlib from "node:zlib";

export interface PdfContents {
  /** Each page's MediaBox width and height in points (A4 is 595.28 × 841.89). */
  pages: { width: number; height: number }[];
  /** The text of every page, a line per text object. */
  text: string;
}

/** The objects of the file by number: the dictionary text, and the stream's bytes (inflated) when it has one. */
function objects(pdf: Buffer): Map<number, { dict: string; stream?: Buffer }> {
  const source = pdf.toString("latin1");
  const found = new Map<number, { dict: string; stream?: Buffer }>();
  for (const match of source.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    const body = match[2];
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt < 0) {
      found.set(Number(match[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const start = match.index + match[0].indexOf(body) + streamAt + (body.slice(streamAt).startsWith("stream\r\n") ? 8 : 7);
    const end = source.lastIndexOf("endstream", match.index + match[0].length);
    const raw = pdf.subarray(start, end);
    const stream = /\/FlateDecode/.test(dict) ? zlib.inflateSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH }) : raw;
    found.set(Number(match[1]), { dict, stream });
  }
  return found;
}

const utf16 = (hex: string): string => {
  let text = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return text;
};

/** A ToUnicode CMap: glyph id (hex) → text. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, glyph, text] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(glyph, 16), utf16(text));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, from, to, target] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const first = parseInt(from, 16);
      const last = parseInt(to, 16);
      if (target.startsWith("[")) {
        [...target.matchAll(/<([0-9A-Fa-f]+)>/g)].forEach(([, text], i) => map.set(first + i, utf16(text)));
      } else {
        const base = target.slice(1, -1);
        const code = parseInt(base.slice(-4), 16);
        for (let glyph = first; glyph <= last; glyph++)
          map.set(glyph, utf16(base.slice(0, -4)) + String.fromCharCode(code + glyph - first));
      }
    }
  return map;
}

export function readPdf(pdf: Buffer): PdfContents {
  const all = objects(pdf);
  const pages = [...all.values()]
    .filter(({ dict }) => /\/Type\s*\/Page\b/.test(dict))
    .map(({ dict }) => {
      const box = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(dict);
      return { width: Number(box?.[3] ?? 0) - Number(box?.[1] ?? 0), height: Number(box?.[4] ?? 0) - Number(box?.[2] ?? 0) };
    });
  // Font resource names (/F4) → their ToUnicode maps.
  const fonts = new Map<string, Map<number, string>>();
  for (const { dict } of all.values())
    for (const fontDict of dict.matchAll(/\/Font\s*<<([^>]*)>>/g))
      for (const [, name, number] of fontDict[1].matchAll(/\/([^\s/]+)\s+(\d+)\s+0\s+R/g)) {
        const reference = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(all.get(Number(number))?.dict ?? "");
        const cmap = reference && all.get(Number(reference[1]))?.stream;
        if (cmap) fonts.set(name, toUnicode(cmap.toString("latin1")));
      }
  const lines: string[] = [];
  for (const { dict, stream } of all.values()) {
    if (!stream || /\/Subtype|\/Type|\/Length1/.test(dict.replace(/\/Length\s+\d+/, "").replace(/\/Filter\s*\/FlateDecode/, ""))) continue;
    let font = new Map<number, string>();
    let line = "";
    for (const [, fontName, strings, single, end] of stream
      .toString("latin1")
      .matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|\b(ET)\b/g)) {
      if (fontName) font = fonts.get(fontName) ?? new Map();
      else if (end) {
        if (line) lines.push(line);
        line = "";
      } else
        for (const [, hex] of (single !== undefined ? `<${single}>` : strings).matchAll(/<([0-9A-Fa-f]*)>/g))
          for (let i = 0; i + 4 <= hex.length; i += 4) line += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? "";
    }
    if (line) lines.push(line);
  }
  return { pages, text: lines.join("\n") };
}

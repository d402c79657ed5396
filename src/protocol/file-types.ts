/** Extension → item type and MIME type, one table (as geomyidae does) rather than an if-chain. */
const TABLE: Record<string, readonly [string, string]> = {
  txt: ['0', 'text/plain'], md: ['0', 'text/plain'], text: ['0', 'text/plain'], csv: ['0', 'text/csv'],
  asc: ['0', 'text/plain'], nfo: ['0', 'text/plain'], log: ['0', 'text/plain'], json: ['0', 'application/json'],
  xml: ['0', 'application/xml'], rss: ['0', 'application/rss+xml'], atom: ['0', 'application/atom+xml'],
  gif: ['g', 'image/gif'], jpg: ['I', 'image/jpeg'], jpeg: ['I', 'image/jpeg'], png: ['I', 'image/png'],
  webp: ['I', 'image/webp'], svg: ['I', 'image/svg+xml'], bmp: ['I', 'image/bmp'], ico: ['I', 'image/x-icon'],
  tif: ['I', 'image/tiff'], tiff: ['I', 'image/tiff'],
  html: ['h', 'text/html'], htm: ['h', 'text/html'], xhtml: ['h', 'application/xhtml+xml'],
  mp3: ['s', 'audio/mpeg'], ogg: ['s', 'audio/ogg'], wav: ['s', 'audio/wav'], flac: ['s', 'audio/flac'], opus: ['s', 'audio/opus'],
  mp4: [';', 'video/mp4'], webm: [';', 'video/webm'], mkv: [';', 'video/x-matroska'], avi: [';', 'video/x-msvideo'],
  pdf: ['d', 'application/pdf'], ps: ['d', 'application/postscript'],
  hqx: ['4', 'application/mac-binhex40'], uue: ['6', 'text/x-uuencode'],
  zip: ['9', 'application/zip'], gz: ['9', 'application/gzip'], tgz: ['9', 'application/gzip'], bz2: ['9', 'application/x-bzip2'],
  xz: ['9', 'application/x-xz'], zst: ['9', 'application/zstd'], tar: ['9', 'application/x-tar'], '7z': ['9', 'application/x-7z-compressed'],
  iso: ['9', 'application/x-iso9660-image'], exe: ['9', 'application/octet-stream'], bin: ['9', 'application/octet-stream'],
  deb: ['9', 'application/vnd.debian.binary-package'], epub: ['9', 'application/epub+zip'],
};

export interface FileType {
  readonly itemType: string;
  readonly mime: string;
}

export function fileTypeOf(name: string): FileType {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const t = TABLE[ext];
  // No or an unknown extension: binary, the safe reading for a client (it saves rather than shows).
  return t ? { itemType: t[0], mime: t[1] } : { itemType: ext === '' ? '0' : '9', mime: ext === '' ? 'text/plain' : 'application/octet-stream' };
}

/** The type of a body known only by its item type (a placeholder for an item the archive lacks). */
export function fileTypeOfItemType(itemType: string): FileType {
  switch (itemType) {
    case '0': return { itemType, mime: 'text/plain' };
    case 'g': return { itemType, mime: 'image/gif' };
    case 'I': return { itemType, mime: 'image/png' };
    case 'h': return { itemType, mime: 'text/html' };
    case 's': return { itemType, mime: 'audio/mpeg' };
    default: return { itemType, mime: 'application/octet-stream' };
  }
}

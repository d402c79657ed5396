import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';

/** Server info, as veterans expect on a gopher hole: software, charset, size of the archive. */
export function aboutMenu(ctx: MenuContext): MenuItem[] {
  const a = ctx.archive;
  return [
    info(`About ${ctx.serverName}`),
    info(''),
    info(`Server software: gopherpress ${ctx.version} (RFC 1436)`),
    info(`Charset of menus and texts: ${ctx.charset.toUpperCase()}`),
    info(`Articles: ${a.articleCount}; tags: ${a.tagCount}`),
    info(`Links to articles not in this archive go to gopher://${ctx.upstream.host}:${ctx.upstream.port}/`),
    info(''),
    link('0', 'caps.txt (server capabilities)', '/caps.txt'),
    link('0', 'All articles as a list (selector, date, title, version)', '/index.txt'),
    link('0', 'Every file of the archive (path, version, selector; for mirrors)', '/files.txt'),
    link('1', 'Back to the front page', '/'),
  ];
}

/** caps.txt as Lagrange and VF-1 read it (the Bucktooth/Gophernicus format). */
export function capsText(ctx: MenuContext): string {
  return [
    'CAPS',
    '',
    '# This is an automatically generated caps file.',
    'CapsVersion=1',
    'ExpireCapsAfter=3600',
    '',
    'PathDelimeter=/',
    'PathIdentity=.',
    'PathParent=..',
    'PathParentDouble=FALSE',
    'PathEscapeCharacter=\\',
    'PathKeepPreDelimeter=FALSE',
    '',
    `ServerSoftware=gopherpress`,
    `ServerSoftwareVersion=${ctx.version}`,
    `ServerDescription=${ctx.serverName}: a news archive over gopher`,
    `ServerDefaultEncoding=${ctx.charset.toUpperCase()}`,
    '',
  ].join('\n');
}

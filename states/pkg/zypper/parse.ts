/**
 * Pure parsers of zypper's XML output (`--xmlout`) and of /etc/zypp/locks. Samples written from zypper(8) and
 * libzypp's documented formats, not recorded on a live SUSE host: see states/pkg/README.md.
 */
import type { PkgInfo, Plan, PkgDb } from '../types.js';
import { rpmCompare } from '../version/rpm.js';

/** Attributes of every `<solvable …/>` element, with the element it sits in (to-install, to-remove…). */
export function solvables(xml: string): { section: string; attrs: Record<string, string> }[] {
  const out: { section: string; attrs: Record<string, string> }[] = [];
  const re = /<(\/?)([\w-]+)([^>]*?)(\/?)>/g;
  const stack: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    const [, close, tag, rest, selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      stack.pop();
      continue;
    }
    if (tag === 'solvable') {
      const attrs: Record<string, string> = {};
      for (const a of rest.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]!] = unescapeXml(a[2]!);
      out.push({ section: stack[stack.length - 1] ?? '', attrs });
    }
    if (!selfClose && !rest.endsWith('/')) stack.push(tag);
  }
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `zypper --xmlout search --match-exact --details --type package NAME…` → available versions per name. */
export function parseZypperSearch(xml: string): Record<string, PkgInfo> {
  const res: Record<string, PkgInfo> = {};
  for (const { attrs } of solvables(xml)) {
    if ((attrs.kind ?? 'package') !== 'package' || !attrs.name || !attrs.edition) continue;
    const info = (res[attrs.name] ??= { installed: null, candidate: null, versions: [] });
    if (attrs.status === 'installed' && !info.installed) info.installed = attrs.edition;
    // "@System" is the rpm database, not a repository.
    if (!['@System', '(System Packages)'].includes(attrs.repository ?? '') && !info.versions.includes(attrs.edition)) info.versions.push(attrs.edition);
  }
  for (const info of Object.values(res)) {
    info.versions.sort((a, b) => rpmCompare(b, a));
    info.candidate = info.versions[0] ?? null;
  }
  return res;
}

/** `<install-summary>` of `zypper --xmlout install|remove --dry-run` → plan (old versions from the database). */
export function parseZypperSummary(xml: string, db: PkgDb): Plan {
  const plan: Plan = {};
  for (const { section, attrs } of solvables(xml)) {
    const name = attrs.name;
    if (!name || (attrs.type ?? 'package') !== 'package') continue;
    if (section === 'to-remove') plan[name] = { old: db.installed[name] ?? attrs.edition ?? '', new: '' };
    else if (/^to-(install|upgrade|downgrade|reinstall)$/.test(section)) {
      plan[name] = { old: db.installed[name] ?? attrs['edition-old'] ?? '', new: attrs.edition ?? '' };
    }
  }
  return plan;
}

/** /etc/zypp/locks: blank-line separated blocks of `key: value`; package locks name `solvable_name`. */
export function parseZyppLocks(text: string): string[] {
  const names = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const kv: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const m = /^\s*([\w_]+):\s*(.*)$/.exec(line);
      if (m) kv[m[1]!] = m[2]!.trim();
    }
    if (kv.solvable_name && (kv.type ?? 'package') === 'package') names.add(kv.solvable_name);
  }
  return [...names].sort();
}

/** zypper's `<message type="error">` texts. */
export function zypperErrors(xml: string): string[] {
  return [...xml.matchAll(/<message type="error">([^<]*)<\/message>/g)].map((m) => unescapeXml(m[1]!.trim()));
}

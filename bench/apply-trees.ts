/**
 * Generators for bench/apply: the same N managed files (contents inline, every 4th with mode 0640) written as a
 * halite tree, a Puppet manifest and an Ansible playbook, each targeting its own directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Contents of file i: a few lines, a few hundred bytes, different per file. */
export function contents(i: number): string {
  const lines = [`# managed by bench, file ${i}`];
  for (let l = 0; l < 6; l++) lines.push(`key_${l} = value ${i * 7 + l} ${'x'.repeat(20 + ((i + l) % 30))}`);
  return lines.join('\n') + '\n';
}

export const fileName = (i: number): string => `f${String(i).padStart(4, '0')}.conf`;
export const mode = (i: number): string | undefined => (i % 4 === 0 ? '0640' : undefined);

/** YAML double-quoted scalar (JSON is a subset of YAML). */
const q = (s: string): string => JSON.stringify(s);

/** halite tree: `files` SLS files of `n/files` plain-YAML file.managed states each (no Jinja: apply cost only). */
export function haliteTree(root: string, target: string, n: number, files = 10): string {
  const srv = join(root, 'srv');
  mkdirSync(join(srv, 'files'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'pillar'), { recursive: true });
  const per = Math.ceil(n / files);
  const top = ['base:', "  '*':"];
  for (let f = 0; f * per < n; f++) {
    const out: string[] = [];
    for (let i = f * per; i < Math.min(n, (f + 1) * per); i++) {
      out.push(`${q(join(target, fileName(i)))}:`, '  file.managed:', `    - contents: ${q(contents(i))}`);
      const m = mode(i);
      if (m) out.push(`    - mode: '${m}'`);
    }
    writeFileSync(join(srv, 'files', `p${f}.sls`), out.join('\n') + '\n');
    top.push(`    - files.p${f}`);
  }
  writeFileSync(join(srv, 'top.sls'), top.join('\n') + '\n');
  writeFileSync(
    join(root, 'etc', 'minion'),
    `id: bench\nfile_roots:\n  base: [${srv}]\npillar_roots:\n  base: [${join(root, 'pillar')}]\ncachedir: ${join(root, 'cache')}\n`,
  );
  return join(root, 'etc');
}

/** Puppet string literal (single-quoted: only \\ and ' are special). */
const pq = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Puppet manifest with n `file` resources; returns its path. */
export function puppetManifest(root: string, target: string, n: number): string {
  mkdirSync(root, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = mode(i);
    out.push(`file { ${pq(join(target, fileName(i)))}:`, '  ensure  => file,', `  content => ${pq(contents(i))},`);
    if (m) out.push(`  mode    => '${m}',`);
    out.push('}');
  }
  const p = join(root, 'site.pp');
  writeFileSync(p, out.join('\n') + '\n');
  return p;
}

/** Ansible playbook: one play on localhost (connection: local, no facts), one `copy` task per file; returns its path. */
export function ansiblePlaybook(root: string, target: string, n: number): string {
  mkdirSync(root, { recursive: true });
  const out = ['- hosts: localhost', '  connection: local', '  gather_facts: false', '  tasks:'];
  for (let i = 0; i < n; i++) {
    const m = mode(i);
    out.push(`    - name: file ${i}`, '      ansible.builtin.copy:', `        dest: ${q(join(target, fileName(i)))}`, `        content: ${q(contents(i))}`);
    if (m) out.push(`        mode: '${m}'`);
  }
  const p = join(root, 'play.yml');
  writeFileSync(p, out.join('\n') + '\n');
  writeFileSync(join(root, 'inventory'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  return p;
}
